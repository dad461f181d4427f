using System.Globalization;
using System.Net;
using System.Text;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using MLIntern.Training.Evaluation;

namespace MLIntern.Server.Evaluate;

/// <summary>The evaluation report as text and HTML (as JSON it is the protocol's record, Protocol.EvaluationReport).</summary>
internal static class ReportWriters
{
    public static string Text(EvaluationReport report) => Secrets.Redact(RawText(report));

    private static string RawText(EvaluationReport report)
    {
        var f = CultureInfo.InvariantCulture;
        var m = report.Metrics;
        var s = new StringBuilder();
        s.AppendLine(f, $"Evaluation of {report.Source.RunId ?? report.Source.RunFolder} ({m.Count} test rows{(report.Source.SkippedLines > 0 ? $", {report.Source.SkippedLines} malformed lines skipped" : "")})");
        s.AppendLine(f, $"  accuracy {m.Accuracy:0.0000}   macro-F1 {m.Macro.F1:0.0000}   micro-F1 {m.Micro.F1:0.0000}   weighted-F1 {m.Weighted.F1:0.0000}");
        if (report.Calibration is { } c)
        {
            s.AppendLine(f, $"  ECE {c.Ece:0.0000} ({c.Bins} bins, {c.Source})");
        }

        s.AppendLine();
        var width = Math.Max(5, m.Labels.Max(l => l.Length));
        s.AppendLine(f, $"  {"class".PadRight(width)}  precision  recall      f1  support");
        foreach (var k in m.PerClass)
        {
            s.AppendLine(f, $"  {k.Label.PadRight(width)}  {k.Precision,9:0.0000}  {k.Recall,6:0.0000}  {k.F1,6:0.0000}  {k.Support,7}");
        }

        if (report.ConfusedPairs.Count > 0)
        {
            s.AppendLine().AppendLine("Most confused (true → predicted):");
            foreach (var p in report.ConfusedPairs.Take(5))
            {
                s.AppendLine(f, $"  {p.Label} → {p.Predicted}: {p.Count} ({p.ShareOfLabel:P0} of {p.Label}), e.g. \"{p.Examples[0]}\"");
            }
        }

        var weak = report.Slices.Where(x => x.Weak).OrderBy(x => x.AccuracyGap).Take(5).ToArray();
        if (weak.Length > 0)
        {
            s.AppendLine().AppendLine("Weakest slices:");
            foreach (var x in weak)
            {
                s.AppendLine(f, $"  {x.Kind} {x.Name}: accuracy {x.Accuracy:0.000} on {x.Count} rows ({x.AccuracyGap:+0.000;-0.000})");
            }
        }

        if (report.Audit is { } audit)
        {
            s.AppendLine().AppendLine(f, $"Leakage audit ({audit.Reason}): {(audit.Alarm ? "LEAKAGE — the score is not to be trusted as it stands" : "no leakage found")}");
            foreach (var finding in audit.Findings)
            {
                s.AppendLine("  - " + finding);
            }
        }

        if (report.Suggestions.Count > 0)
        {
            s.AppendLine().AppendLine("Suggestions:");
            foreach (var suggestion in report.Suggestions)
            {
                s.AppendLine("  - " + suggestion);
            }
        }

        foreach (var note in report.Notes)
        {
            s.AppendLine("note: " + note);
        }

        return s.ToString();
    }

    /// <summary>A self-contained page (no script, no external resource): tables and inline SVG charts.</summary>
    public static string Html(EvaluationReport report) => Secrets.Redact(RawHtml(report));

