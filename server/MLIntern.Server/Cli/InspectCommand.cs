using System.CommandLine;
using MLIntern.Data.Profiling;
using MLIntern.Server.Engine;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace MLIntern.Server.Cli;

/// <summary>`mlintern inspect PATH`: the profile of a data set and its MLD checks, as text, JSON or an HTML report.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "A data file (CSV, TSV, JSON Lines, JSON, Parquet) or a folder with train/validation/test files" };
        var format = new Option<string>("--format") { Description = "Output format: text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report to this file" };
        var label = new Option<string?>("--label-column") { Description = "The label column (default: guessed from names and values)" };
        var text = new Option<string?>("--text-column") { Description = "The text column (default: guessed from names and values)" };
        var paraphrases = new Option<bool>("--paraphrases") { Description = "MLD007 also reports test rows that are paraphrases of a train row (loads the built-in 91 MB sentence encoder; embeddings cached in .mlintern/cache/embeddings)" };
        var command = new Command("inspect", "Profile a data set and check it (MLD001-MLD013).") { path, format, html, label, text, paraphrases };
        command.SetAction((parse, cancellationToken) => Task.FromResult(Run(parse.GetValue(path)!, parse.GetValue(format) ?? "text", parse.GetValue(html), parse.GetValue(label), parse.GetValue(text), Console.Out, Console.Error, parse.GetValue(paraphrases), cancellationToken)));
        return command;
    }

    public static int Run(string path, string format, string? html, string? labelColumn, string? textColumn, TextWriter output, TextWriter errors, bool paraphrases = false, CancellationToken cancellationToken = default)
    {
        var warnings = new List<string>();
        DatasetProfile profile;
        try
        {
            profile = Profile(path, labelColumn, textColumn, warnings, cancellationToken, paraphrases);
        }
        catch (Exception e) when (e is NotADataSetException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"error: {(e is NotADataSetException ? "" : path + ": ")}{e.Message}");
            return Commands.Failure;
        }

        foreach (var warning in warnings)
        {
            errors.WriteLine($"warning: {warning}");
        }

        if (format == "json")
        {
            WriteJson(output, profile, Path.GetFullPath(path));
        }
        else
        {
            ProfileText.Write(output, profile, Display);
        }

        if (html is not null)
        {
            try
            {
                State.AtomicFile.WriteAllText(html, ProfileHtml.Render(profile, Display));
                if (format != "json")
                {
                    output.WriteLine($"Wrote {html}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.WriteLine($"error: {html}: {e.Message}");
                return Commands.Failure;
            }
        }

        return profile.Checks.Any(c => c.Count > 0) ? Commands.Findings : Commands.Clean;
    }

    /// <summary>
    /// The profile `inspect` computes for a file or folder (its splits, the project's data settings, the columns
    /// given or guessed). Throws <see cref="NotADataSetException"/> when the path is missing or holds no data set;
    /// IO errors propagate. Settings and reader problems are added to <paramref name="warnings"/>. <paramref name="paraphrases"/>
    /// (or `paraphrase-overlap` in pyproject.toml) adds MLD007's paraphrase part, with the built-in encoder.
    /// </summary>
    public static DatasetProfile Profile(string path, string? labelColumn, string? textColumn, List<string> warnings, CancellationToken cancellationToken = default, bool paraphrases = false)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new NotADataSetException($"{path}: no such file or directory");
        }

        var splits = DataSets.Discover(path);
        if (splits.Count == 0)
        {
            throw new NotADataSetException($"{path}: not a data set (expected a .csv, .tsv, .jsonl, .json or .parquet file, or a folder with train/test files)");
        }

        var options = DataSets.Options(path, null, warnings, new DataCheckOptions { LabelColumn = labelColumn, TextColumn = textColumn, ParaphraseOverlap = paraphrases });
        if (options.ParaphraseOverlap)
        {
            options = options with { Embed = Encoder.ParaphraseEmbedding.For(path) };
        }

        var profiler = new DatasetProfiler(splits, options);
        var profile = profiler.Run(cancellationToken);
        warnings.AddRange(profiler.Problems);
        return profile;
    }

    /// <summary>The profile as the protocol's record (what mlintern/profileDataset answers, without a version), redacted.</summary>
    public static void WriteJson(TextWriter output, DatasetProfile profile, string path)
    {
        output.WriteLine(Secrets.Redact(Protocol.ProtocolJson.Write(Protocol.DatasetProfile.From(profile, path, null), indented: true)));
    }

    /// <summary>Paths under the working directory print relative to it.</summary>
    public static string Display(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? path : relative).Replace('\\', '/');
    }
}

/// <summary>The path `inspect` was given is missing or is not a data set; the message names it.</summary>
internal sealed class NotADataSetException(string message) : Exception(message);
