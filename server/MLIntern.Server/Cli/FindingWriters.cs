using MLIntern.Analysis.Findings;
using MLIntern.Server.Engine;
using MLIntern.Server.Lsp.Handlers;
using Newtonsoft.Json;

namespace MLIntern.Server.Cli;

/// <summary>The CLI's three output formats for findings.</summary>
internal static class FindingWriters
{
    /// <summary>Ruff-like lines: path:line:column: CODE message (path:cell N:line:column in a notebook), with [*] where a safe fix exists.</summary>
    public static void WriteText(TextWriter output, IReadOnlyList<FileFinding> results, bool failed)
    {
        foreach (var result in results)
        {
            var f = result.Finding;
            var marker = f.Fix?.Applicability == Applicability.Safe ? " [*]" : "";
            var cell = result.Cell is { } n ? $"cell {n}:" : "";
            output.WriteLine($"{result.Path}:{cell}{f.Range.Line}:{f.Range.Column}: {f.Code}{marker} {f.Message}");
        }

        if (results.Count == 0)
        {
            if (!failed)
            {
                output.WriteLine("All checks passed!");
            }

            return;
        }

        var safe = results.Count(r => r.Finding.Fix?.Applicability == Applicability.Safe);
        output.WriteLine($"Found {results.Count} problem{(results.Count == 1 ? "" : "s")}{(safe > 0 ? $" ({safe} with a safe fix, marked [*])" : "")}.");
    }

