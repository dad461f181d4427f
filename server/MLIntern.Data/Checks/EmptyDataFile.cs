using MLIntern.Findings;
using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;

namespace MLIntern.Data.Checks;

/// <summary>MLD013: a data file with no rows — empty, or a CSV/TSV header and nothing under it. This file holds the rule's page and its check.</summary>
public static class EmptyDataFile
{
    public static readonly RuleInfo Rule = new(
        "MLD013",
        "empty-data-file",
        Severity.Warning,
        "A data file with no rows: empty, or a header only",
        """
        ## What it does
        Reports a data file that holds no rows: a file of zero bytes (or only blank lines), a CSV or
        TSV with a header line and nothing under it, a JSON array `[]`, a Parquet file with no rows.
        A file whose every record is malformed is MLD012's finding, not this one.

        ## Why is this bad?
        An empty split does not fail where it is made; it fails, or worse passes, later. An empty
        test file gives no score at all or a score over nothing; an empty train shard silently
        shrinks the data set; a header-only file is usually an export that stopped before its
        first row, or a filter that matched nothing.

        ## Example
        ```csv
        text,label
        ```

        ## Use instead
        Export the rows again, or remove the file from the data set so that its split is missing
        rather than empty.

        ## Fix safety
        No automatic fix: only you know what the file should hold.

        ## Error without the fix
        ```
        ValueError: With n_samples=0, test_size=0.2 and train_size=None, the resulting train set will be empty. Adjust any of the aforementioned parameters.
        ```
        """);

    /// <summary>One finding per empty file, at line 1 (a header-only file's header).</summary>
    internal sealed class Checker(DataPass pass) : IDataCheck
    {
        public CheckResult Finish()
        {
            var findings = pass.Empty.Select(e => (e.Path, new Finding(Rule.Code, Rule.DefaultSeverity, Describe(e.Path, e.Format, e.Columns), new SourceRange(1, 1, 1, 1)))).ToList();
            var message = findings.Count == 0 ? "every data file has rows" : $"{findings.Count} data file(s) have no rows: {string.Join(", ", pass.Empty.Take(5).Select(e => Path.GetFileName(e.Path)))}";
            return new CheckResult(Rule.Code, Rule.Name, Rule.DefaultSeverity, findings.Count, false, message, findings.Count > 0 ? findings[0].Path : null, [])
            { FileFindings = findings };
        }

        private static string Describe(string path, DataFormat format, int columns)
        {
            var name = Path.GetFileName(path);
            return columns > 0 && format is DataFormat.Csv or DataFormat.Tsv
                ? $"{name} has a header ({columns} column(s)) and no rows"
                : columns > 0 ? $"{name} has columns ({columns}) and no rows"
                : $"{name} is empty: no header and no rows";
        }
    }
}
