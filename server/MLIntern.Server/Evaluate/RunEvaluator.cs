using System.Globalization;
using MLIntern.Data.Profiling;
using MLIntern.Server.Engine;
using MLIntern.Training.Baseline;
using MLIntern.Training.Evaluation;
using MLIntern.Training.Plans;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Evaluate;

/// <summary>What the caller wants: the audit forced on/off (null: by threshold), its options, a category column.</summary>
internal sealed record EvaluateOptions(bool? Audit = null, AuditOptions? AuditOptions = null, string? CategoryColumn = null);

/// <summary>predictions.jsonl is unusable (missing, empty, or every line malformed); the message names the file and line.</summary>
internal sealed class PredictionsException(string message) : Exception(message);

/// <summary>
/// Evaluates a run folder: reads predictions.jsonl (one object per line: text, label, predicted,
/// optional scores), joins the data set for a category column, computes the report, and runs the
/// leakage audit on the run's data when the score calls for it.
/// </summary>
internal static class RunEvaluator
{
    /// <summary>predictions.jsonl larger than this is refused (a user file: every read has a limit).</summary>
    public const long MaxPredictionsBytes = 512L << 20;

    public static EvaluationReport Evaluate(RunContext run, EvaluateOptions options, CancellationToken cancellationToken = default)
    {
        var notes = new List<string>();
        var (rows, skipped) = ReadPredictions(run.PredictionsPath, notes);
        var plan = run.Plan;
        string? categoryColumn = null;
        LabeledRows? train = null, test = null;
        if (plan is not null && plan.TextColumn is not null && plan.LabelColumn is not null && (File.Exists(plan.DataPath) || Directory.Exists(plan.DataPath)))
        {
            try
            {
                var splits = DataSets.Discover(plan.DataPath);
                (categoryColumn, rows) = JoinCategory(rows, splits, plan.TextColumn, plan.LabelColumn, options.CategoryColumn, cancellationToken);
                (train, test) = Split(plan, splits, notes, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                notes.Add($"data set {plan.DataPath} not read: {e.Message}");
            }
        }
        else
        {
            notes.Add(plan is null ? "no plan found for this run: no data set, so no category slices and no audit" : $"data set {plan.DataPath} not found: no category slices and no audit");
        }

        var source = new EvaluationSource(run.Id, run.Folder, plan?.DataPath, plan?.TextColumn, plan?.LabelColumn, categoryColumn, rows.Count, skipped);
        var report = EvaluationReport.Build(source, rows, null, notes);
        var auditOptions = options.AuditOptions ?? new AuditOptions(Seed: Seed(plan));
        var macro = report.Metrics.Macro.F1;
        var wanted = options.Audit ?? LeakageAudit.ShouldRun(macro, auditOptions);
        if (!wanted)
        {
            return report;
        }

        if (train is null || test is null)
        {
            return report with { Notes = [.. report.Notes, "leakage audit not run: the run's data set could not be read"] };
        }

        var reason = options.Audit == true ? "requested" : string.Format(CultureInfo.InvariantCulture, "macro-F1 {0:0.000} ≥ {1}", macro, auditOptions.Threshold);
        // The paraphrase overlap embeds both splits with the built-in encoder (cached in the workspace by content).
        using var encoder = new Encoder.BuiltInEncoder();
        var store = run.Workspace is { } root ? new State.WorkspaceStore(root) : null;
        var audit = LeakageAudit.Run(train, test, macro, reason, auditOptions, cancellationToken: cancellationToken, embed: (texts, ct) => encoder.Embed(store, texts, _ => { }, ct), encoder: Encoder.BuiltInEncoder.ModelId);
        return report with { Audit = audit, Suggestions = EvaluationReport.Suggest(report.Metrics, report.Slices, audit) };
    }

    private static int Seed(TrainingPlan? plan) =>
        plan is not null && plan.Hyperparameters.TryGetValue("seed", out var s) && int.TryParse(s, CultureInfo.InvariantCulture, out var seed) ? seed : 42;

    /// <summary>
    /// The train and test rows the run used: the data set's test split (or validation) when it has one;
    /// otherwise the baseline trainer's seeded stratified hold-out, reproduced.
    /// </summary>
    private static (LabeledRows Train, LabeledRows Test) Split(TrainingPlan plan, IReadOnlyList<DataSplit> splits, List<string> notes, CancellationToken cancellationToken)
    {
        var trainSplit = splits.FirstOrDefault(x => x.Name == "train") ?? splits.FirstOrDefault(x => x.Name == "all") ?? throw new InvalidOperationException("no train split");
        var testSplit = splits.FirstOrDefault(x => x.Name == "test") ?? splits.FirstOrDefault(x => x.Name is "validation" or "valid" or "val" or "dev");
        var train = LabeledRows.Read(trainSplit, plan.TextColumn!, plan.LabelColumn!, cancellationToken: cancellationToken);
        if (testSplit is not null)
        {
            return (train, LabeledRows.Read(testSplit, plan.TextColumn!, plan.LabelColumn!, cancellationToken: cancellationToken));
        }

        var seed = Seed(plan);
        var defaults = new BaselineOptions(Seed: seed);
        var (trainIndices, testIndices) = StratifiedSplit.Split(train.Labels, defaults.TestFraction, seed);
        if (plan.Kind != PlanKind.Baseline)
        {
            notes.Add($"the data set has no test split; the audit assumes the script held out a stratified {defaults.TestFraction:0.##} with seed {seed}, as the baseline does");
        }

        return (train.Take(trainIndices), train.Take(testIndices));
    }

    /// <summary>Adds the category of each predicted text from the data set's category column (named by the caller, or "category").</summary>
    private static (string? Column, List<EvaluatedRow> Rows) JoinCategory(List<EvaluatedRow> rows, IReadOnlyList<DataSplit> splits, string textColumn, string labelColumn, string? wanted, CancellationToken cancellationToken)
    {
        foreach (var column in wanted is not null ? [wanted] : new[] { "category", "Category", "CATEGORY" })
        {
            if (column == labelColumn || column == textColumn)
            {
                continue;
            }

            var byText = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var split in splits)
            {
                var pairs = LabeledRows.Read(split, textColumn, column, cancellationToken: cancellationToken);
                for (var i = 0; i < pairs.Count; i++)
                {
                    byText.TryAdd(pairs.Texts[i], pairs.Labels[i]);
                }
            }

            if (byText.Count > 0)
            {
                return (column, [.. rows.Select(r => byText.TryGetValue(r.Text, out var category) ? r with { Category = category } : r)]);
            }
        }

        return (null, rows);
    }

