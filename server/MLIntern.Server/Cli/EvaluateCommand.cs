using System.CommandLine;
using MLIntern.Server.Evaluate;
using MLIntern.Training.Evaluation;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Cli;

/// <summary>
/// `mlintern evaluate RUN [--format text|json] [--html FILE] [--audit|--no-audit] [--audit-threshold X]`:
/// the evaluation report of a run folder (or run id). Exit 0 when evaluated (1 when the leakage
/// audit raised an alarm), 2 when the run or its predictions cannot be read.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("RUN") { Description = "A run folder, or a run id under .mlintern/runs/" };
        var format = new Option<string>("--format") { Description = "Output format: text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report to this file" };
        var audit = new Option<bool>("--audit") { Description = "Run the leakage audit whatever the score" };
        var noAudit = new Option<bool>("--no-audit") { Description = "Never run the leakage audit" };
        var threshold = new Option<double?>("--audit-threshold") { Description = "Run the audit by itself when macro-F1 is at or above this (default 0.99)" };
        var category = new Option<string?>("--category-column") { Description = "A data set column to slice the results by (default: 'category' when present)" };
        var workspace = new Option<string?>("--workspace") { Description = "The workspace folder holding .mlintern/ (default: the current folder and its parents)" };
        var command = new Command("evaluate", "Evaluate a run: metrics, failure analysis, and a leakage audit when the score is suspiciously high.") { run, format, html, audit, noAudit, threshold, category, workspace };
        command.SetAction((parse, cancellationToken) =>
        {
            bool? auditChoice = parse.GetValue(audit) ? true : parse.GetValue(noAudit) ? false : null;
            var options = new EvaluateOptions(auditChoice, parse.GetValue(threshold) is { } t ? new AuditOptions(Threshold: t) : null, parse.GetValue(category));
            return Task.FromResult(Run(parse.GetValue(run)!, parse.GetValue(workspace), parse.GetValue(format) ?? "text", parse.GetValue(html), options, Console.Out, Console.Error, cancellationToken));
        });
        return command;
    }

    public static int Run(string run, string? workspace, string format, string? html, EvaluateOptions options, TextWriter output, TextWriter errors, CancellationToken cancellationToken = default)
    {
        EvaluationReport report;
        try
        {
            report = RunEvaluator.Evaluate(RunContext.Resolve(run, workspace), options, cancellationToken);
        }
        catch (Exception e) when (e is RunNotFoundException or PredictionsException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"error: {e.Message}");
            return Commands.Failure;
        }

        if (html is not null)
        {
            State.AtomicFile.WriteAllText(html, ReportWriters.Html(report));
            errors.WriteLine($"wrote {Path.GetFullPath(html)}");
        }

        output.Write(format == "json" ? MLIntern.Findings.Secrets.Redact(Wire.ProtocolJson.Write(Wire.EvaluationReport.From(report), indented: true)) + "\n" : ReportWriters.Text(report));
        return report.Audit?.Alarm == true ? Commands.Findings : Commands.Clean;
    }
}
