using StreamJsonRpc;

namespace MLIntern.Server.Protocol;

/// <summary>
/// Machine-readable reasons in a JSON-RPC error's <c>data.reason</c>, so a client decides on a code,
/// never on the English text of a message. The message stays for people.
/// </summary>
internal static class ErrorReasons
{
    /// <summary>The request needs a data set and none was given or found (the client asks for one).</summary>
    public const string NeedsDataSet = "needsDataSet";

    /// <summary>A plan, run or file the request names does not exist.</summary>
    public const string NotFound = "notFound";

    /// <summary>The approval gate said no (no approval, a used or stale token, figures that differ).</summary>
    public const string Refused = "refused";

    /// <summary>A parameter is missing or malformed.</summary>
    public const string InvalidParams = "invalidParams";

    /// <summary>Every reason, for the generated TypeScript union.</summary>
    public static IReadOnlyList<string> All { get; } = [NeedsDataSet, NotFound, Refused, InvalidParams];

    /// <summary>A JSON-RPC error with <paramref name="code"/>, <paramref name="message"/> and <c>data: { reason }</c>.</summary>
    public static LocalRpcException Error(int code, string reason, string message) =>
        new(message) { ErrorCode = code, ErrorData = new ErrorInfo(reason) };
}

/// <summary>The <c>data</c> of an <c>mlintern/*</c> error.</summary>
internal sealed record ErrorInfo(string Reason);
