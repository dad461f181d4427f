using System.Text;
using MLIntern.Training.Text;

namespace MLIntern.Training.Release;

/// <summary>What a Space is made from.</summary>
public sealed record SpaceInputs
{
    public required string Title { get; init; }

    /// <summary>The model's Hub id (user/name) the app loads; null when not published yet (then listed as unfilled).</summary>
    public string? ModelId { get; init; }

    public string? License { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Example texts for the app; the caller has removed personal data and placeholders.</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];

    public string SdkVersion { get; init; } = GradioSpace.DefaultSdkVersion;

    /// <summary>
    /// An encoder-baseline run: the app loads this sentence encoder from the Hub with sentence-transformers and
    /// applies the head in head.json (numpy) instead of a transformers pipeline on <see cref="ModelId"/>.
    /// </summary>
    public EncoderSpaceHead? Encoder { get; init; }
}

/// <summary>
/// The encoder baseline's head over the embedding, for a Space: the encoder's Hub id and its licence, the labels, weights
/// (labels × dimension) and biases; <paramref name="EncoderWeights"/>: which of the encoder's weights embedded its training rows
/// (fp32, or int8-dynamic: ML Intern's int8 rewrite; the Space itself always embeds with the Hub's fp32 model).
/// </summary>
public sealed record EncoderSpaceHead(string EncoderId, string EncoderLicense, IReadOnlyList<string> Labels, IReadOnlyList<float[]> Weights, IReadOnlyList<float> Biases, bool ReadsTfidfToo, string EncoderWeights = "fp32");

/// <summary>
/// A Gradio Space for a text classifier: <c>app.py</c> (gr.Interface with a gr.Label output,
/// <c>api_name="predict"</c>, a transformers text-classification pipeline with <c>top_k=None</c> that
/// accepts both output shapes), <c>requirements.txt</c> (without gradio: the Space installs the
/// sdk_version named in the README) and <c>README.md</c> with the Spaces front matter.
/// </summary>
public static class GradioSpace
{
    public const string DefaultSdkVersion = "6.0.0";

    /// <summary>The colours the Spaces front matter accepts for colorFrom / colorTo.</summary>
    public static readonly IReadOnlySet<string> Colors = new HashSet<string>(StringComparer.Ordinal) { "red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray" };

    public static readonly IReadOnlySet<string> Sdks = new HashSet<string>(StringComparer.Ordinal) { "gradio", "docker", "static", "streamlit" };

    public sealed record Space(IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Unfilled);

