using MLIntern.Data.Profiling;
using MLIntern.Server.Engine;
using MLIntern.Server.Evaluate;
using MLIntern.Training.Evaluation;
using MLIntern.Training.Plans;
using MLIntern.Training.Release;

namespace MLIntern.Server.Release;

/// <summary>What the user adds that the run cannot know: license, languages, the data set's Hub id, the author, a model name.</summary>
internal sealed record CardOptions(string? License = null, IReadOnlyList<string>? Languages = null, string? DatasetId = null, string? Author = null, string? ModelName = null);

/// <summary>The card written: its path, the unfilled fields, and the validator's problems.</summary>
internal sealed record CardResult(string Path, string ModelFolder, IReadOnlyList<string> Unfilled, IReadOnlyList<CardProblem> Problems);

/// <summary>
/// Gathers a run's facts (run.json, the plan, eval.json, the evaluation and the data set's checks)
/// into a model card and writes README.md into the run's model folder (`&lt;run&gt;/model/`; the
/// baseline's model.bin is copied there so the folder is what gets published).
/// </summary>
internal static class CardWriter
{
    public const string ModelFolderName = "model";

    public static string ModelFolder(RunContext run) => Path.Combine(run.Folder, ModelFolderName);

    public static CardResult Write(RunContext run, CardOptions options, CancellationToken cancellationToken = default)
    {
        var report = RunEvaluator.Evaluate(run, new EvaluateOptions(), cancellationToken);
        var plan = run.Plan;
        var kind = run.Record?.Kind ?? (File.Exists(Path.Combine(run.Folder, "model.bin")) ? "baseline" : "script");
        var datasetName = plan is null ? "unknown data set" : Path.GetFileNameWithoutExtension(plan.DataPath.TrimEnd('/', '\\'));
        double? hours = run.Record is { StartedAt: { } start, EndedAt: { } end } ? (end - start).TotalHours : null;
        var encoderHead = SpaceWriter.EncoderHead(run);
        var inputs = new CardInputs
        {
            ModelName = options.ModelName ?? $"{datasetName}-{(kind == "baseline" ? "baseline" : plan?.Model?.Split('/').Last() ?? "model")}-{run.Id ?? "run"}",
            RunId = run.Id ?? run.Folder,
            Kind = kind,
            BaseModel = plan?.Model,
            Encoder = encoderHead is { } head ? (head.EncoderId, SpaceWriter.EncoderLicense, head.ReadsTfidfToo) : null,
            EncoderWeights = encoderHead?.EncoderWeights,
            License = options.License,
            Languages = options.Languages ?? [],
            DatasetId = options.DatasetId ?? Hub.HubProvenance.IdForPlan(plan, run.Workspace),
            DatasetName = datasetName,
            Split = "test",
            SplitDescription = run.Eval?["split"]?.ToString(),
            Author = options.Author,
            Accuracy = report.Metrics.Accuracy,
            MacroF1 = report.Metrics.Macro.F1,
            Labels = report.Metrics.Labels,
            Hyperparameters = plan?.Hyperparameters ?? new Dictionary<string, string>(),
            TrainRows = run.Eval?["train_rows"]?.ToObject<int?>(),
            TestRows = report.Metrics.Count,
            HardwareId = plan?.Estimate.HardwareId,
            HardwareName = plan?.Estimate.HardwareName,
            Hours = hours,
            EstimatedFlops = plan?.Estimate.Flops,
            Evaluation = report,
            DataFindings = plan is null ? [] : DataFindings(plan, cancellationToken),
        };

        var card = ModelCard.Generate(inputs, Environment.ProcessorCount);
        var folder = ModelFolder(run);
        Directory.CreateDirectory(folder);
        var modelBin = Path.Combine(run.Folder, "model.bin");
        if (kind == "baseline" && File.Exists(modelBin))
        {
            State.AtomicFile.Write(Path.Combine(folder, "model.bin"), target =>
            {
                using var source = File.OpenRead(modelBin);
                source.CopyTo(target);
            });
        }

        var path = Path.Combine(folder, "README.md");
        var readme = Secrets.Redact(card.Readme);
        State.AtomicFile.WriteAllText(path, readme);
        return new CardResult(path, folder, card.Unfilled, CardValidator.ValidateReadme(readme));
    }

    /// <summary>The data set checks that found something, as "MLDxxx: message (count)".</summary>
    private static IReadOnlyList<string> DataFindings(TrainingPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            var splits = DataSets.Discover(plan.DataPath);
            if (splits.Count == 0)
            {
                return [];
            }

            var options = DataSets.Options(plan.DataPath, null, [], new DataCheckOptions { TextColumn = plan.TextColumn, LabelColumn = plan.LabelColumn });
            var profile = new DatasetProfiler(splits, options).Run(cancellationToken);
            return [.. profile.Checks.Where(c => c.Count > 0).Select(c => $"{c.Code} {c.Message}{(c.Estimated ? " (estimated)" : "")}")];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return [$"the data set could not be profiled: {e.Message}"];
        }
    }
}
