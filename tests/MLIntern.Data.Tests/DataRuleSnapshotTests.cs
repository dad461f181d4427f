using System.Text;
using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;
using MLIntern.Findings;

namespace MLIntern.Data.Tests;

/// <summary>
/// One fixture per data rule (Fixtures/&lt;CODE&gt;.csv, or a folder of split files for rules about
/// splits: rows that must be flagged and near misses that must not) and its accepted snapshot
/// (Snapshots/&lt;CODE&gt;.snap: each of the rule's findings with the row it points at), as the
/// script rules have. Set MLINTERN_UPDATE_SNAPSHOTS=1 to write new snapshots, then review them with git diff.
/// </summary>
public sealed class DataRuleSnapshotTests
{
    public static TheoryData<string> Codes() => [.. DataRules.All.Select(r => r.Code)];

    [Theory]
    [MemberData(nameof(Codes))]
    public void Fixture_matches_its_snapshot(string code)
    {
        var fixtures = Path.Combine(Root, "Fixtures");
        var folder = Path.Combine(fixtures, code);
        var file = Path.Combine(fixtures, code + ".csv");
        Assert.True(File.Exists(file) || Directory.Exists(folder), $"every data rule needs a fixture: {file} or {folder}/");
        var files = Directory.Exists(folder)
            ? Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(fixtures, f).Replace('\\', '/')).ToList()
            : [code + ".csv"];
        var splits = files.Select(f => new DataSplit(Directory.Exists(folder) ? Path.GetFileNameWithoutExtension(f) : "all", [Open(fixtures, f)])).ToList();
        var profile = DatasetProfiler.Profile(splits, new DataCheckOptions());

        var output = new StringBuilder();
        var count = 0;
        foreach (var path in files)
        {
            var lines = File.ReadAllText(Path.Combine(fixtures, path)).ReplaceLineEndings("\n").Split('\n');
            foreach (var finding in profile.FindingsFor(path).Where(f => f.Code == code))
            {
                count++;
                output.Append($"{path}:{finding.Range.Line}: {finding.Code} {finding.Message}\n");
                if (finding.Range.Line - 1 < lines.Length)
                {
                    output.Append($"  {finding.Range.Line,3} | {lines[finding.Range.Line - 1]}\n");
                }

                output.Append('\n');
            }
        }

        var actual = output.ToString();
        var snapshot = Path.Combine(Root, "Snapshots", code + ".snap");
        if (Environment.GetEnvironmentVariable("MLINTERN_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(snapshot, actual);
        }

        Assert.True(File.Exists(snapshot), $"no snapshot yet: run with MLINTERN_UPDATE_SNAPSHOTS=1 and review {snapshot}");
        Assert.Equal(File.ReadAllText(snapshot), actual);
        Assert.True(count > 0, $"the {code} fixture triggers no {code} finding");
    }

    private static DataFile Open(string fixtures, string path) =>
        new(path, DataFormats.FromFileName(path) ?? DataFormat.Csv, () => File.OpenRead(Path.Combine(fixtures, path)));

    /// <summary>The source tree's test folder (snapshots are written there, not to bin/).</summary>
    private static string Root
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "MLIntern.Data.Tests.csproj")))
            {
                dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("test project folder not found");
            }

            return dir;
        }
    }
}
