using Microsoft.Extensions.Logging;
using MLIntern.Analysis.Findings;
using MLIntern.Server.Assist;
using MLIntern.Server.Lsp.Protocol;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace MLIntern.Server.Lsp.Handlers;

internal sealed class AskFixParams
{
    public TextDocumentIdentifier TextDocument { get; set; } = new();

    public Protocol.Range Range { get; set; } = new();

    /// <summary>A free-form request ("use macro F1"); providers that cannot read words ignore it.</summary>
    public string? Question { get; set; }
}

internal sealed class AskFixResult
{
    public string Uri { get; set; } = "";

    /// <summary>The document version every proposal's edit applies to.</summary>
    public int Version { get; set; }

    public List<JObject> Proposals { get; set; } = [];
}

/// <summary>
/// mlintern/askFix: proposals for a cursor or selection from every provider, each with a versioned
/// edit the editor shows as a diff before anything is applied. Providers run in order; one that
/// fails is logged and skipped, so the offline provider's answer always arrives.
/// </summary>
internal sealed class AskFixHandler(ServerState state, FindingsCache findings, IReadOnlyList<IFixProvider> providers) : ReadHandler<AskFixParams, AskFixResult>
{
    public override string Method => Methods.AskFix;

    protected override async Task<AskFixResult> HandleAsync(AskFixParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.Get(parameters.TextDocument.Uri) is not { } document)
        {
            throw new LocalRpcException($"{Method}: '{parameters.TextDocument.Uri}' is not open") { ErrorCode = ErrorCodes.InvalidParams };
        }

        // In a notebook cell the findings are the cell's (cell coordinates; fixes that stay in the cell).
        var notebook = snapshot.NotebookOf(document.Uri);
        var request = new FixRequest(document.Uri, notebook?.FilePath ?? document.FilePath, document.Version, document.Text, Convert.FromRange(parameters.Range), parameters.Question, findings.Get(document, notebook));
        var result = new AskFixResult { Uri = document.Uri, Version = document.Version };
        foreach (var provider in providers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<FixProposal> proposals;
            try
            {
                proposals = await provider.ProposeAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                state.Loggers.CreateLogger<AskFixHandler>().LogWarning("fix provider {Provider} failed: {Message}", provider.Name, e.Message);
                continue;
            }

            foreach (var p in proposals)
            {
                result.Proposals.Add(JObject.FromObject(new
                {
                    provider = p.Provider,
                    title = p.Title,
                    code = p.Code,
                    applicability = p.Applicability switch { Applicability.Safe => "safe", Applicability.Unsafe => "unsafe", _ => "display-only" },
                    explanation = p.Explanation,
                    edit = p.Edits.Count == 0 ? null : JObject.FromObject(Convert.ToWorkspaceEdit(document, p.Edits, versioned: true), Serializer),
                }, Serializer));
            }
        }

        return result;
    }

    private static readonly Newtonsoft.Json.JsonSerializer Serializer = Newtonsoft.Json.JsonSerializer.Create(new Newtonsoft.Json.JsonSerializerSettings
    {
        ContractResolver = new Newtonsoft.Json.Serialization.DefaultContractResolver { NamingStrategy = new Newtonsoft.Json.Serialization.CamelCaseNamingStrategy { ProcessDictionaryKeys = false } },
        NullValueHandling = Newtonsoft.Json.NullValueHandling.Ignore,
    });
}