    private static string RawHtml(EvaluationReport report)
    {
        var f = CultureInfo.InvariantCulture;
        var m = report.Metrics;
        var s = new StringBuilder();
        s.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evaluation ").Append(E(report.Source.RunId ?? "")).Append("</title><style>")
            .Append("body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td.l{text-align:left}.alarm{background:#fde2e2;padding:1em;border-left:4px solid #c00}.ok{background:#e3f6e3;padding:1em;border-left:4px solid #080}")
            .Append("</style></head><body>");
        s.Append(f, $"<h1>Evaluation of {E(report.Source.RunId ?? report.Source.RunFolder)}</h1><p>{m.Count} test rows. Accuracy <b>{m.Accuracy:0.0000}</b>, macro-F1 <b>{m.Macro.F1:0.0000}</b>, micro-F1 {m.Micro.F1:0.0000}, weighted-F1 {m.Weighted.F1:0.0000}");
        if (report.Calibration is { } c)
        {
            s.Append(f, $", ECE {c.Ece:0.0000} ({c.Bins} bins, {E(c.Source)})");
        }

        s.Append(".</p>");
        if (report.Audit is { } audit)
        {
            s.Append(audit.Alarm ? "<div class=\"alarm\">" : "<div class=\"ok\">").Append(f, $"<h2>Leakage audit ({E(audit.Reason)}): {(audit.Alarm ? "leakage found" : "no leakage found")}</h2><ul>");
            foreach (var finding in audit.Findings)
            {
                s.Append("<li>").Append(E(finding)).Append("</li>");
            }

            s.Append("</ul></div>");
        }

        s.Append("<h2>Per class</h2><table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th></th></tr>");
        foreach (var k in m.PerClass)
        {
            s.Append(f, $"<tr><td class=\"l\">{E(k.Label)}</td><td>{k.Precision:0.000}</td><td>{k.Recall:0.000}</td><td>{k.F1:0.000}</td><td>{k.Support}</td><td><svg width=\"120\" height=\"10\"><rect width=\"{k.F1 * 120:0.#}\" height=\"10\" fill=\"#4a7\"/></svg></td></tr>");
        }

        s.Append("</table><h2>Confusion matrix (row-normalised; rows: true label)</h2>");
        var cell = Math.Clamp(480 / Math.Max(1, m.Labels.Count), 8, 36);
        var size = cell * m.Labels.Count;
        s.Append(f, $"<svg width=\"{size + 160}\" height=\"{size + 10}\" role=\"img\" aria-label=\"confusion matrix\">");
        for (var r = 0; r < m.Labels.Count; r++)
        {
            s.Append(f, $"<text x=\"155\" y=\"{r * cell + cell * 0.7:0.#}\" text-anchor=\"end\" font-size=\"11\">{E(m.Labels[r])}</text>");
            for (var col = 0; col < m.Labels.Count; col++)
            {
                var v = m.ConfusionNormalized[r][col];
                var color = r == col ? $"rgba(40,140,70,{v:0.###})" : $"rgba(200,40,40,{v:0.###})";
                s.Append(f, $"<rect x=\"{160 + col * cell}\" y=\"{r * cell}\" width=\"{cell - 1}\" height=\"{cell - 1}\" fill=\"{color}\" stroke=\"#eee\"><title>{E(m.Labels[r])} → {E(m.Labels[col])}: {m.Confusion[r][col]} ({v:P0})</title></rect>");
            }
        }

        s.Append("</svg>");
        if (report.Calibration is { } cal)
        {
            s.Append("<h2>Reliability</h2><svg width=\"220\" height=\"220\" role=\"img\" aria-label=\"reliability diagram\"><rect width=\"200\" height=\"200\" fill=\"none\" stroke=\"#999\"/><line x1=\"0\" y1=\"200\" x2=\"200\" y2=\"0\" stroke=\"#aaa\" stroke-dasharray=\"4\"/>");
            var w = 200.0 / cal.Bins;
            foreach (var (bin, i) in cal.Reliability.Select((b, i) => (b, i)).Where(x => x.b.Count > 0))
            {
                s.Append(f, $"<rect x=\"{i * w:0.#}\" y=\"{200 - bin.Accuracy * 200:0.#}\" width=\"{w - 1:0.#}\" height=\"{bin.Accuracy * 200:0.#}\" fill=\"#58a\"><title>{bin.Low:0.00}–{bin.High:0.00}: {bin.Count} rows, accuracy {bin.Accuracy:0.000}, confidence {bin.Confidence:0.000}</title></rect>");
            }

            s.Append("</svg>");
        }

        Table(s, "Most confused pairs", ["true", "predicted", "count", "share", "example"], report.ConfusedPairs.Select(p => new[] { p.Label, p.Predicted, p.Count.ToString(f), p.ShareOfLabel.ToString("P0", f), p.Examples.FirstOrDefault() ?? "" }));
        Table(s, "Misclassified, most confident first", ["text", "true", "predicted", "confidence"], report.Misclassified.Select(x => new[] { x.Text, x.Label, x.Predicted, x.Confidence?.ToString("0.000", f) ?? "" }));
        Table(s, "Slices", ["kind", "slice", "rows", "errors", "accuracy", "macro-F1", "gap"], report.Slices.Select(x => new[] { x.Kind, x.Name, x.Count.ToString(f), x.Errors.ToString(f), x.Accuracy.ToString("0.000", f), x.MacroF1.ToString("0.000", f), x.AccuracyGap.ToString("+0.000;-0.000", f) }));
        if (report.Suggestions.Count > 0)
        {
            s.Append("<h2>Suggestions</h2><ul>");
            foreach (var suggestion in report.Suggestions)
            {
                s.Append("<li>").Append(E(suggestion)).Append("</li>");
            }

            s.Append("</ul>");
        }

        foreach (var note in report.Notes)
        {
            s.Append("<p><i>").Append(E(note)).Append("</i></p>");
        }

        return s.Append("</body></html>\n").ToString();
    }

    private static void Table(StringBuilder s, string title, string[] headers, IEnumerable<string[]> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        s.Append("<h2>").Append(E(title)).Append("</h2><table><tr>");
        foreach (var h in headers)
        {
            s.Append("<th>").Append(E(h)).Append("</th>");
        }

        s.Append("</tr>");
        foreach (var row in list)
        {
            s.Append("<tr>");
            foreach (var v in row)
            {
                s.Append("<td class=\"l\">").Append(E(v)).Append("</td>");
            }

            s.Append("</tr>");
        }

        s.Append("</table>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
