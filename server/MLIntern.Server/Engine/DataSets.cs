using MLIntern.Analysis.Findings;
using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Engine;

/// <summary>
/// The host's side of data sets: which files form one (split siblings, Parquet shards), the
/// settings that apply (pyproject.toml [tool.mlintern], then the editor's), and opening the files.
/// </summary>
internal static class DataSets
{
    private static readonly string[] SplitNames = ["train", "validation", "valid", "val", "dev", "test"];

    /// <summary>The split a file name names (train.csv, test-00000-of-00001.parquet), or null.</summary>
    public static string? SplitOf(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        var cut = stem.IndexOfAny(['-', '_', '.']);
        var head = cut > 0 ? stem[..cut] : stem;
        return SplitNames.Contains(head) ? head : null;
    }

    /// <summary>
    /// The data set a path belongs to. A file named after a split brings its split siblings (any
    /// supported format) along; any other file is a data set of its own (split "all"). A folder is its
    /// split files, or those of its data/ folder (the Hugging Face layout).
    /// </summary>
    public static IReadOnlyList<DataSplit> Discover(string path, Func<string, Stream>? open = null)
    {
        open ??= OpenFile;
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            foreach (var folder in new[] { full, Path.Combine(full, "data") })
            {
                var splits = SplitsIn(folder, open);
                if (splits.Count > 0)
                {
                    return splits;
                }
            }

            return [];
        }

        if (DataFormats.FromFileName(full) is not { } format)
        {
            return [];
        }

        if (SplitOf(full) is not null && Path.GetDirectoryName(full) is { } directory)
        {
            var splits = SplitsIn(directory, open);
            if (splits.Any(s => s.Files.Any(f => f.Path == full)))
            {
                return splits;
            }
        }

        return [new DataSplit("all", [new DataFile(full, format, () => open(full))])];
    }

    private static List<DataSplit> SplitsIn(string folder, Func<string, Stream> open)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        List<string> files;
        try
        {
            files = [.. Directory.EnumerateFiles(folder).Take(10_000).Where(f => DataFormats.FromFileName(f) is not null && SplitOf(f) is not null).Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return [.. files.GroupBy(f => SplitOf(f)!)
            .Select(g => new DataSplit(g.Key, [.. g.Select(f => new DataFile(f, DataFormats.FromFileName(f)!.Value, () => open(f)))]))
            .OrderBy(s => DatasetProfiler.SplitOrder(s.Name))];
    }

    /// <summary>Opens a data file for reading; a FIFO, a device or a link to one is refused (<see cref="RegularFiles"/>), never opened.</summary>
    public static Stream OpenFile(string path)
    {
        RegularFiles.Ensure(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
    }

    /// <summary>The options for a data file: defaults, then pyproject.toml above it, then editor settings, then explicit overrides.</summary>
    public static DataCheckOptions Options(string path, JObject? editorSettings, List<string> problems, DataCheckOptions? start = null)
    {
        var options = start ?? new DataCheckOptions();
        if (Pyproject.Find(path) is { } pyproject)
        {
            try
            {
                var values = Pyproject.ReadSection(File.ReadAllText(pyproject), "tool.mlintern");
                var known = values.Where(v => DataSettingKeys.All.Any(k => k.Toml == v.Key)).ToList();
                var fileProblems = new List<string>();
                options = DataSettingKeys.Apply(options, known, fileProblems);
                problems.AddRange(fileProblems.Select(p => $"{pyproject}: {p}"));
            }
            catch (IOException e)
            {
                problems.Add($"{pyproject}: {e.Message}");
            }
        }

        if (editorSettings is not null)
        {
            var values = editorSettings.Properties()
                .Where(p => p.Value.Type is JTokenType.String or JTokenType.Integer or JTokenType.Float or JTokenType.Boolean && !string.IsNullOrEmpty(p.Value.ToString()))
                .Select(p => KeyValuePair.Create(p.Name, p.Value.Type == JTokenType.Boolean ? ((bool)p.Value ? "true" : "false") : Convert.ToString(((JValue)p.Value).Value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
            options = DataSettingKeys.Apply(options, values, problems);
        }

        return options;
    }


    /// <summary>
    /// Profiles the data set of a file and returns that file's findings. <paramref name="bytes"/> stands in for the file's own content (the editor's).
    /// <paramref name="paraphrases"/> opts MLD007's paraphrase part in (as the `paraphrase-overlap` setting does); it embeds only for a file of
    /// an evaluation split (the only files its findings are on), with the built-in encoder (<see cref="Encoder.ParaphraseEmbedding"/>).
    /// </summary>
    public static IReadOnlyList<Finding> CheckFile(string path, byte[]? bytes, JObject? editorSettings = null, bool paraphrases = false, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        Func<string, Stream> open = p => bytes is not null && p == full ? new MemoryStream(bytes, writable: false) : OpenFile(p);
        var splits = Discover(full, open);
        if (splits.Count == 0)
        {
            return [];
        }

        var options = Options(full, editorSettings, []);
        if (paraphrases)
        {
            options = options with { ParaphraseOverlap = true };
        }

        if (options.ParaphraseOverlap && splits.Any(s => DatasetProfiler.IsEvaluationSplit(s.Name) && s.Files.Any(f => f.Path == full)))
        {
            options = options with { Embed = Encoder.ParaphraseEmbedding.For(full) };
        }

        var profile = DatasetProfiler.Profile(splits, options, cancellationToken);
        return profile.FindingsFor(full);
    }
}
