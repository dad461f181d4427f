using System.Globalization;
using System.Text;
using MLIntern.Python.Parsing;
using MLIntern.Python.Syntax;

namespace MLIntern.Training.Launch;

/// <summary>
/// Hugging Face Jobs: `hf jobs uv run --flavor F --timeout Tm --secrets HF_TOKEN script.py` on a
/// submitted copy of the script that starts with a PEP 723 `# /// script` block naming its
/// dependencies (from its imports), so `uv` installs them in the job.
/// </summary>
public static class HfJobs
{
    /// <summary>The submitted copy's file name, in the run folder.</summary>
    public const string SubmittedScript = "hf-job-script.py";

    public static LaunchCommand Command(ComputeTarget target, string scriptPath, string workingDirectory)
    {
        if (target.Kind != TargetKind.HfJobs || string.IsNullOrWhiteSpace(target.Flavor) || target.TimeMinutes is not > 0)
        {
            throw new ArgumentException("an HF Jobs target needs a flavor and a timeout", nameof(target));
        }

        return new LaunchCommand(
            "hf",
            ["jobs", "uv", "run", "--flavor", target.Flavor.Trim(), "--timeout", target.TimeMinutes.Value.ToString(CultureInfo.InvariantCulture) + "m", "--secrets", "HF_TOKEN", scriptPath],
            workingDirectory,
            new SortedDictionary<string, string>(StringComparer.Ordinal));
    }

    /// <summary>The submitted copy: the PEP 723 header (unless the script has its own block) and the script.</summary>
    public static string SubmittedCopy(string scriptText, string? header) => header is null ? scriptText : header + scriptText;
}

/// <summary>
/// The PEP 723 inline metadata block of a script: `# /// script`, `requires-python`, and
/// `dependencies` = the distributions of its top-level imports (standard library, relative and the
/// project's own modules left out; an import name mapped to its distribution where they differ:
/// sklearn → scikit-learn, PIL → pillow, yaml → pyyaml, cv2 → opencv-python; transformers' Trainer
/// needs accelerate too).
/// </summary>
public static class Pep723
{
    private static readonly Dictionary<string, string> Distributions = new(StringComparer.Ordinal)
    {
        ["sklearn"] = "scikit-learn",
        ["PIL"] = "pillow",
        ["yaml"] = "pyyaml",
        ["cv2"] = "opencv-python",
        ["skimage"] = "scikit-image",
        ["bs4"] = "beautifulsoup4",
        ["dateutil"] = "python-dateutil",
        ["google"] = "protobuf",
        ["sentence_transformers"] = "sentence-transformers",
        ["huggingface_hub"] = "huggingface-hub",
        ["lightning"] = "lightning",
        ["pytorch_lightning"] = "pytorch-lightning",
    };

    /// <summary>Top-level modules of the Python 3.10–3.13 standard library (sys.stdlib_module_names, the ones scripts import).</summary>
    private static readonly HashSet<string> StandardLibrary = new(StringComparer.Ordinal)
    {
        "__future__", "abc", "argparse", "array", "ast", "asyncio", "base64", "bisect", "builtins", "bz2", "calendar", "cmath",
        "codecs", "collections", "colorsys", "concurrent", "configparser", "contextlib", "contextvars", "copy", "copyreg", "csv",
        "ctypes", "dataclasses", "datetime", "decimal", "difflib", "dis", "email", "enum", "errno", "faulthandler", "fcntl",
        "filecmp", "fnmatch", "fractions", "ftplib", "functools", "gc", "getopt", "getpass", "gettext", "glob", "graphlib", "gzip",
        "hashlib", "heapq", "hmac", "html", "http", "importlib", "inspect", "io", "ipaddress", "itertools", "json", "keyword",
        "linecache", "locale", "logging", "lzma", "math", "mimetypes", "mmap", "multiprocessing", "numbers", "operator", "os",
        "pathlib", "pickle", "pkgutil", "platform", "pprint", "profile", "pstats", "queue", "random", "re", "resource", "sched",
        "secrets", "select", "selectors", "shelve", "shlex", "shutil", "signal", "site", "socket", "sqlite3", "ssl", "stat",
        "statistics", "string", "struct", "subprocess", "sys", "sysconfig", "tarfile", "tempfile", "textwrap", "threading", "time",
        "timeit", "tokenize", "tomllib", "traceback", "types", "typing", "unicodedata", "unittest", "urllib", "uuid", "venv",
        "warnings", "weakref", "xml", "zipfile", "zlib", "zoneinfo",
    };

    /// <summary>The dependencies a script's imports name, sorted, without duplicates.</summary>
    /// <param name="localModules">Module names the project itself provides (files beside the script), left out.</param>
    public static IReadOnlyList<string> Dependencies(string scriptText, IReadOnlySet<string>? localModules = null)
    {
        var walker = new ImportWalker();
        walker.Visit(Parser.Parse(scriptText).Tree);
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var module in walker.Modules)
        {
            var top = module.Split('.')[0];
            if (top.Length == 0 || StandardLibrary.Contains(top) || localModules?.Contains(top) == true)
            {
                continue;
            }

            result.Add(Distributions.GetValueOrDefault(top, top.Replace('_', '-')));
        }

