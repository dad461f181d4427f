using MLIntern.Server.Hub;
using MLIntern.Server.Lsp.Protocol;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>mlintern/searchDatasets: the Hub's data sets for a query and filters, as `mlintern datasets search` lists them.</summary>
internal sealed class SearchDatasetsHandler : ReadHandler<Wire.SearchDatasetsParams, Wire.SearchDatasetsResult>
{
    private static readonly string[] Sorts = ["downloads", "likes", "lastModified", "trendingScore", "createdAt"];

    public override string Method => Methods.SearchDatasets;

    protected override async Task<Wire.SearchDatasetsResult> HandleAsync(Wire.SearchDatasetsParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var sort = parameters.Sort ?? "downloads";
        if (!Sorts.Contains(sort))
        {
            throw TrainingRequests.Invalid($"sort must be one of {string.Join(", ", Sorts)}; got '{sort}'");
        }

        using var client = HubRequests.Client();
        try
        {
            var results = await client.SearchAsync(new HubSearch(parameters.Query, parameters.Task, parameters.Language, parameters.License, sort, parameters.Limit ?? 20), cancellationToken);
            return new Wire.SearchDatasetsResult([.. results.Select(Wire.HubDataset.From)]);
        }
        catch (HubException e)
        {
            throw HubRequests.Error(e);
        }
    }
}