    /// <summary>
    /// A JSON array; each finding has code, severity, message, path, cell (1-based in a notebook,
    /// else null), 1-based positions (in the cell, in a notebook) and fix (or null; in a notebook
    /// each edit names its cell).
    /// </summary>
    public static void WriteJson(TextWriter output, IReadOnlyList<FileFinding> results)
    {
        using var json = new JsonTextWriter(output) { Formatting = Formatting.Indented, CloseOutput = false };
        json.WriteStartArray();
        foreach (var (path, f, cell, _, editCells) in results)
        {
            json.WriteStartObject();
            json.WritePropertyName("code");
            json.WriteValue(f.Code);
            json.WritePropertyName("severity");
            json.WriteValue(SeverityName(f.Severity));
            json.WritePropertyName("message");
            json.WriteValue(f.Message);
            json.WritePropertyName("path");
            json.WriteValue(path);
            json.WritePropertyName("cell");
            json.WriteValue(cell);
            WriteRange(json, f.Range);
            json.WritePropertyName("url");
            json.WriteValue(RuleCatalog.Find(f.Code)?.HelpUri);
            json.WritePropertyName("fix");
            if (f.Fix is { } fix)
            {
                json.WriteStartObject();
                json.WritePropertyName("title");
                json.WriteValue(fix.Title);
                json.WritePropertyName("applicability");
                json.WriteValue(ApplicabilityName(fix.Applicability));
                json.WritePropertyName("edits");
                json.WriteStartArray();
                for (var e = 0; e < fix.Edits.Count; e++)
                {
                    var edit = fix.Edits[e];
                    json.WriteStartObject();
                    if (editCells is not null && e < editCells.Count)
                    {
                        json.WritePropertyName("cell");
                        json.WriteValue(editCells[e]);
                    }

                    WriteRange(json, edit.Range);
                    json.WritePropertyName("content");
                    json.WriteValue(edit.NewText);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.Flush();
        output.WriteLine();
    }

    /// <summary>
    /// SARIF 2.1.0, as GitHub code scanning reads it: one run, the rules that fired, one result per
    /// finding. A notebook finding's region is where its line is written in the .ipynb (a viewer
    /// shows the file); its cell and cell-relative position are in the result's properties.
    /// </summary>
    public static void WriteSarif(TextWriter output, IReadOnlyList<FileFinding> results)
    {
        var fired = results.Select(r => r.Finding.Code).Distinct().Order(StringComparer.Ordinal).ToList();
        using var json = new JsonTextWriter(output) { Formatting = Formatting.Indented, CloseOutput = false };
        json.WriteStartObject();
        json.WritePropertyName("$schema");
        json.WriteValue("https://json.schemastore.org/sarif-2.1.0.json");
        json.WritePropertyName("version");
        json.WriteValue("2.1.0");
        json.WritePropertyName("runs");
        json.WriteStartArray();
        json.WriteStartObject();
        json.WritePropertyName("tool");
        json.WriteStartObject();
        json.WritePropertyName("driver");
        json.WriteStartObject();
        json.WritePropertyName("name");
        json.WriteValue("mlintern");
        json.WritePropertyName("version");
        json.WriteValue(InitializeHandler.Version);
        json.WritePropertyName("informationUri");
        json.WriteValue("https://github.com/mlintern/mlintern");
        json.WritePropertyName("rules");
        json.WriteStartArray();
        foreach (var code in fired)
        {
            var rule = RuleCatalog.Find(code);
            json.WriteStartObject();
            json.WritePropertyName("id");
            json.WriteValue(code);
            if (rule is not null)
            {
                json.WritePropertyName("name");
                json.WriteValue(rule.Name);
                json.WritePropertyName("shortDescription");
                json.WriteStartObject();
                json.WritePropertyName("text");
                json.WriteValue(rule.Summary);
                json.WriteEndObject();
                json.WritePropertyName("helpUri");
                json.WriteValue(rule.HelpUri);
                json.WritePropertyName("defaultConfiguration");
                json.WriteStartObject();
                json.WritePropertyName("level");
                json.WriteValue(SarifLevel(rule.DefaultSeverity));
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WritePropertyName("results");
        json.WriteStartArray();
        foreach (var (path, f, cell, inFile, _) in results)
        {
            json.WriteStartObject();
            json.WritePropertyName("ruleId");
            json.WriteValue(f.Code);
            json.WritePropertyName("ruleIndex");
            json.WriteValue(fired.IndexOf(f.Code));
            json.WritePropertyName("level");
            json.WriteValue(SarifLevel(f.Severity));
            json.WritePropertyName("message");
            json.WriteStartObject();
            json.WritePropertyName("text");
            json.WriteValue(f.Message);
            json.WriteEndObject();
            json.WritePropertyName("locations");
            json.WriteStartArray();
            json.WriteStartObject();
            json.WritePropertyName("physicalLocation");
            json.WriteStartObject();
            json.WritePropertyName("artifactLocation");
            json.WriteStartObject();
            json.WritePropertyName("uri");
            json.WriteValue(Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal));
            json.WriteEndObject();
            json.WritePropertyName("region");
            json.WriteStartObject();
            if (inFile is { } at)
            {
                json.WritePropertyName("startLine");
                json.WriteValue(at.Line);
                json.WritePropertyName("startColumn");
                json.WriteValue(at.Column);
            }
            else
            {
                json.WritePropertyName("startLine");
                json.WriteValue(f.Range.Line);
                json.WritePropertyName("startColumn");
                json.WriteValue(f.Range.Column);
                json.WritePropertyName("endLine");
                json.WriteValue(f.Range.EndLine);
                json.WritePropertyName("endColumn");
                json.WriteValue(f.Range.EndColumn);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            if (cell is { } n)
            {
                json.WritePropertyName("properties");
                json.WriteStartObject();
                json.WritePropertyName("cell");
                json.WriteValue(n);
                json.WritePropertyName("cellLine");
                json.WriteValue(f.Range.Line);
                json.WritePropertyName("cellColumn");
                json.WriteValue(f.Range.Column);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteLine();
    }

    private static void WriteRange(JsonWriter json, SourceRange range)
    {
        json.WritePropertyName("line");
        json.WriteValue(range.Line);
        json.WritePropertyName("column");
        json.WriteValue(range.Column);
        json.WritePropertyName("end_line");
        json.WriteValue(range.EndLine);
        json.WritePropertyName("end_column");
        json.WriteValue(range.EndColumn);
    }

    private static string SeverityName(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Information => "info",
        _ => "hint",
    };

    private static string ApplicabilityName(Applicability applicability) => applicability switch
    {
        Applicability.Safe => "safe",
        Applicability.Unsafe => "unsafe",
        _ => "display-only",
    };

    private static string SarifLevel(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };
}
