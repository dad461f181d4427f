using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace MLIntern.Server.Lsp;

/// <summary>
/// Content-Length framing that survives a malformed message. StreamJsonRpc ends the connection when
/// a frame's body does not deserialize; an editor would then lose its server over one bad byte. Here
/// the frame is logged and dropped, and reading goes on with the next one.
/// </summary>
internal sealed class TolerantMessageHandler(Stream writer, Stream reader, IJsonRpcMessageFormatter formatter, Func<ILogger?> logger)
    : HeaderDelimitedMessageHandler(writer, reader, formatter)
{
    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await base.ReadCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is JsonException or InvalidCastException or FormatException or ArgumentException or NotSupportedException)
            {
                logger()?.LogError("ignored a malformed message: {Message}", e.Message);
            }
        }
    }
}
