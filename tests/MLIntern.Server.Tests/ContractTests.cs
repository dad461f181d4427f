using System.Runtime.Serialization;
using MLIntern.Server.Logging;
using MLIntern.Server.Lsp;
using MLIntern.Server.Lsp.Handlers;
using MLIntern.Server.Protocol;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// The contract (Protocol/Contract.cs) is what the server answers and what the generated files say:
/// every registered mlintern/* handler takes and answers the contract's types, and the committed
/// protocol.ts, protocol.schema.json and PROTOCOL.md are what the records generate
/// (MLINTERN_UPDATE_PROTOCOL=1 rewrites them).
/// </summary>
public sealed class ContractTests
{
    private static IReadOnlyList<MethodHandler> Handlers()
    {
        var server = new LanguageServer(new MemoryStream(), new MemoryStream(), new LogLevelSwitch(), testHooks: false);
        return server.Handlers;
    }

    [Fact]
    public void GeneratedFilesAreFresh()
    {
        var root = ProtocolSamples.RepoRoot();
        var docPath = Path.Combine(root, ProtocolFiles.DocPath);
        var stale = new List<string>();
        foreach (var (path, text) in ProtocolFiles.Render(File.Exists(docPath) ? File.ReadAllText(docPath) : null))
        {
            var full = Path.Combine(root, path);
            if (!File.Exists(full) || File.ReadAllText(full).ReplaceLineEndings("\n") != text)
            {
                if (Environment.GetEnvironmentVariable("MLINTERN_UPDATE_PROTOCOL") == "1")
                {
                    File.WriteAllText(full, text);
                }
                else
                {
                    stale.Add(path);
                }
            }
        }

        Assert.True(stale.Count == 0, $"stale generated protocol files: {string.Join(", ", stale)}. Regenerate: MLINTERN_UPDATE_PROTOCOL=1 dotnet test tests/MLIntern.Server.Tests --filter FullyQualifiedName~ContractTests (or `mlintern debug protocol`).");
    }

    [Fact]
    public void EveryContractRowHasItsHandler()
    {
        var handlers = Handlers().ToDictionary(h => h.Method);
        Assert.Equal(Contract.Requests.Count, Contract.Requests.Select(r => r.Method).Distinct().Count());
        foreach (var request in Contract.Requests)
        {
            Assert.True(handlers.TryGetValue(request.Method, out var handler), $"{request.Method} is in the contract but no handler answers it");
            Assert.Equal(request.Params, handler.ParamsType);
            Assert.Equal(request.Result, handler.ResultType);
            var kind = handler.GetType().BaseType is { IsGenericType: true } b ? b.GetGenericTypeDefinition() : null;
            Assert.True((kind == typeof(WriteHandler<,>)) == (request.Effect == Effect.Writes), $"{request.Method}: the contract says {request.Effect}, the handler is a {handler.GetType().BaseType?.Name}");
            Assert.True((kind == typeof(SignalHandler<,>)) == (request.Effect == Effect.Signals), $"{request.Method}: the contract says {request.Effect}, the handler is a {handler.GetType().BaseType?.Name}");
        }
    }

    [Fact]
    public void EveryMlinternHandlerIsInTheContract()
    {
        var contract = Contract.Requests.Select(r => r.Method).ToHashSet();
        var missing = Handlers()
            .Where(h => h.Method.StartsWith("mlintern/", StringComparison.Ordinal))
            .Where(h => !contract.Contains(h.Method))
            .Select(h => h.Method)
            .ToList();
        Assert.Empty(missing);
    }

    // The generator itself, on records made for the purpose.

    internal enum Colour
    {
        DeepRed,
        [EnumMember(Value = "display-only")]
        DisplayOnly,
    }

    internal class BaseParams
    {
        public string? WorkspaceFolder { get; set; }
    }

    internal sealed class SampleParams : BaseParams
    {
        public string Name { get; set; } = "";

        public bool Smoke { get; set; }

        public int? Limit { get; set; }
    }

    internal sealed record SampleItem(string Label, double Score, Colour Colour);

    internal sealed record SampleResult(
        string Id,
        int Count,
        IReadOnlyList<SampleItem> Items,
        IReadOnlyDictionary<string, double> Values,
        IReadOnlyList<IReadOnlyList<int>> Matrix,
        SampleItem? Best,
        DateTimeOffset At,
        string? Note,
        [property: Newtonsoft.Json.JsonProperty(NullValueHandling = Newtonsoft.Json.NullValueHandling.Include)] double? Threshold);

    private static readonly RequestContract[] SampleRequests = [new("mlintern/sample", typeof(SampleParams), typeof(SampleResult), Effect.Reads, "A sample | with a bar")];

    private static readonly NotificationContract[] SampleNotifications = [new("mlintern/sampled", typeof(SampleItem), true, "Something happened")];

