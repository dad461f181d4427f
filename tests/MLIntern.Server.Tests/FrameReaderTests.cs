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

    /// <summary>A pipe whose writer has sent <paramref name="bytes"/> and then waits: a read after them never returns.</summary>
    private sealed class StalledStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return read;
        }
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

    /// <summary>Reads frames from a sender that sent <paramref name="input"/> and then went quiet, until <paramref name="count"/> bodies came.</summary>
    private static async Task<(List<string> Bodies, List<string> Problems)> ReadFromStalledAsync(byte[] input, int count)
    {
        var reader = new FrameReader(new StalledStream(input));
        var bodies = new List<string>();
        var problems = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (bodies.Count < count)
        {
            FrameReader.Result result;
            try
            {
                result = await reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the reader waited for bytes that will never come; bodies so far: [{string.Join(", ", bodies)}]; problems: [{string.Join("; ", problems)}]");
                throw;
            }

            if (result.Problem is { } problem)
            {
                problems.Add(problem + (result.TooLarge ? " (too large)" : ""));
            }
            else
            {
                bodies.Add(Encoding.UTF8.GetString(result.Body.Span));
            }
        }

        return (bodies, problems);
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(60_000_000)]
    [InlineData(100_000_000)]
    [InlineData(int.MaxValue)]
    public async Task A_length_that_lies_past_a_whole_message_gives_back_the_next_frame_without_waiting(int declared)
    {
        // Declares far more than the message it frames: the next frame must come now, not after `declared` bytes.
        var input = Encoding.ASCII.GetBytes($"Content-Length: {declared}\r\n\r\n{{\"liar\":[1,{{\"s\":\"}}]\\\"\"}}]}}\r\n").Concat(Frame("{\"next\":true}")).ToArray();
        var (bodies, problems) = await ReadFromStalledAsync(input, 1);
        Assert.Equal(["{\"next\":true}"], bodies);
        Assert.Contains(problems, p => p.Contains("more than the message it frames", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_read_a_byte_at_a_time_with_brackets_in_strings_and_comments_is_not_taken_for_a_lie()
    {
        const string tricky = "{\"a\":\"}]\\\"}\", 'b': '}', /* } ] */ \"c\": [1, {\"d\": \"\\\\\"}] // }\n}";
        var (bodies, problems) = await ReadAllAsync([.. Frame(tricky), .. Frame("{}")], 1);
        Assert.Equal([tricky, "{}"], bodies);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_frame_over_the_cap_is_refused_once_and_consumed_whole()
    {
        // An honest 65 MiB body whose string holds what looks like frames: none of them may be read as one.
        var body = new MemoryStream();
        body.Write("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"text\":\""u8);
        for (var i = 0; i < 20; i++)
        {
            body.Write("Content-Length: 2\r\n\r\n{}Content-Length: abc\r\n\r\n"u8);
        }

        body.Write(Enumerable.Repeat((byte)'a', FrameReader.MaxFrameBytes + 1024).ToArray());
        body.Write("\"}}"u8);
        var input = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n").Concat(body.ToArray()).Concat(Frame("{\"after\":1}")).ToArray();

        var (bodies, problems) = await ReadFromStalledAsync(input, 1);
        Assert.Equal(["{\"after\":1}"], bodies);
        var problem = Assert.Single(problems);
        Assert.Contains("64 MiB", problem, StringComparison.Ordinal);
        Assert.EndsWith("(too large)", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xyz not json")]
    [InlineData("{\"a\":1}")]
    public async Task A_frame_over_the_cap_that_ends_early_gives_back_the_next_frame(string sent)
    {
        var input = Encoding.ASCII.GetBytes($"Content-Length: {FrameReader.MaxFrameBytes + 1}\r\n\r\n{sent}").Concat(Frame("{\"next\":1}")).ToArray();
        var (bodies, problems) = await ReadFromStalledAsync(input, 1);
        Assert.Equal(["{\"next\":1}"], bodies);
        Assert.Equal(1, problems.Count(p => p.EndsWith("(too large)", StringComparison.Ordinal)));
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