        if (result.Contains("transformers"))
        {
            result.Add("accelerate");
        }

        return [.. result];
    }

    /// <summary>Whether the script already carries a `# /// script` block (then it is submitted as it is).</summary>
    public static bool HasBlock(string scriptText) =>
        scriptText.Split('\n').Any(line => line.TrimEnd('\r') == "# /// script");

    /// <summary>The block for a script, or null when it has its own.</summary>
    public static string? Header(string scriptText, IReadOnlySet<string>? localModules = null, string requiresPython = ">=3.10")
    {
        if (HasBlock(scriptText))
        {
            return null;
        }

        var text = new StringBuilder();
        text.Append("# /// script\n");
        text.Append("# requires-python = \"").Append(requiresPython).Append("\"\n");
        var dependencies = Dependencies(scriptText, localModules);
        if (dependencies.Count == 0)
        {
            text.Append("# dependencies = []\n");
        }
        else
        {
            text.Append("# dependencies = [\n");
            foreach (var dependency in dependencies)
            {
                text.Append("#   \"").Append(dependency).Append("\",\n");
            }

            text.Append("# ]\n");
        }

        text.Append("# ///\n");
        return text.ToString();
    }

    private sealed class ImportWalker : SyntaxWalker
    {
        public List<string> Modules { get; } = [];

        public override void Visit(Node node)
        {
            switch (node)
            {
                case Import import:
                    Modules.AddRange(import.Names.Select(n => n.Name));
                    break;
                case ImportFrom { Level: 0, Module: { } module }:
                    Modules.Add(module);
                    break;
            }

            VisitChildren(node);
        }
    }
}

/// <summary>
/// HF Jobs' price per hour of each flavor: the data file Compute/hf-jobs-prices.tsv (its source page
/// and the date it was read are its first lines), overridable in settings. A flavor with no price
/// is refused: a ceiling that cannot be computed does not run.
/// </summary>
public static class HfJobsPrices
{
    public sealed record Table(IReadOnlyDictionary<string, double> Prices, string Source, string Checked);

    private static readonly Lazy<Table> BuiltIn = new(() =>
    {
        using var stream = typeof(HfJobsPrices).Assembly.GetManifestResourceStream("MLIntern.Training.Compute.hf-jobs-prices.tsv")
            ?? throw new InvalidOperationException("the HF Jobs price table is not embedded");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    });

    public static Table Default => BuiltIn.Value;

    /// <summary>
    /// The table's text: `# source: URL`, `# checked: DATE`, then `flavor TAB usd-per-hour` lines.
    /// A line that does not read is skipped (parsing never throws).
    /// </summary>
    public static Table Parse(string text)
    {
        var prices = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        string source = "", checkedOn = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("# source:", StringComparison.Ordinal))
            {
                source = line["# source:".Length..].Trim();
            }
            else if (line.StartsWith("# checked:", StringComparison.Ordinal))
            {
                checkedOn = line["# checked:".Length..].Trim();
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                var parts = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (parts.Length >= 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var price) && price >= 0 && double.IsFinite(price))
                {
                    prices[parts[0]] = price;
                }
            }
        }

        return new Table(prices, source, checkedOn);
    }

    /// <summary>The price of a flavor and where it came from: the settings' override first, then the table; null when neither has it.</summary>
    public static (double Price, string Source)? Find(string flavor, IReadOnlyDictionary<string, double>? overrides, Table? table = null)
    {
        if (overrides is not null && overrides.TryGetValue(flavor, out var set))
        {
            return (set, "your settings");
        }

        table ??= Default;
        return table.Prices.TryGetValue(flavor, out var price) ? (price, $"{table.Source}, checked {table.Checked}") : null;
    }
}

/// <summary>Reading what `hf jobs uv run` and `hf jobs inspect` print (pure; the host runs them).</summary>
public static class HfJobsStatus
{
    /// <summary>The job id `hf jobs uv run` prints ("Job started with ID: 68a1…"), or null.</summary>
    public static string? ParseJobId(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var at = line.IndexOf("ID:", StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                var id = line[(at + 3)..].Trim().Split(' ', 2)[0];
                if (id.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                {
                    return id;
                }
            }
        }

        return null;
    }

    /// <summary>The stage `hf jobs inspect` reports ("status": {"stage": …}) as a run's outcome.</summary>
    public static SlurmOutcome Outcome(string stage, string jobId, string? message) => stage.ToUpperInvariant() switch
    {
        "COMPLETED" => new SlurmOutcome(true, Runs.RunStatus.Succeeded, null),
        "CANCELED" or "CANCELLED" or "DELETED" => new SlurmOutcome(true, Runs.RunStatus.Cancelled, $"HF job {jobId} was cancelled"),
        "ERROR" => new SlurmOutcome(true, Runs.RunStatus.Failed, $"HF job {jobId} failed{(message is { Length: > 0 } m ? ": " + m : "")}"),
        "RUNNING" or "SCHEDULING" or "PENDING" or "STARTING" or "BUILDING" => new SlurmOutcome(false, Runs.RunStatus.Running, null),
        _ => new SlurmOutcome(true, Runs.RunStatus.Failed, $"HF job {jobId} ended in stage {stage}"),
    };
}
