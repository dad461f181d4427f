using System.Text;
using System.Text.RegularExpressions;
using MLIntern.Python.Syntax;
using Xunit.Abstractions;

namespace MLIntern.Python.Tests.Differential;

/// <summary>
/// Broken code, judged by CPython: windows of 3.13 stdlib files with a few random edits. We
/// must accept exactly the files CPython accepts, with the same tree; for rejected files the
/// share reported on CPython's line is printed (CPython's choice among several errors is
/// heuristic; see ParseResult.FirstError).
/// </summary>
public sealed class MutationAgreementTests
{
    private static readonly Regex ErrorLine = new("^\\{\"error\":\\{\"line\":(\\d+),", RegexOptions.Compiled);
    private static readonly string[] Edits =
    {
        "(", ")", "[", "]", "{", "}", ":", "\n", "    ", "'", "\"", "f'{", "f\"", "\\", "#", ",", "=", "def ", "*", "lambda ", "\t", "if ", "else ",
        "**", ".", "return ", "yield ", "not ", "in ", "async ", "await ", "1", "x", ":=", "->", "@", ";", "match ", "case ", "type ", "...", "!",
        "0777", "1_", "'''", "\"\"\"", "{x}", "!r", "import ", " as ", "try:", "except*", "with ", "class ", "\r\n",
    };

    private readonly ITestOutputHelper _output;

    public MutationAgreementTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void MutatedStdlibFilesGetCPythonsVerdictAndTree()
    {
        var lib = CPythonCorpus.StdlibFolder("3.13");
        var python = CPythonCorpus.Python313();
        Assert.True(lib is not null && python is not null, "pyenv's CPython 3.13 is required");
        var files = CPythonCorpus.StdlibFiles(lib!);
        var rng = new Random(2026);
        var dir = Path.Combine(Path.GetTempPath(), "mlintern-mutations");
        Directory.CreateDirectory(dir);
        var paths = new List<string>();
        var contents = new List<byte[]>();
        for (int i = 0; i < 3000; i++)
        {
            var lines = File.ReadAllText(files[rng.Next(files.Count)]).Split('\n');
            int start = rng.Next(Math.Max(1, lines.Length - 30));
            var window = Dedent(lines.Skip(start).Take(30).ToList());
            var sb = new StringBuilder(window);
            for (int e = rng.Next(1, 3); e > 0 && sb.Length > 0; e--)
            {
                int at = rng.Next(sb.Length);
                if (rng.Next(4) == 0)
                {
                    sb.Remove(at, Math.Min(rng.Next(1, 6), sb.Length - at));
                }
                else
                {
                    sb.Insert(at, Edits[rng.Next(Edits.Length)]);
                }
            }

            var bytes = Encoding.UTF8.GetBytes(sb.ToString());
            var path = Path.Combine(dir, CPythonCorpus.Hash(bytes) + ".py");
            File.WriteAllBytes(path, bytes);
            paths.Add(path);
            contents.Add(bytes);
        }

        var expected = CPythonCorpus.CPythonJson(python!, paths, contents.Select(CPythonCorpus.Hash).ToList());
        int agreed = 0, rejectedBoth = 0, sameLine = 0;
        var differences = new List<string>();
        for (int i = 0; i < paths.Count; i++)
        {
            var ours = AstJson.FromBytes(contents[i]);
            if (ours == expected[i])
            {
                agreed++;
                sameLine += ours.StartsWith("{\"error\"", StringComparison.Ordinal) ? 1 : 0;
                continue;
            }

            var a = ErrorLine.Match(expected[i]);
            var b = ErrorLine.Match(ours);
            if (a.Success && b.Success)
            {
                rejectedBoth++;
                sameLine += a.Groups[1].Value == b.Groups[1].Value ? 1 : 0;
                continue;
            }

            differences.Add($"{paths[i]}:\n  cpython: {Cut(expected[i])}\n  ours:    {Cut(ours)}");
        }

        int rejectedByCPython = expected.Count(e => e.StartsWith("{\"error\"", StringComparison.Ordinal));
        var summary = $"mutations: {paths.Count}, identical output {agreed}, CPython rejects {rejectedByCPython} of which we report " +
                      $"the same line for {sameLine}; verdict or tree disagreements {differences.Count}";
        _output.WriteLine(summary);
        Assert.True(differences.Count == 0, summary + "\n" + string.Join("\n", differences.Take(10)));
    }

    private static string Cut(string s) => s.Length > 300 ? s.Substring(0, 300) + "…" : s;

    private static string Dedent(List<string> lines)
    {
        int indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ').Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent && l.Take(indent).All(c => c == ' ') ? l.Substring(indent) : l.TrimStart(' ')));
    }
}
