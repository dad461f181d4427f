using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Runs;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/generateScript: the text of a Hugging Face Trainer script for a data set and where it would
/// go — as `mlintern generate train-script` writes it, but nothing is written: the editor creates the
/// file through a WorkspaceEdit the user sees (and can undo).
/// </summary>
internal sealed class GenerateScriptHandler : ReadHandler<Wire.GenerateScriptParams, Wire.GenerateScriptResult>
{
    public override string Method => Methods.GenerateScript;

    protected override Task<Wire.GenerateScriptResult> HandleAsync(Wire.GenerateScriptParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var data = TrainingRequests.Local(parameters.Data) ?? throw TrainingRequests.Invalid("data is required");
        var workspace = TrainingRequests.Workspace(parameters, data);
        data = Path.GetFullPath(data, workspace);
        var output = TrainingRequests.Local(parameters.Output) is { } o ? Path.GetFullPath(o, workspace) : FreeScriptPath(workspace, data);
        string text;
        try
        {
            text = TrainScripts.Render(data, Path.GetDirectoryName(output)!, parameters.Model ?? "distilbert-base-uncased", parameters.TextColumn, parameters.LabelColumn, parameters.Epochs ?? 3);
        }
        catch (DatasetUnusableException e)
        {
            throw TrainingRequests.Invalid(e.Message);
        }

        return Task.FromResult(new Wire.GenerateScriptResult(output, text, File.Exists(output)));
    }

    /// <summary>train_&lt;name&gt;.py in the workspace (name: the data file or folder, other characters as '_'), with _2, _3 … when taken.</summary>
    private static string FreeScriptPath(string workspace, string data)
    {
        var name = System.Text.RegularExpressions.Regex.Replace(Path.GetFileNameWithoutExtension(data.TrimEnd(Path.DirectorySeparatorChar)), "[^A-Za-z0-9_]+", "_");
        var stem = Path.Combine(workspace, $"train_{(name.Length == 0 ? "data" : name)}");
        var path = stem + ".py";
        for (var i = 2; File.Exists(path) && i < 10_000; i++)
        {
            path = $"{stem}_{i}.py";
        }

        return path;
    }
}
