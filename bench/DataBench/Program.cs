using System.Diagnostics;
using System.Globalization;
using MLIntern.Bench.Data;

// Usage: DataBench MLINTERN [--dir .bench/data] [--sizes 27k,250MB,1GB] [--python /usr/bin/python3] [--runs 5]
// Generates seeded Bitext-like CSV files (once; kept in --dir), then for each runs
// `MLINTERN inspect FILE --format json` (all checks) and a pandas basic profile of the same file as
// child processes, and prints wall time, MB/s and peak RSS (wait4's ru_maxrss via /usr/bin/time) of
// both and the ratio. Small files run --runs times and report the median. Prints, never asserts.
const int Seed = 2024;
const int GeneratorVersion = 1;

if (args.Length < 1 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: DataBench MLINTERN [--dir DIR] [--sizes 27k,250MB,1GB] [--python PYTHON] [--runs N]");
    return 2;
}

var mlintern = Path.GetFullPath(args[0]);
var dir = Path.GetFullPath(Option("--dir") ?? ".bench/data");
var sizes = (Option("--sizes") ?? "27k,250MB,1GB").Split(',', StringSplitOptions.RemoveEmptyEntries);
var python = Option("--python") ?? "/usr/bin/python3";
var runs = int.Parse(Option("--runs") ?? "5", CultureInfo.InvariantCulture);
Directory.CreateDirectory(dir);
var pandasScript = Path.Combine(dir, "pandas_profile.py");
File.WriteAllText(pandasScript, PandasProfile.Script);
var hasPandas = Run(python, ["-c", "import pandas"], out _).Code == 0;
if (!hasPandas)
{
    Console.Error.WriteLine($"note: {python} has no pandas (apt-get install -y python3-pandas); pandas columns are empty");
}

Console.WriteLine($"{Environment.ProcessorCount} cores; mlintern: {mlintern}; pandas: {(hasPandas ? Run(python, ["-c", "import pandas; print(pandas.__version__)"], out var v).Output.Trim() : "none")}");
Console.WriteLine();
Console.WriteLine($"{"file",-8} {"MB",8} {"rows",10} | {"ours s",8} {"MB/s",7} {"RSS MB",7} | {"pandas s",9} {"(work s)",9} {"RSS MB",7} | {"pandas/ours",11}");
foreach (var size in sizes)
{
    var (rows, bytes) = Parse(size);
    var file = Path.Combine(dir, $"bitext-{size.ToLowerInvariant()}-s{Seed}-v{GeneratorVersion}.csv");
    if (!File.Exists(file))
    {
        var generated = Stopwatch.StartNew();
        var count = Generator.Write(file, Seed, rows, bytes);
        Console.Error.WriteLine($"generated {file}: {count:N0} rows, {new FileInfo(file).Length / 1e6:F0} MB in {generated.Elapsed.TotalSeconds:F1} s");
    }

    var megabytes = new FileInfo(file).Length / 1e6;
    var times = runs > 1 && megabytes < 100 ? runs : 1;
    var ours = Median(times, () => Measure(mlintern, ["inspect", file, "--format", "json"], out _));
    string oursLine = $"{ours.Seconds,8:F3} {megabytes / ours.Seconds,7:F0} {ours.PeakKb / 1024.0,7:F0}";
    if (!hasPandas)
    {
        Console.WriteLine($"{size,-8} {megabytes,8:F1} {"",10} | {oursLine} |");
        continue;
    }

    var output = "";
    var theirs = Median(times, () => Measure(python, [pandasScript, file, "instruction", "intent"], out output));
    var work = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Split(' ') ?? [];
    var pandasRows = work.Length >= 2 ? work[0] : "?";
    var workSeconds = work.Length >= 2 ? double.Parse(work[1], CultureInfo.InvariantCulture) : double.NaN;
    Console.WriteLine($"{size,-8} {megabytes,8:F1} {pandasRows,10} | {oursLine} | {theirs.Seconds,9:F3} {workSeconds,9:F3} {theirs.PeakKb / 1024.0,7:F0} | {theirs.Seconds / ours.Seconds,10:F1}x");
}

