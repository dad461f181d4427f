using System.Text;
using System.Text.RegularExpressions;
using MLIntern.Python.Syntax;
using Xunit.Abstractions;

namespace MLIntern.Python.Tests.Differential;

/// <summary>
/// The oracle: our tree, dumped by AstJson, must equal CPython 3.13's ast (dumped by
/// tools/cpython_ast_json.py) for every .py file of the CPython 3.11, 3.12 and 3.13 standard
/// libraries; files CPython rejects we must reject with an error on the same line.
/// The full three corpora run in CI (CPython's answers are cached by content hash in the temp folder).
/// </summary>
public sealed class StdlibAgreementTests
{
    private static readonly Regex ErrorLine = new("^\\{\"error\":\\{\"line\":(\\d+),", RegexOptions.Compiled);
    private readonly ITestOutputHelper _output;

    public StdlibAgreementTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData("3.11")]
    [InlineData("3.12")]
    [InlineData("3.13")]
    public void AgreesWithCPython313OnStdlib(string version)
    {
        var lib = CPythonCorpus.StdlibFolder(version);
        var python = CPythonCorpus.Python313();
        Assert.True(lib is not null && python is not null, $"pyenv's CPython {version} and 3.13 are required ({CPythonCorpus.PyenvRoot()}); `pyenv install {version}`.");

        var files = CPythonCorpus.StdlibFiles(lib!);
        Assert.True(files.Count > 1000, $"only {files.Count} files under {lib}");
        var bytes = files.Select(File.ReadAllBytes).ToList();
        var hashes = bytes.Select(CPythonCorpus.Hash).ToList();
        var expected = CPythonCorpus.CPythonJson(python!, files, hashes);

        var ours = new string[files.Count];
        Parallel.For(0, files.Count, i => ours[i] = AstJson.FromBytes(bytes[i]));

        int agreed = 0, rejectedBoth = 0;
        var differences = new List<string>();
        for (int i = 0; i < files.Count; i++)
        {
            if (ours[i] == expected[i])
            {
                agreed++;
                continue;
            }

            var a = ErrorLine.Match(expected[i]);
            var b = ErrorLine.Match(ours[i]);
            if (a.Success && b.Success && a.Groups[1].Value == b.Groups[1].Value)
            {
                rejectedBoth++;
                continue;
            }

            differences.Add($"{files[i]}: {Describe(expected[i], ours[i])}");
        }

        int rejectedByCPython = expected.Count(e => e.StartsWith("{\"error\"", StringComparison.Ordinal));
        var summary = $"CPython {version} stdlib: files={files.Count} identical JSON={agreed} rejected by both on the same line with another message={rejectedBoth} " +
                      $"(CPython rejects {rejectedByCPython}) disagreements={differences.Count}";
        _output.WriteLine(summary);
        var message = new StringBuilder(summary).AppendLine();
        foreach (var d in differences.Take(15))
        {
            message.AppendLine(d);
        }

        Assert.True(differences.Count == 0, message.ToString());
        agreed += rejectedBoth;
        Assert.Equal(files.Count, agreed);
    }

    /// <summary>The first differing character with some context on both sides.</summary>
    private static string Describe(string expected, string actual)
    {
        int k = 0;
        while (k < expected.Length && k < actual.Length && expected[k] == actual[k])
        {
            k++;
        }

        int from = Math.Max(0, k - 160);
        string Cut(string s) => s.Substring(from, Math.Min(s.Length - from, k - from + 80));
        return $"\n  cpython: …{Cut(expected)}\n  ours:    …{Cut(actual)}";
    }
}
