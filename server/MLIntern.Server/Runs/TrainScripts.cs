using MLIntern.Server.Engine;
using MLIntern.Training.Scripts;

namespace MLIntern.Server.Runs;

/// <summary>
/// The Hugging Face Trainer script for a data set: what `mlintern generate train-script` writes and
/// `mlintern/generateScript` answers. Writes nothing.
/// </summary>
internal static class TrainScripts
{
    /// <summary>
    /// The script text, with data paths relative to <paramref name="scriptFolder"/>. Throws
    /// <see cref="DatasetUnusableException"/> when the data set cannot be used (missing, not a data
    /// set, no text or label column found and none given).
    /// </summary>
    public static string Render(string dataPath, string scriptFolder, string model, string? textColumn, string? labelColumn, int epochs)
    {
        if (!File.Exists(dataPath) && !Directory.Exists(dataPath))
        {
            throw new DatasetUnusableException($"{dataPath}: no such file or directory");
        }

        var facts = FileChecks.Datasets.GetFacts(dataPath, null) ?? throw new DatasetUnusableException($"{dataPath}: not a data set");
        var text = textColumn ?? facts.TextColumn;
        var label = labelColumn ?? facts.LabelColumn;
        if (text is null || label is null)
        {
            throw new DatasetUnusableException($"{dataPath}: cannot tell the text and label columns apart; pass --text and --label");
        }

        var splits = DataSets.Discover(dataPath);
        var files = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var split in splits)
        {
            var name = split.Name switch { "all" => "train", "valid" or "val" or "dev" => "validation", _ => split.Name };
            files[name] = [.. split.Files.Select(f => Path.GetRelativePath(scriptFolder, f.Path).Replace('\\', '/'))];
        }

        var (loader, delimiter) = TrainScript.LoaderFor(splits[0].Files[0].Format);
        return TrainScript.Generate(new TrainScriptOptions(files, loader, text, label, model, epochs, Delimiter: delimiter));
    }
}

/// <summary>A data set cannot be used for what was asked; the message names it and says why.</summary>
internal sealed class DatasetUnusableException(string message) : Exception(message);
