using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace MLIntern.Python.Tests.Differential;

/// <summary>
/// Finds the CPython standard libraries pyenv installed, and dumps CPython 3.13's AST of files
/// with tools/cpython_ast_json.py in one batch process, caching each answer by content hash.
/// </summary>
internal static class CPythonCorpus
{
    /// <summary>Answers are cached per content hash, in a folder named by the tool's own hash so a changed tool starts afresh.</summary>
    private static readonly Lazy<string> CacheDirLazy = new(() =>
        Path.Combine(Path.GetTempPath(), "mlintern-cpython-ast-" + Hash(File.ReadAllBytes(Path.Combine(RepoRoot(), "tools", "cpython_ast_json.py")))[..16]));

    private static string CacheDir => CacheDirLazy.Value;

    public static string PyenvRoot()
    {
        var env = Environment.GetEnvironmentVariable("PYENV_ROOT");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
    }

    /// <summary>The lib/python3.X folder of the pyenv version 3.X.*, or null.</summary>
    public static string? StdlibFolder(string minor)
    {
        var versions = Path.Combine(PyenvRoot(), "versions");
        if (!Directory.Exists(versions))
        {
            return null;
        }

        foreach (var dir in Directory.GetDirectories(versions, minor + ".*").OrderByDescending(d => d, StringComparer.Ordinal))
        {
            var lib = Path.Combine(dir, "lib", "python" + minor);
            if (Directory.Exists(lib))
            {
                return lib;
            }
        }

        return null;
    }

    public static string? Python313()
    {
        var lib = StdlibFolder("3.13");
        if (lib is null)
        {
            return null;
        }

        var exe = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(lib)!)!, "bin", "python3.13");
        return File.Exists(exe) ? exe : null;
    }

    /// <summary>Every .py file of a standard library (site-packages excluded: it is not the stdlib).</summary>
    public static List<string> StdlibFiles(string lib) =>
        Directory.EnumerateFiles(lib, "*.py", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "site-packages" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "tools", "cpython_ast_json.py")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("tools/cpython_ast_json.py not found above " + AppContext.BaseDirectory);
    }

    public static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>CPython's JSON for each file (same order), from the cache or one batch run of the tool.</summary>
    public static string[] CPythonJson(string python, IReadOnlyList<string> files, IReadOnlyList<string> hashes)
    {
        Directory.CreateDirectory(CacheDir);
        var result = new string[files.Count];
        var missing = new List<int>();
        for (int i = 0; i < files.Count; i++)
        {
            var cached = Path.Combine(CacheDir, hashes[i] + ".json");
            if (File.Exists(cached))
            {
                result[i] = File.ReadAllText(cached);
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count == 0)
        {
            return result;
        }

        // Two processes: the machine has two cores.
        var halves = new[] { missing.Where((_, k) => k % 2 == 0).ToList(), missing.Where((_, k) => k % 2 == 1).ToList() };
        var tool = Path.Combine(RepoRoot(), "tools", "cpython_ast_json.py");
        Parallel.ForEach(halves, half =>
        {
            if (half.Count == 0)
            {
                return;
            }

            var psi = new ProcessStartInfo(python, new[] { tool, "--batch" })
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
            };
            using var p = Process.Start(psi)!;
            var writer = Task.Run(() =>
            {
                foreach (var i in half)
                {
                    p.StandardInput.WriteLine(files[i]);
                }

                p.StandardInput.Close();
            });
            foreach (var i in half)
            {
                var line = p.StandardOutput.ReadLine() ?? throw new InvalidOperationException("CPython batch ended early at " + files[i]);
                result[i] = line;
                File.WriteAllText(Path.Combine(CacheDir, hashes[i] + ".json"), line);
            }

            writer.Wait();
            p.WaitForExit();
        });
        return result;
    }
}
