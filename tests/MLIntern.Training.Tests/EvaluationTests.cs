using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLIntern.Training.Evaluation;

namespace MLIntern.Training.Tests;

/// <summary>
/// The evaluation metrics against scikit-learn on the same predictions: Debian's python3-sklearn is
/// the oracle, run as a process. The cases are generated here (seeded) and cover a label that is
/// only predicted, one that is never predicted (zero_division), perfect and hopeless predictions,
/// one class, and non-ASCII labels.
/// </summary>
public sealed class EvaluationTests
{
    private const double Tolerance = 1e-9;

    private sealed record Case(string[] Truth, string[] Predicted, double[]? Confidence);

    private static List<Case> Cases()
    {
        var random = new Random(20240607);
        var cases = new List<Case>();
        string[] five = ["billing", "cancel_order", "track_order", "refund", "ünïcode_label"];
        foreach (var (n, k, accuracy) in new[] { (200, 5, 0.7), (57, 3, 0.4), (1000, 5, 0.93), (31, 5, 0.1), (12, 2, 0.5) })
        {
            var truth = new string[n];
            var predicted = new string[n];
            var confidence = new double[n];
            for (var i = 0; i < n; i++)
            {
                truth[i] = five[random.Next(k)];
                predicted[i] = random.NextDouble() < accuracy ? truth[i] : five[random.Next(k)];
                confidence[i] = predicted[i] == truth[i] ? 0.5 + (random.NextDouble() / 2) : random.NextDouble();
            }

            cases.Add(new Case(truth, predicted, confidence));
        }

        // A class only predicted, a class never predicted, everything right, one class, nothing right.
        cases.Add(new Case(["a", "a", "b", "b", "c"], ["a", "x", "b", "a", "a"], null));
        cases.Add(new Case(["a", "b", "c", "c"], ["a", "b", "b", "b"], null));
        cases.Add(new Case(["a", "b", "c"], ["a", "b", "c"], [1.0, 0.9, 0.6667]));
        cases.Add(new Case(["only", "only"], ["only", "only"], [0.0, 1.0]));
        cases.Add(new Case(["a", "b"], ["b", "a"], null));
        return cases;
    }

    private const string Oracle = """
        import json, sys
        import numpy as np
        from sklearn.metrics import accuracy_score, precision_recall_fscore_support, confusion_matrix
        from sklearn.utils.multiclass import unique_labels
        out = []
        for c in json.load(sys.stdin):
            t, p = c["truth"], c["predicted"]
            labels = [str(l) for l in unique_labels(t, p)]
            r = {"labels": labels, "accuracy": accuracy_score(t, p)}
            for avg in ("macro", "micro", "weighted"):
                r[avg] = [float(v) for v in precision_recall_fscore_support(t, p, average=avg, zero_division=0)[:3]]
            pr, rc, f, s = precision_recall_fscore_support(t, p, labels=labels, average=None, zero_division=0)
            r["per_class"] = [[float(a), float(b), float(x), int(d)] for a, b, x, d in zip(pr, rc, f, s)]
            r["cm"] = confusion_matrix(t, p, labels=labels).tolist()
            r["cm_norm"] = np.nan_to_num(confusion_matrix(t, p, labels=labels, normalize="true")).tolist()
            if c.get("confidence") is not None:
                conf = np.array(c["confidence"]); ok = np.array(t) == np.array(p); bins = 15
                idx = np.clip(np.ceil(conf * bins).astype(int) - 1, 0, bins - 1)
                r["ece"] = float(sum(abs(ok[idx == b].mean() - conf[idx == b].mean()) * (idx == b).sum() / len(conf) for b in range(bins) if (idx == b).any()))
            out.append(r)
        print(json.dumps(out))
        """;

