namespace MLIntern.Server.Protocol;

/// <summary>What a request does to state, which decides how the <c>RequestQueue</c> runs it.</summary>
internal enum Effect
{
    /// <summary>Reads files or the server's state; runs concurrently with other reads.</summary>
    Reads,

    /// <summary>Writes files under the workspace (plans, runs, cards); runs alone and in order.</summary>
    Writes,
}

/// <summary>One <c>mlintern/*</c> request: its method name, the record its params are read into, the record it answers with.</summary>
internal sealed record RequestContract(string Method, Type Params, Type Result, Effect Effect, string Summary);

/// <summary>One <c>mlintern/*</c> notification and the record it carries; <paramref name="FromServer"/> when the sidecar sends it.</summary>
internal sealed record NotificationContract(string Method, Type Params, bool FromServer, string Summary);

/// <summary>
/// The protocol's one table: every <c>mlintern/*</c> request and notification with its typed records.
/// The TypeScript types (extension/src/protocol.ts), the JSON Schema (docs/protocol.schema.json) and
/// the method reference in docs/PROTOCOL.md are generated from it; the server's tests check that every
/// registered handler takes and answers exactly the types written here. A new method is a new row.
/// </summary>
internal static partial class Contract
{
    public static IReadOnlyList<RequestContract> Requests { get; } = [];

    public static IReadOnlyList<NotificationContract> Notifications { get; } = [];
}
