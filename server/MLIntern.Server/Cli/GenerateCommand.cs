using System.CommandLine;
using MLIntern.Server.Runs;

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

        string text;
        try
        {
            text = TrainScripts.Render(dataPath, Path.GetDirectoryName(Path.GetFullPath(outputPath))!, model, textColumn, labelColumn, epochs);
        }
        catch (DatasetUnusableException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return Commands.Failure;
        }

        State.AtomicFile.WriteAllText(outputPath, text);
        output.WriteLine($"Wrote {outputPath}");
        return Commands.Clean;
    }
}