    [Fact]
    public void Metrics_equal_scikit_learns_to_1e_9()
    {
        var cases = Cases();
        var input = JsonSerializer.Serialize(cases.Select(c => new { truth = c.Truth, predicted = c.Predicted, confidence = c.Confidence }));
        var answers = JsonNode.Parse(RunPython(Oracle, input))!.AsArray();
        Assert.Equal(cases.Count, answers.Count);
        var largestDifference = 0.0;
        void Close(double expected, double actual, string what)
        {
            largestDifference = Math.Max(largestDifference, Math.Abs(expected - actual));
            Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: scikit-learn {expected:R}, ours {actual:R}");
        }

        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var expected = answers[i]!;
            var ours = ClassificationMetrics.Compute(c.Truth, c.Predicted);
            Assert.Equal(expected["labels"]!.AsArray().Select(l => (string)l!), ours.Labels);
            Close((double)expected["accuracy"]!, ours.Accuracy, $"case {i} accuracy");
            foreach (var (name, scores) in new[] { ("macro", ours.Macro), ("micro", ours.Micro), ("weighted", ours.Weighted) })
            {
                var e = expected[name]!.AsArray();
                Close((double)e[0]!, scores.Precision, $"case {i} {name} precision");
                Close((double)e[1]!, scores.Recall, $"case {i} {name} recall");
                Close((double)e[2]!, scores.F1, $"case {i} {name} F1");
            }

            var perClass = expected["per_class"]!.AsArray();
            for (var k = 0; k < ours.Labels.Count; k++)
            {
                var e = perClass[k]!.AsArray();
                Close((double)e[0]!, ours.PerClass[k].Precision, $"case {i} {ours.Labels[k]} precision");
                Close((double)e[1]!, ours.PerClass[k].Recall, $"case {i} {ours.Labels[k]} recall");
                Close((double)e[2]!, ours.PerClass[k].F1, $"case {i} {ours.Labels[k]} F1");
                Assert.Equal((int)e[3]!, ours.PerClass[k].Support);
                Assert.Equal(expected["cm"]![k]!.AsArray().Select(v => (int)v!), ours.Confusion[k]);
                var norm = expected["cm_norm"]![k]!.AsArray();
                for (var j = 0; j < ours.Labels.Count; j++)
                {
                    Close((double)norm[j]!, ours.ConfusionNormalized[k][j], $"case {i} normalised [{k},{j}]");
                }
            }

            if (c.Confidence is { } confidence)
            {
                // The scores carry the confidence on the predicted label and split the rest, so they are a distribution.
                var rows = c.Truth.Select((t, r) => new EvaluatedRow("text", t, c.Predicted[r], Distribution(c.Predicted[r], confidence[r]))).ToArray();
                var calibration = Calibration.Compute(rows)!;
                Assert.Equal(Calibration.FromProbabilities, calibration.Source);
                Assert.Equal(15, calibration.Bins);
                Close((double)expected["ece"]!, calibration.Ece, $"case {i} ECE");
            }
        }

        Assert.True(largestDifference <= Tolerance);
    }

    private static Dictionary<string, double> Distribution(string predicted, double confidence) =>
        new(StringComparer.Ordinal) { [predicted] = confidence, ["~other"] = 1 - confidence };

    [Fact]
    public void Failure_analysis_finds_the_confused_pair_the_confident_mistake_and_the_weak_slice()
    {
        var rows = new List<EvaluatedRow>();
        for (var i = 0; i < 20; i++)
        {
            rows.Add(new EvaluatedRow($"where is my order number {i} please", "track_order", "track_order", Scores("track_order", 3)));
            rows.Add(new EvaluatedRow("CANCEL MY ORDER NOW", "cancel_order", i % 2 == 0 ? "change_order" : "cancel_order", Scores(i % 2 == 0 ? "change_order" : "cancel_order", i == 0 ? 9 : 1)));
        }

        rows.Add(new EvaluatedRow("change {{Order Number}}", "change_order", "change_order", Scores("change_order", 2)));
        var report = EvaluationReport.Build(new EvaluationSource(null, "/runs/x", null, null, null, null, rows.Count, 0), rows);
        var pair = Assert.Single(report.ConfusedPairs);
        Assert.Equal(("cancel_order", "change_order", 10), (pair.Label, pair.Predicted, pair.Count));
        Assert.Equal(0.5, pair.ShareOfLabel);
        Assert.Equal(10, report.Misclassified.Count);
        Assert.True(report.Misclassified[0].Confidence > report.Misclassified[1].Confidence);
        var upper = Assert.Single(report.Slices, s => s.Kind == "case");
        Assert.Equal((20, 10, 0.5), (upper.Count, upper.Errors, upper.Accuracy));
        Assert.Single(report.Slices, s => s.Kind == "placeholder");
        Assert.Contains(report.Suggestions, s => s.Contains("upper case", StringComparison.Ordinal) && s.Contains("0.500", StringComparison.Ordinal));
        Assert.Equal(Calibration.FromSoftmax, report.Calibration!.Source);
        Assert.Contains(report.Notes, n => n.Contains("softmax", StringComparison.Ordinal));
    }

    private static Dictionary<string, double> Scores(string winner, double margin) =>
        new(StringComparer.Ordinal) { ["cancel_order"] = 0, ["change_order"] = 0, ["track_order"] = 0, [winner] = margin };

    [Theory]
    [InlineData("pleeease help", true)]
    [InlineData("wrkfls brkn", true)]
    [InlineData("where is my order", false)]
    [InlineData("rhythm", false)]
    public void Noisy_spelling_heuristic(string text, bool noisy) => Assert.Equal(noisy, FailureAnalysis.HasNoisySpelling(text));

    internal static string RunPython(string program, string input)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(program);
        using var process = Process.Start(info)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python3 failed ({process.ExitCode}); is python3-sklearn installed (apt-get install -y python3-sklearn)? {errors.Result}");
        return output;
    }
}
