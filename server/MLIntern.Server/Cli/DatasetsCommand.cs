using System.CommandLine;
using System.Globalization;
using MLIntern.Data.Hub;
using MLIntern.Server.Hub;
using MLIntern.Server.Protocol;

namespace MLIntern.Server.Cli;

/// <summary>
/// `mlintern datasets search|info|download`: data set research on the Hugging Face Hub. Nothing is
/// downloaded without `--approve`; without it `download` shows the files, their total size and the
/// license and exits 2. Exit codes: 0 done, 2 a usage, network or Hub error (its message says which).
/// </summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = "Output format: text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");

        var query = new Argument<string?>("QUERY") { Description = "Words to search for in data set ids", Arity = ArgumentArity.ZeroOrOne };
        var task = new Option<string?>("--task") { Description = "A task category, e.g. text-classification" };
        var language = new Option<string?>("--language") { Description = "A language code, e.g. en" };
        var license = new Option<string?>("--license") { Description = "A license id, e.g. mit or cc-by-4.0" };
        var sort = new Option<string>("--sort") { Description = "downloads, likes, lastModified, trendingScore or createdAt", DefaultValueFactory = _ => "downloads" };
        sort.AcceptOnlyFromAmong("downloads", "likes", "lastModified", "trendingScore", "createdAt");
        var limit = new Option<int>("--limit") { Description = "How many results (1-100)", DefaultValueFactory = _ => 20 };
        var search = new Command("search", "Search the Hub's data sets.") { query, task, language, license, sort, limit, format };
        search.SetAction(parse => WithCancel(ct => SearchAsync(HubSettings.FromEnvironment(), new HubSearch(parse.GetValue(query), parse.GetValue(task), parse.GetValue(language), parse.GetValue(license), parse.GetValue(sort) ?? "downloads", parse.GetValue(limit)), parse.GetValue(format) ?? "text", Console.Out, Console.Error, ct)));

        var id = new Argument<string>("ID") { Description = "The data set id, e.g. org/name" };
        var config = new Option<string?>("--config") { Description = "The config (subset) to describe (default: `default`, else the first)" };
        var split = new Option<string?>("--split") { Description = "The split whose rows and statistics to show (default: train, else the first)" };
        var info = new Command("info", "Describe a Hub data set: card, splits, columns, first rows, statistics and ML Intern's warnings.") { id, config, split, format };
        info.SetAction(parse => WithCancel(ct => InfoAsync(HubSettings.FromEnvironment(), parse.GetValue(id)!, parse.GetValue(config), parse.GetValue(split), parse.GetValue(format) ?? "text", Console.Out, Console.Error, ct)));

        var downloadId = new Argument<string>("ID") { Description = "The data set id, e.g. org/name" };
        var downloadConfig = new Option<string?>("--config") { Description = "The config (subset) to download (default: `default`, else the first)" };
        var downloadSplit = new Option<string?>("--split") { Description = "Only this split (default: all splits of the config)" };
        var dir = new Option<string?>("--dir") { Description = "Where to write the files (default: data/hub/ORG/NAME)" };
        var approve = new Option<bool>("--approve") { Description = "Download the files listed (run once without it to see them)" };
        var download = new Command("download", "Download a Hub data set's Parquet files into the workspace, after approval.") { downloadId, downloadConfig, downloadSplit, dir, approve, format };
        download.SetAction(parse => WithCancel(ct => DownloadAsync(HubSettings.FromEnvironment(), parse.GetValue(downloadId)!, parse.GetValue(downloadConfig), parse.GetValue(downloadSplit), parse.GetValue(dir), parse.GetValue(approve), parse.GetValue(format) ?? "text", Environment.CurrentDirectory, Console.Out, Console.Error, ct)));

        return new Command("datasets", "Find, describe and download data sets on the Hugging Face Hub.") { search, info, download };
    }

    public static async Task<int> SearchAsync(HubSettings settings, HubSearch search, string format, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        using var client = new HubClient(settings);
        IReadOnlyList<HubDatasetSummary> results;
        try
        {
            results = await client.SearchAsync(search, cancellationToken);
        }
        catch (HubException e)
        {
            return Fail(errors, e);
        }

        if (format == "json")
        {
            output.WriteLine(ProtocolJson.Write(results, indented: true));
            return Commands.Clean;
        }

        if (results.Count == 0)
        {
            output.WriteLine("No data sets found.");
            return Commands.Clean;
        }

        var rows = results.Select(r => new[]
        {
            r.Id, Join(r.Tasks), Join(r.Languages), r.License ?? "-", r.Downloads is { } d ? d.ToString("N0", CultureInfo.InvariantCulture) : "-",
            r.SizeCategory ?? "-", r.LastModified?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
        }).ToList();
        WriteTable(output, ["ID", "TASKS", "LANGUAGES", "LICENSE", "DOWNLOADS", "SIZE", "MODIFIED"], rows);
        return Commands.Clean;
    }

    public static async Task<int> InfoAsync(HubSettings settings, string id, string? config, string? split, string format, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (!HubDatasets.IsDatasetId(id))
        {
            errors.WriteLine($"error: `{id}` is not a data set id (expected org/name)");
            return Commands.Failure;
        }

        using var client = new HubClient(settings);
        HubDatasetDetails details;
        try
        {
            details = await HubDatasets.InfoAsync(client, id, config, split, cancellationToken);
        }
        catch (HubException e)
        {
            return Fail(errors, e);
        }

        if (format == "json")
        {
            output.WriteLine(ProtocolJson.Write(details, indented: true));
            return Commands.Clean;
        }

        HubText.WriteDetails(output, details);
        foreach (var problem in details.Problems)
        {
            errors.WriteLine($"warning: {problem}");
        }

        return Commands.Clean;
    }

    public static async Task<int> DownloadAsync(HubSettings settings, string id, string? config, string? split, string? dir, bool approve, string format, string workspace, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (!HubDatasets.IsDatasetId(id))
        {
            errors.WriteLine($"error: `{id}` is not a data set id (expected org/name)");
            return Commands.Failure;
        }

        using var client = new HubClient(settings);
        var directory = dir is null ? HubDatasets.DefaultDirectory(workspace, id) : Path.GetFullPath(Path.Combine(workspace, dir));
        DownloadPlan plan;
        try
        {
            plan = await HubDatasets.PlanAsync(client, id, config, split, directory, cancellationToken);
        }
        catch (HubException e)
        {
            return Fail(errors, e);
        }

        if (!approve)
        {
            if (format == "json")
            {
                output.WriteLine(ProtocolJson.Write(plan, indented: true));
            }
            else
            {
                HubText.WritePlan(output, plan, workspace);
            }

            errors.WriteLine($"nothing downloaded: not approved. Check the files, size and license above, then run `mlintern datasets download {id}{(config is null ? "" : " --config " + config)}{(split is null ? "" : " --split " + split)}{(dir is null ? "" : " --dir " + dir)} --approve` to download them.");
            return Commands.Failure;
        }

        Provenance provenance;
        try
        {
            var lastPercent = -1L;
            provenance = await HubDatasets.DownloadAsync(client, plan, (done, total) =>
            {
                var percent = total == 0 ? 100 : done * 100 / total;
                if (format != "json" && percent / 10 != lastPercent / 10)
                {
                    errors.WriteLine($"downloading {id}: {percent}% ({HubText.Bytes(done)} of {HubText.Bytes(total)})");
                    lastPercent = percent;
                }
            }, cancellationToken);
        }
        catch (HubException e)
        {
            return Fail(errors, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"error: {plan.Directory}: {e.Message}");
            return Commands.Failure;
        }

        if (format == "json")
        {
            output.WriteLine(ProtocolJson.Write(provenance, indented: true));
        }
        else
        {
            output.WriteLine($"Downloaded {provenance.Files.Count} file(s), {HubText.Bytes(plan.TotalBytes)}, of {id} (revision {ShortSha(provenance.Revision)}, license {provenance.License ?? "none"}) into {InspectCommand.Display(plan.Directory)}");
            output.WriteLine($"Provenance: {InspectCommand.Display(Path.Combine(plan.Directory, HubDatasets.ProvenanceFileName))}");
            output.WriteLine($"Inspect it with: mlintern inspect {InspectCommand.Display(plan.Directory)}");
        }

        return Commands.Clean;
    }

    internal static string ShortSha(string? sha) => sha is null ? "unknown" : sha[..Math.Min(7, sha.Length)];

    private static int Fail(TextWriter errors, HubException e)
    {
        errors.WriteLine($"error: {e.Message}");
        return Commands.Failure;
    }

    private static int WithCancel(Func<CancellationToken, Task<int>> run)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += handler;
        try
        {
            return run(cancel.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled: a partial download is kept as .part and resumes on the next run");
            return Commands.Failure;
        }
        finally
        {
            Console.CancelKeyPress -= handler;
        }
    }

    private static string Join(IReadOnlyList<string> values) => values.Count == 0 ? "-" : string.Join(",", values);

    internal static void WriteTable(TextWriter output, IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Min(40, Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length)))).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => (c.Length > widths[i] ? c[..(widths[i] - 1)] + "…" : c).PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(header));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row));
        }
    }
}
