using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using MLIntern.Server.Lsp.Protocol;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace MLIntern.Server.Lsp;

/// <summary>
/// The transport no message can kill. Frames come from <see cref="FrameReader"/> (which resynchronizes
/// after a bad header); each body is parsed here, depth-capped, before StreamJsonRpc sees it, and what is
/// not a JSON-RPC 2.0 message is answered the way the spec says — -32700 for a body that is not JSON,
/// -32600 for one that is not a request (a scalar, a batch, a bad id, method or params), id null unless
/// the request's own id could be read — or, for a response that cannot be matched, dropped. Only
/// well-formed messages reach StreamJsonRpc, and of requests sharing an id in flight only the first.
/// Every outgoing error loses its <c>data</c> unless it is the contract's <c>{ reason }</c>, and a
/// message naming a stack frame, a .NET type or StreamJsonRpc's own text is replaced by one naming the
/// method, so no exception type, stack trace or source path ever leaves the process. Problems are
/// logged, at most ten a minute.
/// </summary>
internal sealed class TolerantMessageHandler : MessageHandlerBase
{
    /// <summary>
    /// How deep a message may nest objects and arrays (the message itself is depth 1): Newtonsoft's default,
    /// which StreamJsonRpc's serializer keeps, so a message passed on never fails there instead.
    /// </summary>
    public const int MaxDepth = 64;
    private const int LogsPerMinute = 10;

    private static readonly JsonLoadSettings LoadSettings = new() { CommentHandling = CommentHandling.Ignore, LineInfoHandling = LineInfoHandling.Ignore };
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly Stream _output;
    private readonly Stream _input;
    private readonly FrameReader _frames;
    private readonly JsonMessageFormatter _formatter;
    private readonly Func<ILogger?> _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<RequestId, byte> _awaitingAnswer = new();

    /// <summary>The method of each request the client sent that is not answered yet, so an error can name it.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<RequestId, string> _answering = new();

