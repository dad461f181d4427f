using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MLIntern.Server.Tests;

/// <summary>
/// A loopback stand-in for the Hugging Face Hub API and the dataset viewer API, which are not
/// reachable from the test machine. A minimal HTTP/1.1 server on 127.0.0.1:0 (one request per
/// connection, `Connection: close`) whose routes the test sets; each test says which public
/// document the shape of each answer follows. It records every request (with its headers) so a
/// test can check what was sent, and it can cut an answer after some bytes or never answer.
/// </summary>
internal sealed class HubStandIn : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, Func<StandInRequest, StandInResponse>> _routes = new(StringComparer.Ordinal);

    public HubStandIn()
    {
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    public ConcurrentQueue<StandInRequest> Requests { get; } = new();

    /// <summary>Answers GET <paramref name="path"/> (without the query) with <paramref name="answer"/>.</summary>
    public void On(string path, Func<StandInRequest, StandInResponse> answer) => _routes[path] = answer;

    public void OnJson(string path, string json, int status = 200) => On(path, _ => StandInResponse.Json(json, status));

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                if (head is null)
                {
                    return;
                }

                var lines = head.Split("\r\n");
                var parts = lines[0].Split(' ');
                var target = parts.Length > 1 ? parts[1] : "/";
                var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
                var path = Uri.UnescapeDataString(target.Split('?')[0]);
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal)))
                {
                    headers[line[..line.IndexOf(':', StringComparison.Ordinal)].Trim()] = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }

                var request = new StandInRequest(path, query, headers);
                Requests.Enqueue(request);
                var response = _routes.TryGetValue(path, out var route) ? route(request) : StandInResponse.Json("""{"error":"Not Found"}""", 404);
                if (response.Hang)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                var header = new StringBuilder($"HTTP/1.1 {response.Status} {(HttpStatusCode)response.Status}\r\n");
                header.Append($"Content-Type: {response.ContentType}\r\nContent-Length: {response.Body.Length}\r\nConnection: close\r\n");
                foreach (var (name, value) in response.Headers)
                {
                    header.Append($"{name}: {value}\r\n");
                }

                header.Append("\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(header.ToString()));
                var length = response.CutAfter is { } cut ? Math.Min(cut, response.Body.Length) : response.Body.Length;
                await stream.WriteAsync(response.Body.AsMemory(0, length));
                await stream.FlushAsync();
                if (response.CutAfter is not null)
                {
                    // Reset rather than close, so the client sees a connection cut in the middle of the body.
                    client.Client.LingerState = new LingerOption(true, 0);
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^1] == '\n' && buffer[^2] == '\r' && buffer[^3] == '\n' && buffer[^4] == '\r')
            {
                return Encoding.ASCII.GetString([.. buffer]).TrimEnd();
            }
        }

        return null;
    }
}

internal sealed record StandInRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The values of one query parameter, unescaped.</summary>
    public IReadOnlyList<string> Values(string name) =>
        [.. Query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .Where(p => Uri.UnescapeDataString(p[0]) == name).Select(p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""))];
}

internal sealed record StandInResponse(int Status, byte[] Body, string ContentType, IReadOnlyDictionary<string, string> Headers, int? CutAfter = null, bool Hang = false)
{
    public static StandInResponse Json(string json, int status = 200, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, Encoding.UTF8.GetBytes(json), "application/json", headers ?? new Dictionary<string, string>());

    /// <summary>A file, honouring a `Range: bytes=N-` request with 206 and `Content-Range` (RFC 9110 §14), as the Hub's file server does.</summary>
    public static StandInResponse File(byte[] bytes, StandInRequest request, int? cutAfter = null)
    {
        if (request.Headers.TryGetValue("Range", out var range) && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
            && long.TryParse(range[6..^1], System.Globalization.CultureInfo.InvariantCulture, out var from) && from < bytes.Length)
        {
            var rest = bytes[(int)from..];
            return new StandInResponse(206, rest, "application/octet-stream",
                new Dictionary<string, string> { ["Content-Range"] = $"bytes {from}-{bytes.Length - 1}/{bytes.Length}", ["Accept-Ranges"] = "bytes" }, cutAfter);
        }

        return new StandInResponse(200, bytes, "application/octet-stream", new Dictionary<string, string> { ["Accept-Ranges"] = "bytes" }, cutAfter);
    }
}
