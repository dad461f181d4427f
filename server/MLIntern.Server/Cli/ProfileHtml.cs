using System.Globalization;
using System.Net;
using System.Text;
using MLIntern.Data.Profiling;

namespace MLIntern.Server.Cli;

/// <summary>A self-contained HTML report (inline CSS and SVG, no scripts, nothing fetched).</summary>
internal static class ProfileHtml
{
    public static string Render(DatasetProfile p, Func<string, string> display)
    {
        var inv = CultureInfo.InvariantCulture;
        var h = new StringBuilder();
        string E(string s) => WebUtility.HtmlEncode(s);
        h.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ML Intern data set report</title><style>")
         .Append("body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}")
         .Append("th{background:#f3f3f3}.error{color:#b00020}.warning{color:#8a5300}code{background:#f3f3f3;padding:0 3px}svg text{font-size:11px}")
         .Append("</style></head><body>");
        h.Append(inv, $"<h1>Data set report</h1><p>{p.Rows:N0} rows in {p.Splits.Count} split(s). Text column: <code>{E(p.Text.Column ?? "none")}</code> ({E(p.Text.Source)}); label column: <code>{E(p.Label.Column ?? "none")}</code> ({E(p.Label.Source)}).</p>");

        h.Append("<h2>Problems</h2>");
        var found = p.Checks.Where(c => c.Count > 0).ToList();
        if (found.Count == 0)
        {
            h.Append("<p>No data problems found.</p>");
        }

        foreach (var c in found)
        {
            var severity = c.Severity.ToString().ToLowerInvariant();
            h.Append(inv, $"<h3 class=\"{severity}\">{E(c.Code)} {E(c.Name)}</h3><p>{E(c.Message)}</p>");
            if (c.Examples.Count > 0 || c.FileFindings.Count > 0)
            {
                h.Append("<table><tr><th>file</th><th>line</th><th>finding</th><th>text</th></tr>");
                foreach (var e in c.Examples)
                {
                    h.Append(inv, $"<tr><td>{E(display(e.Path))}</td><td>{e.Line}</td><td>{E(e.Detail)}</td><td>{E(e.Text)}</td></tr>");
                }

                foreach (var (path, f) in c.FileFindings.Take(20))
                {
                    h.Append(inv, $"<tr><td>{E(display(path))}</td><td>{f.Range.Line}</td><td>{E(f.Message)}</td><td></td></tr>");
                }

                h.Append("</table>");
            }
        }

        if (p.Labels is { } labels)
        {
            h.Append(inv, $"<h2>Classes of <code>{E(labels.Column)}</code></h2>");
            h.Append(Bars(labels.Counts.Take(50).Select(c => (c.Label, c.Count)).ToList()));
        }

        foreach (var split in p.Splits)
        {
            h.Append(inv, $"<h2>Split {E(split.Name)}: {split.Rows:N0} rows</h2><p>{E(string.Join(", ", split.Files.Select(f => display(f.Path))))}</p>");
            h.Append("<table><tr><th>column</th><th>type</th><th>present</th><th>missing</th><th>distinct</th><th>top values</th></tr>");
            foreach (var c in split.Columns)
            {
                var top = string.Join(", ", c.TopValues.Take(5).Select(v => $"{v.Value} ({v.Count.ToString("N0", inv)})"));
                h.Append(inv, $"<tr><td>{E(c.Name)}</td><td>{E(c.Type)}</td><td>{c.Present:N0}</td><td>{c.Missing:N0}</td><td>{(c.DistinctIsExact ? "" : "~")}{c.Distinct:N0}</td><td>{E(top)}</td></tr>");
            }

            h.Append("</table>");
            foreach (var c in split.Columns.Where(c => c.Type == "text" && c.Lengths is not null))
            {
                var l = c.Lengths!;
                h.Append(inv, $"<h3>Length of <code>{E(c.Name)}</code> (characters): min {l.Min}, median {l.P50}, p95 {l.P95}, max {l.Max}</h3>");
                h.Append(Bars(l.Histogram.Select(b => (b.To is { } to ? (to - b.From <= 1 ? $"{b.From}" : $"{b.From}–{to - 1}") : $"{b.From}+", b.Count)).ToList()));
            }
        }

        h.Append("</body></html>");
        // The profile redacts what it captures; the page is redacted again as written, so no path or name can carry a secret either.
        return Secrets.Redact(h.ToString());
    }

    private static string Bars(IReadOnlyList<(string Label, long Count)> bars)
    {
        var inv = CultureInfo.InvariantCulture;
        var max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Count));
        var height = (bars.Count * 18) + 4;
        var s = new StringBuilder();
        s.Append(inv, $"<svg width=\"720\" height=\"{height}\" role=\"img\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, count) = bars[i];
            var width = 420.0 * count / max;
            var y = (i * 18) + 2;
            s.Append(inv, $"<text x=\"0\" y=\"{y + 12}\">{WebUtility.HtmlEncode(label.Length > 34 ? label[..33] + "…" : label)}</text>");
            s.Append(inv, $"<rect x=\"230\" y=\"{y}\" width=\"{width:0.#}\" height=\"14\" fill=\"#4a7bd0\"/>");
            s.Append(inv, $"<text x=\"{235 + width:0.#}\" y=\"{y + 12}\">{count:N0}</text>");
        }

        return s.Append("</svg>").ToString();
    }
}
