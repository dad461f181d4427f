using MLIntern.Server.Evaluate;
using MLIntern.Server.Lsp.Protocol;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/createDemo: writes the Gradio Space into the run's space/ folder; returns the folder, files,
/// unfilled fields, and — for a built-in baseline run — the command that serves it locally (for a task).
/// </summary>
internal sealed class CreateDemoHandler : WriteHandler<Wire.CreateDemoParams, Wire.DemoResult>
{
    /// <summary>The port `mlintern demo --serve` listens on (127.0.0.1 only).</summary>
    public const int ServePort = 7860;

    public override string Method => Methods.CreateDemo;

    protected override Task<Wire.DemoResult> HandleAsync(Wire.CreateDemoParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var run = RunRequests.Resolve(parameters);
        Release.SpaceResult result;
        try
        {
            result = Release.SpaceWriter.Write(run, parameters.ModelId, parameters.License, parameters.SdkVersion);
        }
        catch (PredictionsException e)
        {
            throw RunRequests.Invalid(e.Message);
        }

        // Only a built-in baseline (model.bin) can be served by the sidecar itself.
        var baseline = File.Exists(Path.Combine(run.Folder, "model.bin"));
        var serve = baseline ? new Wire.ServeCommand("mlintern", ["demo", run.Folder, "--serve", "--port", ServePort.ToString(System.Globalization.CultureInfo.InvariantCulture)], $"http://127.0.0.1:{ServePort}/") : null;
        return Task.FromResult(Wire.DemoResult.From(result, serve));
    }
}
