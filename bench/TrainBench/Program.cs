using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;
using MLIntern.Training.Baseline;
using TrainBench;

// The built-in baseline trainer against scikit-learn on the same stratified split of a seeded
// 27k-row Bitext-like data set, in the same run. Each side trains three times; the median train
// time is reported (ours: featurize + train; sklearn: FeatureUnion.fit_transform + LinearSVC.fit).
// Prints, never asserts.
var folder = Path.GetFullPath(args.Length > 0 ? args[0] : ".bench/train");
var python = args.Length > 1 ? args[1] : "/usr/bin/python3";
const int Rows = 27_000;
const int Seed = 42;
const int Repeats = 3;
Directory.CreateDirectory(folder);

var all = Path.Combine(folder, "bitext-like.csv");
File.WriteAllText(all, BitextLike.Generate(Rows, Seed));
var rows = Read(all);
var (trainIndices, testIndices) = StratifiedSplit.Split(rows.Labels, 0.2, Seed);
var train = rows.Take(trainIndices);
var test = rows.Take(testIndices);
Write(Path.Combine(folder, "train.csv"), train);
Write(Path.Combine(folder, "test.csv"), test);
Console.WriteLine($"data: {all} ({rows.Count} rows, {rows.Labels.Distinct().Count()} classes); split: {train.Count} train / {test.Count} test (stratified, seed {Seed})");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");

var ours = new List<(double Seconds, double Cpu, double Accuracy, double MacroF1)>();
for (var i = 0; i < Repeats; i++)
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var result = BaselineTrainer.Run(train, test, new BaselineOptions(Seed: Seed));
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    ours.Add((result.TrainSeconds, cpuSeconds, result.Eval.Accuracy, result.Eval.MacroF1));
    if (i == 0)
    {
        Console.WriteLine($"ours: {result.Features} features, {result.Epochs.Count} epochs, featurize {result.FeaturizeSeconds:F2} s (first run, JIT included: {result.TrainSeconds:F2} s)");
    }
}

var theirs = new List<(double Seconds, double Cpu, double Accuracy, double MacroF1)>();
var script = Path.Combine(AppContext.BaseDirectory, "sklearn_baseline.py");
for (var i = 0; i < Repeats; i++)
{
    var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
    info.ArgumentList.Add(script);
    info.ArgumentList.Add(folder);
    using var process = Process.Start(info)!;
    var stdout = process.StandardOutput.ReadToEnd();
    var stderr = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        Console.WriteLine($"sklearn: failed (exit {process.ExitCode}); install Debian's python3-sklearn. {stderr.Trim()}");
        break;
    }

    using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
    theirs.Add((json.RootElement.GetProperty("train_seconds").GetDouble(), json.RootElement.GetProperty("train_cpu_seconds").GetDouble(), json.RootElement.GetProperty("accuracy").GetDouble(), json.RootElement.GetProperty("macro_f1").GetDouble()));
}

Console.WriteLine();
Console.WriteLine($"load average at the end: {LoadAverage()} (wall time suffers under load; CPU time is the steadier figure)");
Console.WriteLine($"{"trainer",-44} {"train s (median of 3)",22} {"CPU s",7} {"accuracy",9} {"macro-F1",9}");
var oursLine = Median(ours);
Console.WriteLine($"{"mlintern baseline (hashed TF-IDF + DCD SVM)",-44} {oursLine.Seconds,22:F3} {oursLine.Cpu,7:F2} {oursLine.Accuracy,9:F4} {oursLine.MacroF1,9:F4}");
if (theirs.Count > 0)
{
    var theirsLine = Median(theirs);
    Console.WriteLine($"{"scikit-learn TF-IDF + LinearSVC",-44} {theirsLine.Seconds,22:F3} {theirsLine.Cpu,7:F2} {theirsLine.Accuracy,9:F4} {theirsLine.MacroF1,9:F4}");
    Console.WriteLine($"ratio (ours / sklearn): train time {oursLine.Seconds / theirsLine.Seconds:F2}x, CPU time {oursLine.Cpu / theirsLine.Cpu:F2}x; macro-F1 difference: {oursLine.MacroF1 - theirsLine.MacroF1:+0.0000;-0.0000}");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static (double Seconds, double Cpu, double Accuracy, double MacroF1) Median(List<(double Seconds, double Cpu, double Accuracy, double MacroF1)> runs)
{
    var sorted = runs.OrderBy(r => r.Seconds).ToList();
    return sorted[sorted.Count / 2];
}

static LabeledRows Read(string path) =>
    LabeledRows.Read(new DataSplit("all", [new DataFile(path, DataFormat.Csv, () => File.OpenRead(path))]), "instruction", "intent");

static void Write(string path, LabeledRows rows)
{
    var csv = new StringBuilder("instruction,intent\n");
    for (var i = 0; i < rows.Count; i++)
    {
        csv.Append('"').Append(rows.Texts[i].Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\",").Append(rows.Labels[i]).Append('\n');
    }

    File.WriteAllText(path, csv.ToString());
}