    private static readonly IReadOnlySet<string> TestNamespace = new HashSet<string> { "MLIntern.Server.Tests" };

    private static string SampleTypeScript() =>
        ProtocolFiles.TypeScript(ProtocolShapes.Of(SampleRequests, SampleNotifications, TestNamespace), SampleRequests, SampleNotifications);

    [Fact]
    public void TypeScriptSaysWhatTheSerializerWrites()
    {
        var ts = SampleTypeScript();
        Assert.Contains("  sample: 'mlintern/sample',", ts);
        Assert.Contains("  sampled: 'mlintern/sampled',", ts);
        Assert.Contains("'mlintern/sample': { params: SampleParams; result: SampleResult };", ts);
        Assert.Contains("'mlintern/sampled': SampleItem;", ts);
        Assert.Contains("export type Colour = 'deepRed' | 'display-only';", ts);
        // Params: inherited fields flattened, value types optional (they default), references required unless nullable.
        Assert.Contains("export interface SampleParams {\n  name: string;\n  smoke?: boolean;\n  limit?: number;\n  workspaceFolder?: string;\n}", ts);
        Assert.Contains("  items: SampleItem[];\n", ts);
        Assert.Contains("  values: Record<string, number>;\n", ts);
        Assert.Contains("  matrix: number[][];\n", ts);
        Assert.Contains("  best?: SampleItem;\n", ts);
        Assert.Contains("  at: string;\n", ts);
        Assert.Contains("  count: number;\n", ts);
        Assert.Contains("  note?: string;\n", ts);
        Assert.Contains("  threshold: number | null;\n", ts);
        Assert.Contains("export type ErrorReason = 'needsDataSet' | 'notFound' | 'refused' | 'invalidParams';", ts);

        // And the serializer agrees: a null note is left out, a null threshold written, the enum as its name.
        var json = JObject.Parse(ProtocolJson.Write(new SampleResult("a", 1, [new("x", 0.5, Colour.DisplayOnly)], new Dictionary<string, double> { ["Mixed_Case"] = 1 }, [[1]], null, DateTimeOffset.UnixEpoch, null, null)));
        Assert.False(json.ContainsKey("note"));
        Assert.False(json.ContainsKey("best"));
        Assert.Equal(JTokenType.Null, json["threshold"]!.Type);
        Assert.Equal("display-only", (string?)json["items"]![0]!["colour"]);
        Assert.NotNull(json["values"]!["Mixed_Case"]);
    }

    [Fact]
    public void SchemaAndDocNameEveryType()
    {
        var shapes = ProtocolShapes.Of(SampleRequests, SampleNotifications, TestNamespace);
        var schema = JObject.Parse(ProtocolFiles.Schema(shapes, SampleRequests, SampleNotifications));
        Assert.Equal("#/$defs/SampleResult", (string?)schema["requests"]!["mlintern/sample"]!["result"]!["$ref"]);
        var required = schema["$defs"]!["SampleResult"]!["required"]!.Values<string>().ToList();
        Assert.Contains("id", required);
        Assert.Contains("threshold", required);
        Assert.DoesNotContain("note", required);
        Assert.Equal(["deepRed", "display-only"], schema["$defs"]!["Colour"]!["enum"]!.Values<string>());

        var doc = ProtocolFiles.Doc("# Title\n\nProse.\n\n" + ProtocolFiles.BeginGenerated + "\nSTALE-TEXT\n" + ProtocolFiles.EndGenerated + "\n\nAfter.\n", shapes, SampleRequests, SampleNotifications);
        Assert.StartsWith("# Title\n\nProse.\n\n", doc);
        Assert.EndsWith(ProtocolFiles.EndGenerated + "\n\nAfter.\n", doc);
        Assert.DoesNotContain("STALE-TEXT", doc);
        Assert.Contains("| `mlintern/sample` | [SampleParams](#sampleparams) | [SampleResult](#sampleresult) | concurrently (reads) | A sample \\| with a bar |", doc);
        Assert.Throws<InvalidOperationException>(() => ProtocolFiles.Doc("no region", shapes, SampleRequests, SampleNotifications));
    }

    internal sealed record LeaksCore(MLIntern.Training.Plans.Budget Budget);

    [Fact]
    public void CoreTypesAndJObjectsInResultsAreProblems()
    {
        var shapes = ProtocolShapes.Of([new("mlintern/leak", typeof(SampleParams), typeof(LeaksCore), Effect.Reads, "")], [], TestNamespace);
        Assert.Contains(shapes.Problems, p => p.Contains("MLIntern.Training.Plans.Budget", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => ProtocolFiles.Render(null, [new("mlintern/leak", typeof(SampleParams), typeof(LeaksCore), Effect.Reads, "")], []));
    }
}