Console.WriteLine();
Console.WriteLine("ours: the whole `mlintern inspect FILE --format json` process (all MLD checks). pandas: the whole process;");
Console.WriteLine("(work s) is read_csv + isna().sum() + nunique() + value_counts() + duplicated() + str.len().describe() alone.");
return 0;

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static (long? Rows, long? Bytes) Parse(string size)
{
    var s = size.ToLowerInvariant();
    if (s == "27k")
    {
        // The size of Bitext's customer-support data set.
        return (26_872, null);
    }

    static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);
    return s.EndsWith("gb", StringComparison.Ordinal) ? (null, Number(s[..^2]) * 1_000_000_000)
        : s.EndsWith("mb", StringComparison.Ordinal) ? (null, Number(s[..^2]) * 1_000_000)
        : s.EndsWith('k') ? (Number(s[..^1]) * 1000, null)
        : (Number(s), null);
}

static (double Seconds, long PeakKb) Median(int times, Func<(double Seconds, long PeakKb)> measure)
{
    var results = Enumerable.Range(0, times).Select(_ => measure()).OrderBy(r => r.Seconds).ToList();
    return results[results.Count / 2];
}

// Wall time from the Stopwatch; peak RSS from /usr/bin/time (wait4 rusage), or polled VmHWM without it.
static (double Seconds, long PeakKb) Measure(string program, string[] arguments, out string output)
{
    var timeFile = Path.GetTempFileName();
    var viaTime = File.Exists("/usr/bin/time");
    var info = new ProcessStartInfo(viaTime ? "/usr/bin/time" : program) { RedirectStandardOutput = true, RedirectStandardError = true };
    if (viaTime)
    {
        foreach (var a in new[] { "-f", "%M", "-o", timeFile, program })
        {
            info.ArgumentList.Add(a);
        }
    }

    foreach (var a in arguments)
    {
        info.ArgumentList.Add(a);
    }

    var watch = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    long polled = 0;
    while (!viaTime && !process.WaitForExit(5))
    {
        polled = Math.Max(polled, VmHwm(process.Id));
    }

    process.WaitForExit();
    var seconds = watch.Elapsed.TotalSeconds;
    output = stdout.Result;
    if (process.ExitCode is not (0 or 1))
    {
        Console.Error.WriteLine($"{program} exited with {process.ExitCode}: {stderr.Result.Trim()}");
    }

    var peak = viaTime && long.TryParse(File.ReadAllText(timeFile).Trim().Split('\n')[^1], out var kb) ? kb : polled;
    File.Delete(timeFile);
    return (seconds, peak);
}

static long VmHwm(int pid)
{
    try
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
    catch (IOException)
    {
        return 0;
    }
}

static (int Code, string Output) Run(string program, string[] arguments, out string output)
{
    var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in arguments)
    {
        info.ArgumentList.Add(a);
    }

    try
    {
        using var process = Process.Start(info)!;
        output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
    catch (System.ComponentModel.Win32Exception)
    {
        output = "";
        return (-1, "");
    }
}

internal static class PandasProfile
{
    /// <summary>pandas' basic profile of a file; prints "ROWS WORK_SECONDS" last.</summary>
    public const string Script = """
        import sys, time
        import pandas as pd

        path, text, label = sys.argv[1], sys.argv[2], sys.argv[3]
        start = time.perf_counter()
        df = pd.read_csv(path)
        nulls = df.isna().sum()
        distinct = df.nunique()
        classes = df[label].value_counts()
        duplicates = int(df[text].duplicated().sum())
        lengths = df[text].str.len().describe()
        work = time.perf_counter() - start
        print(nulls.to_dict(), distinct.to_dict(), len(classes), duplicates, lengths.to_dict(), file=sys.stderr)
        print(len(df), f"{work:.3f}")
        """;
}
