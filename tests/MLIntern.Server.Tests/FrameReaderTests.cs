using System.Text;
using MLIntern.Server.Lsp;

namespace MLIntern.Server.Tests;

/// <summary>The framing alone, in process: partial reads, large frames, resynchronization, the end of the stream.</summary>
public sealed class FrameReaderTests
{
    /// <summary>A stream that hands out at most <paramref name="chunk"/> bytes per read, as a pipe may.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    private static byte[] Frame(string body) => Encoding.UTF8.GetBytes($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");

    /// <summary>Reads to the end; rejects bodies that do not start with '{' (as the handler does for non-JSON).</summary>
    private static async Task<(List<string> Bodies, List<string> Problems)> ReadAllAsync(byte[] input, int chunk = int.MaxValue)
    {
        var reader = new FrameReader(new TrickleStream(input, chunk));
        var bodies = new List<string>();
        var problems = new List<string>();
        while (true)
        {
            var result = await reader.ReadAsync(CancellationToken.None);
            if (result.End)
            {
                return (bodies, problems);
            }

            if (result.Problem is { } problem)
            {
                problems.Add(problem);
                continue;
            }

            var body = Encoding.UTF8.GetString(result.Body.Span);
            if (body.StartsWith('{') && body.EndsWith('}'))
            {
                bodies.Add(body);
            }
            else
            {
                problems.Add("rejected " + body.Length);
                reader.Reject();
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Frames_read_a_few_bytes_at_a_time_are_the_frames_sent(int chunk)
    {
        var input = Frame("{\"a\":1}").Concat(Frame("{\"b\":\"é\"}")).Concat(Encoding.ASCII.GetBytes("Content-Length: 2\n\n{}")).ToArray();
        var (bodies, problems) = await ReadAllAsync(input, chunk);
        Assert.Equal(["{\"a\":1}", "{\"b\":\"é\"}", "{}"], bodies);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_large_frame_arrives_whole_and_the_next_one_after_it()
    {
        var big = "{\"x\":\"" + new string('a', 5 * 1024 * 1024) + "\"}";
        var (bodies, problems) = await ReadAllAsync([.. Frame(big), .. Frame("{}")], 65_536);
        Assert.Equal(2, bodies.Count);
        Assert.Equal(big.Length, bodies[0].Length);
        Assert.Equal("{}", bodies[1]);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_frame_that_swallowed_the_next_header_gives_it_back()
    {
        // Declares 40 bytes, sends 2: its "body" is "{}" plus the start of the next frame.
        var input = Encoding.ASCII.GetBytes("Content-Length: 40\r\n\r\n{}").Concat(Frame("{\"next\":true}")).Concat(Frame("{\"last\":1}")).ToArray();
        var (bodies, problems) = await ReadAllAsync(input, 3);
        Assert.Equal(["{\"next\":true}", "{\"last\":1}"], bodies);
        Assert.Single(problems);
    }

    [Fact]
    public async Task Garbage_and_bad_headers_are_each_reported_and_skipped()
    {
        var input = Encoding.ASCII.GetBytes("\u0000\u00ffnoise Content-Length: x\r\n\r\nContent-Length: 99999999999\r\n\r\nContent-Length 3\r\n\r\n")
            .Concat(Frame("{\"ok\":1}")).ToArray();
        var (bodies, problems) = await ReadAllAsync(input, 5);
        Assert.Equal(["{\"ok\":1}"], bodies);
        Assert.Contains(problems, p => p.Contains("not a whole number", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("64 MiB", StringComparison.Ordinal));
        Assert.InRange(problems.Count, 3, 5);
    }

    [Fact]
    public async Task The_end_of_the_stream_inside_a_frame_is_the_end()
    {
        var (bodies, _) = await ReadAllAsync([.. Frame("{}"), .. Encoding.ASCII.GetBytes("Content-Length: 10\r\n\r\n{\"a\"")]);
        Assert.Equal(["{}"], bodies);
        var (none, _) = await ReadAllAsync(Encoding.ASCII.GetBytes("Content-Len"));
        Assert.Empty(none);
    }
}
