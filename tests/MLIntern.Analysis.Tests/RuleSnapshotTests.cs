using System.Text;
using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

/// <summary>
/// One fixture per rule (Fixtures/&lt;CODE&gt;.py, the cases that must and must not be flagged) and its
/// accepted snapshot (Snapshots/&lt;CODE&gt;.snap: each finding rendered with its source line and the
/// fix as it changes the line). A behaviour change shows up as a snapshot diff. Set
/// MLINTERN_UPDATE_SNAPSHOTS=1 to write new snapshots, then review them with git diff.
/// </summary>
public sealed class RuleSnapshotTests
{
    public static TheoryData<string> Codes() => [.. ScriptChecker.Rules.Select(r => r.Info.Code)];

    [Theory]
    [MemberData(nameof(Codes))]
    public void Fixture_matches_its_snapshot(string code)
    {
        var fixture = Path.Combine(Root, "Fixtures", code + ".py");
        Assert.True(File.Exists(fixture), $"every rule needs a fixture: {fixture}");
        var source = File.ReadAllText(fixture);
        var findings = ScriptChecker.Check(source, FixtureDatasets.Lookup(Path.Combine(Root, "Fixtures")), new HashSet<string> { code });
        var actual = Render(code + ".py", source, findings);

        var snapshot = Path.Combine(Root, "Snapshots", code + ".snap");
        if (Environment.GetEnvironmentVariable("MLINTERN_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(snapshot, actual);
        }

        Assert.True(File.Exists(snapshot), $"no snapshot yet: run with MLINTERN_UPDATE_SNAPSHOTS=1 and review {snapshot}");
        Assert.Equal(File.ReadAllText(snapshot), actual);
        Assert.NotEmpty(findings);
    }

    /// <summary>
    /// Every fix in every fixture, applied alone: the file still parses as well as before, the
    /// fixed finding is gone, and no rule finds anything new.
    /// </summary>
    [Theory]
    [MemberData(nameof(Codes))]
    public void Applying_a_fix_creates_no_new_findings(string code)
    {
        var source = File.ReadAllText(Path.Combine(Root, "Fixtures", code + ".py"));
        var datasets = FixtureDatasets.Lookup(Path.Combine(Root, "Fixtures"));
        var before = ScriptChecker.Check(source, datasets);
        var errorsBefore = MLIntern.Python.Parsing.Parser.Parse(source).Errors.Count;
        foreach (var finding in before.Where(f => f.Code == code && f.Fix is not null))
        {
            var after = Edits.Apply(source, finding.Fix!.Edits);
            Assert.True(MLIntern.Python.Parsing.Parser.Parse(after).Errors.Count <= errorsBefore, $"fix '{finding.Fix.Title}' at line {finding.Range.Line} breaks the syntax:\n{after}");
            var afterFindings = ScriptChecker.Check(after, datasets);
            var known = before.Select(f => (f.Code, f.Message)).ToList();
            known.Remove((finding.Code, finding.Message));
            foreach (var f in afterFindings)
            {
                Assert.True(known.Remove((f.Code, f.Message)), $"fix '{finding.Fix.Title}' at line {finding.Range.Line} left or created: {f.Code} line {f.Range.Line}: {f.Message}");
            }
        }
    }

    /// <summary>The source tree's test folder (snapshots are written there, not to bin/).</summary>
    private static string Root
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "MLIntern.Analysis.Tests.csproj")))
            {
                dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("test project folder not found");
            }

            return dir;
        }
    }

    internal static string Render(string name, string source, IReadOnlyList<Finding> findings)
    {
        var lines = source.ReplaceLineEndings("\n").Split('\n');
        var output = new StringBuilder();
        foreach (var f in findings)
        {
            output.Append($"{name}:{f.Range.Line}:{f.Range.Column}: {f.Code} {f.Message}\n");
            var line = lines[f.Range.Line - 1];
            output.Append($"  {f.Range.Line,3} | {line}\n");
            var width = f.Range.EndLine == f.Range.Line ? Math.Max(f.Range.EndColumn - f.Range.Column, 1) : Math.Max(line.Length - f.Range.Column + 1, 1);
            output.Append($"      | {new string(' ', f.Range.Column - 1)}{new string('^', width)}\n");
            if (f.Fix is { } fix)
            {
                output.Append($"  fix ({fix.Applicability.ToString().ToLowerInvariant()}): {fix.Title}\n");
                var after = Edits.Apply(source, fix.Edits).ReplaceLineEndings("\n").Split('\n');
                var first = fix.Edits.Min(e => e.Range.Line);
                var last = fix.Edits.Max(e => e.Range.EndLine);
                for (var i = first; i <= last && i <= lines.Length; i++)
                {
                    output.Append($"  - {lines[i - 1]}\n");
                }

                var delta = after.Length - lines.Length;
                for (var i = first; i <= last + delta && i <= after.Length; i++)
                {
                    output.Append($"  + {after[i - 1]}\n");
                }
            }
            else
            {
                output.Append("  no fix\n");
            }

            output.Append('\n');
        }

        return output.ToString();
    }
}