    /// <summary>Reads predictions.jsonl; a malformed line is skipped and noted with its number, no line at all is an error.</summary>
    public static (List<EvaluatedRow> Rows, int Skipped) ReadPredictions(string path, List<string> notes)
    {
        if (!File.Exists(path))
        {
            throw new PredictionsException($"{path}: not found — the run wrote no predictions (the baseline and generated scripts write predictions.jsonl into the run folder)");
        }

        if (new FileInfo(path).Length > MaxPredictionsBytes)
        {
            throw new PredictionsException($"{path}: larger than {MaxPredictionsBytes >> 20} MB; refusing to read it");
        }

        var rows = new List<EvaluatedRow>();
        var skipped = 0;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (Parse(line) is { } row)
            {
                rows.Add(row);
            }
            else
            {
                if (skipped++ < 5)
                {
                    notes.Add($"{path}:{lineNumber}: skipped: not an object with string text, label and predicted");
                }
            }
        }

        if (rows.Count == 0)
        {
            throw new PredictionsException(skipped == 0 ? $"{path}: empty" : $"{path}: no readable line ({skipped} malformed; the first at the line named above)");
        }

        return (rows, skipped);
    }

    private static EvaluatedRow? Parse(string line)
    {
        JObject o;
        try
        {
            o = JObject.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }

        if (o["text"] is not JValue { Type: JTokenType.String } text || Label(o["label"]) is not { } label || Label(o["predicted"]) is not { } predicted)
        {
            return null;
        }

        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        if (o["scores"] is JObject s)
        {
            foreach (var (key, value) in s)
            {
                if (value is JValue { Type: JTokenType.Float or JTokenType.Integer } v)
                {
                    scores[key] = v.Value<double>();
                }
            }
        }

        return new EvaluatedRow((string)text!, label, predicted, scores);
    }

    /// <summary>A label as text: strings as they are, integers (class ids) printed.</summary>
    private static string? Label(JToken? token) => token switch
    {
        JValue { Type: JTokenType.String } s => (string?)s,
        JValue { Type: JTokenType.Integer } i => ((long)i).ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
