using System.CommandLine;
using MLIntern.Server.Engine;
using MLIntern.Training.Scripts;

namespace MLIntern.Server.Cli;

/// <summary>`mlintern generate train-script --data PATH [-o FILE]`: a Hugging Face Trainer script for the data set.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The data set: a file or a folder with train/test files", Required = true };
        var output = new Option<string>("-o", "--output") { Description = "The script to write", DefaultValueFactory = _ => "train.py" };
        var model = new Option<string>("--model") { Description = "The checkpoint to fine-tune", DefaultValueFactory = _ => "distilbert-base-uncased" };
        var text = new Option<string?>("--text") { Description = "The text column (default: guessed)" };
        var label = new Option<string?>("--label") { Description = "The label column (default: guessed)" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs", DefaultValueFactory = _ => 3 };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file" };
        var script = new Command("train-script", "Write a Hugging Face Trainer script for a data set (ML Intern's checker finds nothing in it).") { data, output, model, text, label, epochs, force };
        script.SetAction(parse => WriteTrainScript(parse.GetValue(data)!, parse.GetValue(output)!, parse.GetValue(model)!, parse.GetValue(text), parse.GetValue(label), parse.GetValue(epochs), parse.GetValue(force), Console.Out, Console.Error));
        return new Command("generate", "Generate files for a data set: train-script.") { script };
    }

    public static int WriteTrainScript(string dataPath, string outputPath, string model, string? textColumn, string? labelColumn, int epochs, bool force, TextWriter output, TextWriter errors)
    {
        if (File.Exists(outputPath) && !force)
        {
            errors.WriteLine($"error: {outputPath} exists; pass --force to overwrite it");
            return Commands.Failure;
        }

        var text = TryRender(dataPath, Path.GetDirectoryName(Path.GetFullPath(outputPath))!, model, textColumn, labelColumn, epochs, errors);
        if (text is null)
        {
            return Commands.Failure;
        }

        File.WriteAllText(outputPath, text);
        output.WriteLine($"Wrote {outputPath}");
        return Commands.Clean;
    }

    /// <summary>The script text for a data set, with data paths relative to <paramref name="scriptFolder"/>; null (and a message) when the data set cannot be used.</summary>
    public static string? TryRender(string dataPath, string scriptFolder, string model, string? textColumn, string? labelColumn, int epochs, TextWriter errors)
    {
        if (!File.Exists(dataPath) && !Directory.Exists(dataPath))
        {
            errors.WriteLine($"error: {dataPath}: no such file or directory");
            return null;
        }

        var facts = FileChecks.Datasets.GetFacts(dataPath);
        if (facts is null)
        {
            errors.WriteLine($"error: {dataPath}: not a data set");
            return null;
        }

        var text = textColumn ?? facts.TextColumn;
        var label = labelColumn ?? facts.LabelColumn;
        if (text is null || label is null)
        {
            errors.WriteLine($"error: {dataPath}: cannot tell the text and label columns apart; pass --text and --label");
            return null;
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