    public static Space Generate(SpaceInputs input)
    {
        var unfilled = new List<string>();
        if (input.Encoder is not null)
        {
            input = input with { ModelId = input.Encoder.EncoderId };
        }

        if (input.ModelId is null)
        {
            unfilled.Add("models");
        }

        if (input.License is null)
        {
            unfilled.Add("license");
        }

        var front = new OrderedDictionary<string, object?>
        {
            ["title"] = input.Title.Length > 60 ? input.Title[..60] : input.Title,
            ["emoji"] = "🏷️",
            ["colorFrom"] = "indigo",
            ["colorTo"] = "blue",
            ["sdk"] = "gradio",
            ["sdk_version"] = input.SdkVersion,
            ["app_file"] = "app.py",
            ["pinned"] = false,
        };
        if (input.License is { } license)
        {
            front["license"] = license;
        }

        if (input.ModelId is { } modelId)
        {
            front["models"] = new List<object?> { modelId };
        }

        var readme = new StringBuilder("---\n").Append(MiniYaml.Write(front)).Append("---\n\n")
            .Append("# ").Append(input.Title).Append("\n\n")
            .Append("Type a text and see the score of every label. The model is ")
            .Append(input.ModelId is null ? "not named yet" : $"[{input.ModelId}](https://huggingface.co/{input.ModelId})")
            .Append(input.Encoder is { } head
                ? $" (licence {head.EncoderLicense}), frozen, with a logistic-regression head trained by ML Intern (`head.json`, {head.Labels.Count} labels × {head.Weights.FirstOrDefault()?.Length ?? 0} weights); the app embeds the text with sentence-transformers (mean pooling, unit length) and applies the head with numpy. The API endpoint is `/predict`.\n"
                    + (head.ReadsTfidfToo ? "\nThe run's own head also read the TF-IDF baseline's scores, which this app cannot compute; `head.json` is the head trained on the embedding alone, so the Space's scores can differ from the run's evaluation.\n" : "")
                    + (head.EncoderWeights == "int8-dynamic" ? "\nML Intern embedded the training texts with the encoder's weight matrices quantized to int8 (dynamic quantization, for speed on a CPU); this app embeds with the original fp32 model, whose embeddings are within a cosine of about 0.99 of those, so now and then a label can differ from what ML Intern's own demo says.\n" : "")
                : "; the app calls a transformers `text-classification` pipeline. The API endpoint is `/predict`.\n");
        if (unfilled.Count > 0)
        {
            readme.Append("\n## Unfilled fields\n\n").Append(string.Join("", unfilled.Select(u => $"- `{u}`\n")))
                .Append($"\n<!-- {CardValidator.UnfilledMarker} {string.Join(", ", unfilled)} -->\n");
        }

        var files = input.Encoder is { } encoder
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["app.py"] = EncoderApp(input, encoder),
                ["head.json"] = HeadJson(encoder),
                ["requirements.txt"] = "sentence-transformers>=3.0\nnumpy\n",
                ["README.md"] = readme.ToString(),
            }
            : new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["app.py"] = App(input),
                ["requirements.txt"] = "transformers>=4.44\ntorch\n",
                ["README.md"] = readme.ToString(),
            };
        return new Space(files, unfilled);
    }

    /// <summary>Checks a Space README's front matter: sdk, sdk_version, app_file, colours, title.</summary>
    public static IReadOnlyList<CardProblem> ValidateReadme(string readme)
    {
        var (front, _, _) = MiniYaml.SplitFrontMatter(readme);
        if (front is null)
        {
            return [new CardProblem(CardProblem.Error, "metadata", "README.md has no YAML front matter")];
        }

        var (map, errors) = MiniYaml.Read(front);
        var problems = errors.Select(e => new CardProblem(CardProblem.Error, "metadata", $"YAML line {e.Line + 1}: {e.Message}")).ToList();
        void Require(string field, Func<object?, bool> ok, string message)
        {
            if (!ok(map.GetValueOrDefault(field)))
            {
                problems.Add(new CardProblem(CardProblem.Error, field, message));
            }
        }

        Require("title", v => v is string { Length: > 0 }, "title is required");
        Require("sdk", v => v is string s && Sdks.Contains(s), "sdk must be gradio, docker, static or streamlit");
        Require("sdk_version", v => map.GetValueOrDefault("sdk") is not "gradio" || v is string { Length: > 0 }, "sdk_version is required for a gradio Space (as a quoted string)");
        Require("app_file", v => v is string { Length: > 0 }, "app_file is required");
        Require("colorFrom", v => v is null || (v is string s && Colors.Contains(s)), "colorFrom must be one of " + string.Join(", ", Colors));
        Require("colorTo", v => v is null || (v is string s && Colors.Contains(s)), "colorTo must be one of " + string.Join(", ", Colors));
        if (map.GetValueOrDefault("license") is string license && !CardValidator.Licenses.Contains(license))
        {
            problems.Add(new CardProblem(CardProblem.Error, "license", $"'{license}' is not a Hub license identifier"));
        }

        problems.AddRange(CardValidator.UnfilledFields(readme).Select(f => new CardProblem(CardProblem.Error, f, $"unfilled: {f}", Unfilled: true)));
        return problems;
    }

    private static string App(SpaceInputs input)
    {
        var examples = string.Join(", ", input.Examples.Take(5).Select(e => "[" + PythonString(e) + "]"));
        return $$"""
            # A Gradio demo of a text classifier, written by ML Intern.
            import os

            import gradio as gr
            from transformers import pipeline

            # The model to serve: the Hub id the card was published under (override with MODEL_ID).
            MODEL_ID = os.environ.get("MODEL_ID", {{PythonString(input.ModelId ?? "")}})
            if not MODEL_ID:
                raise SystemExit("Set MODEL_ID to the model's Hub id (user/name).")

            # top_k=None returns the score of every label, not just the best one.
            classifier = pipeline("text-classification", model=MODEL_ID, top_k=None)


            def predict(text: str) -> dict[str, float]:
                if not text or not text.strip():
                    return {}
                output = classifier(text, truncation=True)
                # Depending on the transformers version, one text gives [{label, score}, ...] or
                # [[{label, score}, ...]]; a single dict is possible with top_k=1. Accept all three.
                if isinstance(output, dict):
                    output = [output]
                if output and isinstance(output[0], list):
                    output = output[0]
                return {item["label"]: float(item["score"]) for item in output}


            demo = gr.Interface(
                fn=predict,
                inputs=gr.Textbox(label="Text", lines=3, placeholder="Type a text to classify"),
                outputs=gr.Label(label="Scores", num_top_classes={{Math.Clamp(input.Labels.Count, 1, 10)}}),
                title={{PythonString(input.Title)}},
                description="Scores of every label for the text you type.",
                examples=[{{examples}}],
                api_name="predict",
                flagging_mode="never",
            )

            if __name__ == "__main__":
                demo.launch()

            """;
    }

    /// <summary>head.json: {"encoder", "labels", "weights": [[…] per label], "biases"}; floats in invariant round-trip form.</summary>
    private static string HeadJson(EncoderSpaceHead head)
    {
        var f = System.Globalization.CultureInfo.InvariantCulture;
        var json = new StringBuilder("{\n  \"encoder\": ").Append(DoubleQuoted.Of(head.EncoderId)).Append(",\n  \"labels\": [")
            .Append(string.Join(", ", head.Labels.Select(DoubleQuoted.Of))).Append("],\n  \"weights\": [\n");
        json.Append(string.Join(",\n", head.Weights.Select(row => "    [" + string.Join(", ", row.Select(w => w.ToString("R", f))) + "]")));
        json.Append("\n  ],\n  \"biases\": [").Append(string.Join(", ", head.Biases.Select(b => b.ToString("R", f)))).Append("]\n}\n");
        return json.ToString();
    }

    private static string EncoderApp(SpaceInputs input, EncoderSpaceHead head)
    {
        var examples = string.Join(", ", input.Examples.Take(5).Select(e => "[" + PythonString(e) + "]"));
        return $$"""
            # A Gradio demo of ML Intern's encoder baseline: a frozen sentence encoder and a logistic-regression head.
            import json
            from pathlib import Path

            import gradio as gr
            import numpy as np
            from sentence_transformers import SentenceTransformer

            HEAD = json.loads((Path(__file__).parent / "head.json").read_text(encoding="utf-8"))
            # The encoder the head was trained on, from the Hub ({{head.EncoderLicense}}); max_seq_length as ML Intern truncates.
            encoder = SentenceTransformer(HEAD["encoder"])
            encoder.max_seq_length = 256
            LABELS = HEAD["labels"]
            WEIGHTS = np.asarray(HEAD["weights"], dtype=np.float32)
            BIASES = np.asarray(HEAD["biases"], dtype=np.float32)


            def predict(text: str) -> dict[str, float]:
                if not text or not text.strip():
                    return {}
                embedding = encoder.encode([text], normalize_embeddings=True)[0]
                logits = WEIGHTS @ embedding + BIASES
                probabilities = np.exp(logits - logits.max())
                probabilities /= probabilities.sum()
                return {label: float(p) for label, p in zip(LABELS, probabilities)}


            demo = gr.Interface(
                fn=predict,
                inputs=gr.Textbox(label="Text", lines=3, placeholder="Type a text to classify"),
                outputs=gr.Label(label="Scores", num_top_classes={{Math.Clamp(input.Labels.Count, 1, 10)}}),
                title={{PythonString(input.Title)}},
                description="Probabilities of every label for the text you type.",
                examples=[{{examples}}],
                api_name="predict",
                flagging_mode="never",
            )

            if __name__ == "__main__":
                demo.launch()

            """;
    }

    /// <summary>A Python string literal (<see cref="DoubleQuoted"/>; non-ASCII kept as is — Python 3 source is UTF-8).</summary>
    public static string PythonString(string text) => DoubleQuoted.Of(text);
}
