using MLIntern.Data.Checks;
using MLIntern.Server.Evaluate;
using MLIntern.Training.Evaluation;
using MLIntern.Training.Release;

namespace MLIntern.Server.Release;

/// <summary>The Space written: its folder, files and unfilled fields.</summary>
internal sealed record SpaceResult(string Folder, IReadOnlyList<string> Files, IReadOnlyList<string> Unfilled);

/// <summary>Writes a run's Gradio Space into `&lt;run&gt;/space/`: examples come from the test texts the model got right, never with personal data or placeholders.</summary>
internal static class SpaceWriter
{
    public const string SpaceFolderName = "space";

    public static string SpaceFolder(RunContext run) => Path.Combine(run.Folder, SpaceFolderName);

    public static SpaceResult Write(RunContext run, string? modelId, string? license, string? sdkVersion)
    {
        var notes = new List<string>();
        var (rows, _) = RunEvaluator.ReadPredictions(run.PredictionsPath, notes);
        var examples = rows
            .Where(r => r.Correct && r.Text.Length <= 200 && !FailureAnalysis.HasPlaceholder(r.Text) && PersonalData.Find(System.Text.Encoding.UTF8.GetBytes(r.Text)) == PersonalData.Kinds.None)
            .GroupBy(r => r.Label, StringComparer.Ordinal)
            .Select(g => Secrets.Redact(g.First().Text))
            .Take(5)
            .ToArray();
        var labels = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var title = (run.Plan is { } plan ? Path.GetFileNameWithoutExtension(plan.DataPath.TrimEnd('/', '\\')) : "Text") + " classifier";
        var space = GradioSpace.Generate(new SpaceInputs
        {
            Title = title,
            ModelId = modelId,
            License = license,
            Labels = labels,
            Examples = examples,
            SdkVersion = sdkVersion ?? GradioSpace.DefaultSdkVersion,
            Encoder = EncoderHead(run),
        });
        var folder = SpaceFolder(run);
        Directory.CreateDirectory(folder);
        foreach (var (name, content) in space.Files)
        {
            State.AtomicFile.WriteAllText(Path.Combine(folder, name), Secrets.Redact(content));
        }

        return new SpaceResult(folder, [.. space.Files.Keys.Select(k => Path.Combine(folder, k))], space.Unfilled);
    }

    /// <summary>The encoder licence stated in the Space and the card (all-MiniLM-L6-v2's model card; see THIRD-PARTY-NOTICES.md).</summary>
    public const string EncoderLicense = "apache-2.0";

    /// <summary>The head of an encoder-baseline run (its model.bin), for the Space; null for any other run.</summary>
    public static EncoderSpaceHead? EncoderHead(RunContext run)
    {
        var path = Path.Combine(run.Folder, "model.bin");
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        if (!Training.Encoder.EncoderModel.IsEncoderModel(stream))
        {
            return null;
        }

        Training.Encoder.EncoderModel model;
        try
        {
            model = Training.Encoder.EncoderModel.Load(stream);
        }
        catch (InvalidDataException e)
        {
            throw new IOException($"{path}: {e.Message}", e);
        }

        var head = model.EmbeddingHead;
        var weights = Enumerable.Range(0, head.Classes).Select(k => Enumerable.Range(0, head.Dimension).Select(d => head.Weight(k, d)).ToArray()).ToArray();
        return new EncoderSpaceHead(model.EncoderId, EncoderLicense, model.Classes, weights, [.. Enumerable.Range(0, head.Classes).Select(head.Bias)], model.Tfidf is not null, model.Weights);
    }
}