    /// <summary>What only the inside of the process knows: a stack frame, a source line, a .NET type or StreamJsonRpc's binding text.</summary>
    private static readonly System.Text.RegularExpressions.Regex Internals = new(
        @"\bat [\w.`]+\.\w+\(|\.cs:line \d|\b(?:System|Microsoft|Newtonsoft|StreamJsonRpc|MLIntern)\.[A-Z]|\{no object\}|Unable to find method",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    private long _logWindowStart = Environment.TickCount64;
    private int _loggedInWindow;

    public TolerantMessageHandler(Stream output, Stream input, JsonMessageFormatter formatter, Func<ILogger?> logger)
        : base(formatter)
    {
        _output = output;
        _input = input;
        _frames = new FrameReader(input);
        _formatter = formatter;
        _logger = logger;
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await _frames.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (frame.End)
            {
                return null;
            }

            if (frame.Problem is { } problem)
            {
                Report(problem);
                if (frame.TooLarge)
                {
                    // A whole message the client sent and we will not read: it must hear why (its id is in the unread body).
                    await WriteErrorAsync(null, ErrorCodes.InvalidRequest, problem, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            var verdict = Check(frame.Body.Span, frame.Charset);
            if (verdict.Message is { } message)
            {
                return message;
            }

            Report(verdict.Problem!);
            if (verdict.NotJson)
            {
                // Perhaps the frame declared more bytes than it had and swallowed the next frame's header.
                _frames.Reject();
            }

            if (verdict.Code != 0)
            {
                await WriteErrorAsync(verdict.Id, verdict.Code, verdict.Problem!, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What a body is: a message for StreamJsonRpc, or a problem, with the error to answer (Code 0: answer nothing).</summary>
    private readonly record struct Verdict(JsonRpcMessage? Message, string? Problem, int Code, JToken? Id, bool NotJson)
    {
        public static Verdict Refuse(string problem, int code, JToken? id = null) => new(null, problem, code, id, false);
    }

    private Verdict Check(ReadOnlySpan<byte> body, string? charset)
    {
        var (token, parseProblem, tooDeep) = Parse(body);
        if (charset is not null && !IsUtf8(charset))
        {
            return Verdict.Refuse($"charset '{Shorten(charset)}' is not supported; messages must be utf-8", ErrorCodes.InvalidRequest, token is JObject o ? UsableId(o) : null);
        }

        if (token is null)
        {
            return tooDeep
                ? Verdict.Refuse($"a message nested deeper than {MaxDepth} levels", ErrorCodes.InvalidRequest)
                : new Verdict(null, "a body that is not JSON: " + parseProblem, ErrorCodes.ParseError, null, true);
        }

        if (token is JArray batch)
        {
            return Verdict.Refuse(batch.Count == 0 ? "an empty batch" : "a batch (LSP does not use JSON-RPC batches)", ErrorCodes.InvalidRequest);
        }

        if (token is not JObject message)
        {
            return Verdict.Refuse($"a JSON {token.Type.ToString().ToLowerInvariant()} where a message object belongs", ErrorCodes.InvalidRequest);
        }

        var id = UsableId(message);
        var hasId = message.ContainsKey("id");
        if (hasId && id is null)
        {
            return Verdict.Refuse("an id that is not a string, a whole number or null", ErrorCodes.InvalidRequest);
        }

        if (message["jsonrpc"] is not JValue { Type: JTokenType.String, Value: "2.0" })
        {
            return Verdict.Refuse("a message whose jsonrpc is not \"2.0\"", ErrorCodes.InvalidRequest, message.ContainsKey("method") ? id : null);
        }

        if (message.ContainsKey("method"))
        {
            if (message["method"] is not JValue { Type: JTokenType.String })
            {
                return Verdict.Refuse("a method that is not a string", ErrorCodes.InvalidRequest, id);
            }

            if (id is { Type: JTokenType.Null })
            {
                // JSON-RPC discourages it and LSP does not allow it; StreamJsonRpc cannot hold two such requests at once.
                return Verdict.Refuse("a request whose id is null (LSP ids are integers or strings)", ErrorCodes.InvalidRequest);
            }

            if (message.TryGetValue("params", out var parameters) && parameters.Type is not (JTokenType.Object or JTokenType.Array))
            {
                if (parameters.Type != JTokenType.Null)
                {
                    return Verdict.Refuse($"params that are a {parameters.Type.ToString().ToLowerInvariant()}, not an object or array", ErrorCodes.InvalidRequest, id);
                }

                // Some clients send "params": null for shutdown and exit; that is no params.
                message.Remove("params");
            }

            var request = Deserialize(message, id);
            if (request.Message is JsonRpcRequest { IsResponseExpected: true } incoming && !_answering.TryAdd(incoming.RequestId, incoming.Method!))
            {
                // Any answer with this id would be taken for the answer to the first request with it: the first one keeps it.
                return Verdict.Refuse($"a request whose id {Shorten(id!.ToString(Formatting.None))} is already in flight", 0);
            }

            return request;
        }

        var hasResult = message.ContainsKey("result");
        var hasError = message.ContainsKey("error");
        if (!hasResult && !hasError)
        {
            return Verdict.Refuse("a message that is neither a request nor a response", ErrorCodes.InvalidRequest);
        }

        // A response: never answered, only dropped when it cannot be matched to a request of ours.
        if (hasResult && hasError)
        {
            return Verdict.Refuse("a response with both result and error", 0);
        }

        if (id is null or { Type: JTokenType.Null })
        {
            return Verdict.Refuse("a response without an id", 0);
        }

        if (hasError && (message["error"] is not JObject error || error["code"] is not JValue { Value: long } || error["message"] is not JValue { Type: JTokenType.String }))
        {
            return Verdict.Refuse("a response whose error is not {code, message}", 0);
        }

        // StreamJsonRpc ends the connection over a response to no request: only the first answer to a request we sent goes on.
        var requestId = id.Type == JTokenType.String ? new RequestId((string)id!) : new RequestId((long)id);
        if (!_awaitingAnswer.TryRemove(requestId, out _))
        {
            return Verdict.Refuse($"a response to no request of ours (id {Shorten(id.ToString(Formatting.None))})", 0);
        }

        return Deserialize(message, null);
    }

    private Verdict Deserialize(JObject message, JToken? id)
    {
        try
        {
            return new Verdict(_formatter.Deserialize(message), null, 0, null, false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The exception's type is ours to know, not the client's: the answer says what JSON-RPC calls it.
            return Verdict.Refuse("a message that is not a JSON-RPC 2.0 request or response", id is null ? 0 : ErrorCodes.InvalidRequest, id);
        }
    }

    /// <summary>The body as JSON, or why not. Never throws; objects and arrays nest at most <see cref="MaxDepth"/> deep.</summary>
    private static (JToken? Token, string? Problem, bool TooDeep) Parse(ReadOnlySpan<byte> body)
    {
        using var reader = new JsonTextReader(new StringReader(Utf8.GetString(body)))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Double,
            MaxDepth = MaxDepth,
        };
        try
        {
            var token = JToken.ReadFrom(reader, LoadSettings);
            while (reader.Read())
            {
                if (reader.TokenType != JsonToken.Comment)
                {
                    return (null, "text after the JSON value", false);
                }
            }

            return (token, null, false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, e is JsonReaderException { LineNumber: var line, LinePosition: var position } ? $"invalid JSON at line {line}, column {position}" : "invalid JSON", reader.Depth >= MaxDepth - 1);
        }
    }

    /// <summary>The message's id if it is one JSON-RPC allows (a string, a whole number that fits, null); else null.</summary>
    private static JToken? UsableId(JObject message) => message["id"] switch
    {
        JValue { Type: JTokenType.String or JTokenType.Null } v => v,
        JValue { Type: JTokenType.Integer, Value: long } v => v,
        _ => null,
    };

    private static bool IsUtf8(string charset) =>
        charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private void Report(string problem)
    {
        var now = Environment.TickCount64;
        if (now - _logWindowStart >= 60_000)
        {
            if (_loggedInWindow > LogsPerMinute + 1)
            {
                _logger()?.LogError("{Count} more malformed messages in the last minute were not logged", _loggedInWindow - LogsPerMinute - 1);
            }

            _logWindowStart = now;
            _loggedInWindow = 0;
        }

        _loggedInWindow++;
        if (_loggedInWindow <= LogsPerMinute)
        {
            _logger()?.LogError("ignored a malformed message: {Problem}", problem);
        }
        else if (_loggedInWindow == LogsPerMinute + 1)
        {
            _logger()?.LogError("ignored a malformed message: {Problem}; more than {Count} this minute, the rest are counted, not logged", problem, LogsPerMinute);
        }
    }

    private ValueTask WriteErrorAsync(JToken? id, int code, string message, CancellationToken cancellationToken)
    {
        var error = new JObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id?.DeepClone() ?? JValue.CreateNull(),
            ["error"] = new JObject { ["code"] = code, ["message"] = message },
        };
        return WriteFrameAsync(Utf8.GetBytes(error.ToString(Formatting.None)), cancellationToken);
    }

    protected override ValueTask WriteCoreAsync(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        if (content is JsonRpcError { Error: { } detail } error)
        {
            var method = _answering.TryRemove(error.RequestId, out var name) ? name : "the request";
            if (detail.Data is not MLIntern.Server.Protocol.ErrorInfo)
            {
                // StreamJsonRpc would put the exception's type and stack trace here; only the contract's { reason } may stay.
                detail.Data = null;
            }

            if (detail.Code == JsonRpcErrorCode.MethodNotFound)
            {
                // StreamJsonRpc's text names the arity and its target object ("'x/1' on {no object}").
                detail.Message = $"unknown method '{method}'";
            }
            else if (detail.Code == JsonRpcErrorCode.InvocationError)
            {
                // Our handlers always choose a code; -32000 is StreamJsonRpc passing on an exception's own text.
                detail.Message = $"'{method}' failed";
            }
            else if (Internals.IsMatch(detail.Message ?? ""))
            {
                detail.Message = detail.Code == JsonRpcErrorCode.InvalidParams ? $"invalid params for '{method}'" : $"'{method}' failed";
            }
        }
        else if (content is JsonRpcResult result)
        {
            _answering.TryRemove(result.RequestId, out _);
        }

        if (content is JsonRpcRequest { IsResponseExpected: true } request)
        {
            _awaitingAnswer.TryAdd(request.RequestId, 0);
        }

        var body = new ArrayBufferWriter<byte>();
        Formatter.Serialize(body, content);
        return WriteFrameAsync(body.WrittenMemory, cancellationToken);
    }

    private async ValueTask WriteFrameAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            await _output.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    protected override ValueTask FlushAsync(CancellationToken cancellationToken) => default;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _output.Dispose();
        }

        base.Dispose(disposing);
    }
}
