using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Release;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>mlintern/preflightPublish: what would be uploaded (files, sizes), what blocks it, and the fileListHash an approval must repeat.</summary>
internal sealed class PreflightPublishHandler : ReadHandler<Wire.PublishParams, Wire.PreflightReport>
{
    public override string Method => Methods.PreflightPublish;

    protected override Task<Wire.PreflightReport> HandleAsync(Wire.PublishParams parameters, Snapshot snapshot, CancellationToken cancellationToken) =>
        Task.FromResult(Wire.PreflightReport.From(Publisher.Check(PublishRequests.Target(parameters))));
}
