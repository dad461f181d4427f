using MLIntern.Server.Hub;
using MLIntern.Server.Lsp.Protocol;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>mlintern/datasetInfo: a Hub data set described as `mlintern datasets info` describes it (the detail page's content).</summary>
internal sealed class DatasetInfoHandler : ReadHandler<Wire.DatasetInfoParams, Wire.DatasetInfoResult>
{
    public override string Method => Methods.DatasetInfo;

    protected override async Task<Wire.DatasetInfoResult> HandleAsync(Wire.DatasetInfoParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var id = HubRequests.Id(parameters.Id);
        using var client = HubRequests.Client();
        try
        {
            return Wire.DatasetInfoResult.From(await HubDatasets.InfoAsync(client, id, parameters.Config, parameters.Split, cancellationToken));
        }
        catch (HubException e)
        {
            throw HubRequests.Error(e);
        }
    }
}
