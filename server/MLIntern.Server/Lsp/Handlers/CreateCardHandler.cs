using Microsoft.Extensions.Logging;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Lsp.Protocol;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>mlintern/createCard: writes README.md into the run's model folder; returns its path, the unfilled fields and the validator's problems.</summary>
internal sealed class CreateCardHandler(ILogger logger) : WriteHandler<Wire.CreateCardParams, Wire.CardResult>
{
    public override string Method => Methods.CreateCard;

    protected override Task<Wire.CardResult> HandleAsync(Wire.CreateCardParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var run = RunRequests.Resolve(parameters);
        Release.CardResult result;
        try
        {
            result = Release.CardWriter.Write(run, new Release.CardOptions(parameters.License, parameters.Languages, parameters.DatasetId, parameters.Author ?? Environment.UserName, parameters.ModelName), cancellationToken);
        }
        catch (PredictionsException e)
        {
            throw RunRequests.Invalid(e.Message);
        }

        logger.LogInformation("wrote the model card of run {Run}: {Unfilled} unfilled", run.Id ?? run.Folder, result.Unfilled.Count);
        return Task.FromResult(Wire.CardResult.From(result));
    }
}
