using System.Globalization;
using System.Text;
using MLIntern.Analysis.Findings;
using MLIntern.Findings;
using MLIntern.Server.Engine;
using MLIntern.Server.Lsp.Handlers;
using MLIntern.Server.Protocol;
using MLIntern.Server.State;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;
using M = MLIntern.Server.Lsp.Protocol.Methods;

namespace MLIntern.Server.Agent;

/// <summary>One argument of a tool: its JSON type ("string", "integer", "number", "boolean"), what it is, whether it is required.</summary>
internal sealed record ToolParameter(string Name, string Type, string Description, bool Required = false);

/// <summary>
/// What a tool call gave: for the card (ok, summary, links, a launch), for the model (<see cref="ForModel"/>),
/// and, for a launched run, <see cref="Follow"/>: waits for the run's end and says how it ended.
/// </summary>
internal sealed record ToolOutcome(bool Ok, string Summary, IReadOnlyList<AgentLink> Links, string ForModel, StartRunResult? Launch = null, Func<CancellationToken, Task<string>>? Follow = null, object? Data = null, PublishStarted? Upload = null, string? RunId = null)
{
    public static ToolOutcome Failed(string message) => new(false, message, [], message);
}

/// <summary>A tool of the intern: name, description, arguments, whether it needs a human's approval, and what it does.</summary>
internal sealed record AgentTool(string Name, string Description, IReadOnlyList<ToolParameter> Parameters, AgentApprovalKind? Approval, Func<ToolCall, Task<ToolOutcome>> Run);

/// <summary>A validated call as a tool sees it: the session, the services, its id and its arguments.</summary>
internal sealed record ToolCall(AgentSession Session, AgentServices Services, string CallId, JObject Arguments, CancellationToken Cancellation)
{
    public string? String(string name) => Arguments[name]?.Type == JTokenType.String ? (string?)Arguments[name] : null;

    public double? Number(string name) => Arguments[name]?.Type is JTokenType.Integer or JTokenType.Float ? (double)Arguments[name]! : null;

    public bool Bool(string name) => Arguments[name]?.Type == JTokenType.Boolean && (bool)Arguments[name]!;

    /// <summary>A path argument resolved against the workspace; null when absent.</summary>
    public string? Path(string name) => String(name) is { Length: > 0 } p ? System.IO.Path.GetFullPath(p, Session.Workspace) : null;

    public Task<T> Invoke<T>(string method, object parameters) => AgentTools.Invoke<T>(Services, method, parameters, Cancellation);

    /// <summary>A tool's own reading (a script's findings, a rule's page, a saved plan) in the queue as a read.</summary>
    public Task<T> Read<T>(Func<T> read) => Services.Queue.EnqueueRead((_, _) => Task.FromResult(read()), Cancellation).WaitAsync(Cancellation);
}

/// <summary>
/// The intern's tools: ML Intern's own capabilities through the same handlers the editor's requests
/// use. Spending, publishing and downloading tools stop for a human approval (<see cref="Approvals"/>):
/// without a valid token from the human path (approveRun, approvePublish, a terminal answer) nothing runs.
/// </summary>
internal static class AgentTools
{
    /// <summary>What a tool's text for the model may hold; longer results are cut (the card keeps its summary).</summary>
    public const int MaxModelText = 4000;

    public static IReadOnlyList<AgentTool> All { get; } =
    [
        new("inspect_dataset", "Profile a data set (a .csv/.tsv/.jsonl/.json/.parquet file or a folder of splits): rows, text and label columns, classes, and ML Intern's data checks (duplicates, leakage, imbalance, label noise).", [new("path", "string", "The data file or folder, relative to the workspace", true)], null, InspectDataset),
        new("check_script", "Run ML Intern's checker on a Python training script or notebook and list its findings (code, line, message, whether a fix exists).", [new("path", "string", "The script, relative to the workspace", true)], null, c => c.Read(() => CheckScriptNow(c))),
        new("explain_finding", "The documentation page of a rule (what it does, why it is bad, the fix).", [new("code", "string", "The rule code, e.g. MLI101 or MLD003", true)], null, c => c.Read(() => ExplainFindingNow(c))),
        new("propose_fix", "Propose ML Intern's fixes for a script's findings as a diff. Nothing is written: the user applies the diff if they accept it.", [new("path", "string", "The script", true), new("code", "string", "Only this rule's findings"), new("line", "integer", "Only the finding on this line")], null, c => c.Read(() => ProposeFixNow(c))),
        new("generate_script", "Generate the text of a Hugging Face Trainer script for a data set; nothing is written (the user saves it).", [new("data", "string", "The data file or folder", true), new("model", "string", "The Hub model id (default distilbert-base-uncased)"), new("epochs", "number", "Epochs (default 3)")], null, GenerateScript),
        new("plan_training", "Plan a training run with its cost and time estimate (writes the plan under .mlintern/plans; runs nothing). Without script, the built-in baseline.", [new("data", "string", "The data set"), new("script", "string", "A training script; omit for the built-in baseline"), new("model", "string", "Model id"), new("epochs", "number", "Epochs"), new("hardware", "string", "cpu, t4, a10g, a100 or h100"), new("target", "string", "Where it runs: local (default) or a configured compute target's name (Slurm, HF Jobs; the plan then carries its cost ceiling)")], null, c => PlanTraining(c, smoke: false)),
        new("smoke_test", "Plan a smoke test of a script or the baseline (a tiny run to see it works; writes the plan, runs nothing: launch it with launch_training).", [new("data", "string", "The data set"), new("script", "string", "A training script; omit for the built-in baseline")], null, c => PlanTraining(c, smoke: true)),
        new("launch_training", "Launch a planned run. Asks the user to approve the plan first; runs only with their approval.", [new("planId", "string", "The plan's id from plan_training or smoke_test", true), new("smoke", "boolean", "Launch as a smoke test")], AgentApprovalKind.Training, LaunchTraining),
        new("list_runs", "The workspace's training runs, newest first, with their status.", [], null, ListRuns),
        new("read_metrics", "A run's status and its latest logged metrics.", [new("runId", "string", "The run id", true)], null, ReadMetrics),
        new("evaluate_run", "Evaluate a finished run: accuracy, macro-F1, weak classes, and the leakage audit when the score is suspiciously high.", [new("runId", "string", "The run id", true), new("audit", "boolean", "Force the leakage audit")], null, EvaluateRun),
        new("write_card", "Write the run's model card (model/README.md) and list what is unfilled.", [new("runId", "string", "The run id", true), new("license", "string", "The license id, e.g. apache-2.0")], null, WriteCard),
        new("create_demo", "Write a Gradio Space for the run's model (space/).", [new("runId", "string", "The run id", true)], null, CreateDemo),
        new("publish", "Publish the run's model folder to the Hugging Face Hub. Runs the preflight and asks the user to approve the upload; publishes only with their approval.", [new("runId", "string", "The run id", true), new("repoId", "string", "owner/name on the Hub", true), new("private", "boolean", "A private repo")], AgentApprovalKind.Publish, Publish),
        new("download_dataset", "Download a Hugging Face Hub data set's Parquet files into the workspace (data/hub/<owner>/<name> unless directory). Plans the download first (files, sizes, license) and asks the user to approve it; downloads only with their approval.", [new("id", "string", "The Hub data set id, owner/name", true), new("config", "string", "The subset (default: the first)"), new("split", "string", "Only this split"), new("directory", "string", "Where, relative to the workspace")], AgentApprovalKind.Download, DownloadDataset),
        new("search_datasets", "Search the Hugging Face Hub's data sets (read-only; nothing is downloaded).", [new("query", "string", "Search words", true), new("task", "string", "A task tag, e.g. text-classification")], null, SearchDatasets),
    ];

    public static AgentTool? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>
    /// Calls a registered handler as its request would, in the request queue with that method's effect
    /// (a write alone, after every request before it; a read beside other reads); the session's cancel
    /// stops the wait for its turn, and a call cancelled before its turn does not run. An error the
    /// handler answers becomes an exception with its message.
    /// </summary>
    public static async Task<T> Invoke<T>(AgentServices services, string method, object parameters, CancellationToken cancellationToken)
    {
        var handler = services.Handler(method);
        return (T)(await handler.EnqueueAsync(services.Queue, parameters, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Checks a call's arguments against the tool's parameters: a JSON object, no argument it does not
    /// take, every required one, each of its type. Null when they are fine, else why not.
    /// </summary>
    public static string? Validate(AgentTool tool, string arguments, out JObject parsed)
    {
        parsed = [];
        JToken token;
        try
        {
            token = JToken.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments);
        }
        catch (Newtonsoft.Json.JsonException e)
        {
            return $"refused: the arguments are not valid JSON ({e.Message.Split('.')[0]}); nothing was run. Call {tool.Name} again with a JSON object.";
        }

        if (token is not JObject obj)
        {
            return $"refused: the arguments must be a JSON object, not {token.Type.ToString().ToLowerInvariant()}; nothing was run.";
        }

        var extra = obj.Properties().Select(p => p.Name).Where(n => tool.Parameters.All(p => p.Name != n)).ToList();
        if (extra.Count > 0)
        {
            return $"refused: {tool.Name} takes no argument {string.Join(", ", extra.Select(e => $"'{e}'"))} (it takes: {(tool.Parameters.Count == 0 ? "none" : string.Join(", ", tool.Parameters.Select(p => p.Name)))}); nothing was run.";
        }

        var missing = tool.Parameters.Where(p => p.Required && (obj[p.Name] is null || obj[p.Name]!.Type == JTokenType.Null)).Select(p => p.Name).ToList();
        if (missing.Count > 0)
        {
            return $"refused: {tool.Name} needs {string.Join(", ", missing)}; nothing was run.";
        }

        foreach (var p in tool.Parameters)
        {
            if (obj[p.Name] is { Type: not JTokenType.Null } value && !IsType(value, p.Type))
            {
                return $"refused: {p.Name} must be a {p.Type}, not {value.Type.ToString().ToLowerInvariant()}; nothing was run.";
            }
        }

        parsed = obj;
        return null;
    }

    private static bool IsType(JToken value, string type) => type switch
    {
        "string" => value.Type == JTokenType.String,
        "integer" => value.Type == JTokenType.Integer,
        "number" => value.Type is JTokenType.Integer or JTokenType.Float,
        "boolean" => value.Type == JTokenType.Boolean,
        _ => false,
    };

    /// <summary>A tool result cut to fit the model's context: the head, and a note of what was left out.</summary>
    public static string Fit(string text)
    {
        text = Secrets.Redact(text);
        return text.Length <= MaxModelText ? text : text[..(MaxModelText - 120)] + $"\n… ({text.Length - MaxModelText + 120:N0} more characters left out; ask for a narrower result)";
    }

    public static string Title(string name, JObject arguments)
    {
        var main = arguments.Properties().FirstOrDefault(p => p.Value.Type == JTokenType.String)?.Value.ToString();
        var label = name.Replace('_', ' ');
        label = char.ToUpperInvariant(label[0]) + label[1..];
        return main is null ? label : $"{label}: {main}";
    }

    public static string Error(Exception e) => e switch
    {
        LocalRpcException rpc => rpc.Message,
        FileNotFoundException or DirectoryNotFoundException or ArgumentException or IOException or InvalidOperationException => e.Message,
        _ => "failed: " + e.GetType().Name,
    };

    private static string Relative(ToolCall call, string path) => System.IO.Path.GetRelativePath(call.Session.Workspace, path);

    private static string Uri(string path) => new System.Uri(path).AbsoluteUri;

    private static async Task<ToolOutcome> InspectDataset(ToolCall call)
    {
        var path = call.Path("path")!;
        var profile = await call.Invoke<DatasetProfile>(M.ProfileDataset, new ProfileDatasetParams { Path = path });
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Relative(call, path)}: {profile.Rows:N0} rows in {profile.Splits.Count} split(s) ({string.Join(", ", profile.Splits.Select(s => $"{s.Name} {s.Rows:N0}"))}). ");
        text.Append(CultureInfo.InvariantCulture, $"Text column: {profile.Text.Column ?? "none found"}; label column: {profile.Label.Column ?? "none found"}.");
        if (profile.Labels is { } labels)
        {
            text.Append(CultureInfo.InvariantCulture, $" {labels.Classes} classes: {string.Join(", ", labels.Counts.Take(12).Select(c => $"{c.Label} {c.Count:N0}"))}.");
        }

        var problems = profile.Checks.Where(c => c.Count > 0).ToList();
        text.Append(problems.Count == 0 ? " The data checks found nothing." : $"\nData checks ({problems.Count}):");
        foreach (var check in problems.Take(20))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- {check.Code} {check.Name} ({check.Severity.ToString().ToLowerInvariant()}): {check.Message}");
        }

        List<AgentLink> links = [new(AgentLinkKind.File, Relative(call, path), Uri(path))];
        links.AddRange(problems.Take(10).Select(c => new AgentLink(AgentLinkKind.Rule, $"{c.Code} {c.Name}", Code: c.Code)));
        var summary = text.ToString();
        return new ToolOutcome(true, summary, links, summary, Data: profile);
    }

    private static ToolOutcome CheckScriptNow(ToolCall call)
    {
        var path = call.Path("path")!;
        if (!File.Exists(path))
        {
            return ToolOutcome.Failed($"no file {Relative(call, path)} in the workspace");
        }

        List<string> problems = [];
        var findings = FileChecks.CheckFile(path, problems);
        var text = new StringBuilder(findings.Count == 0 ? $"{Relative(call, path)}: no findings." : $"{Relative(call, path)}: {findings.Count} finding(s):");
        foreach (var f in findings.Take(30))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- line {f.Range.Line}: {f.Code} {f.Message}{(f.Fix is null ? "" : $" [fix: {f.Fix.Title}]")}");
        }

        foreach (var p in problems)
        {
            text.Append("\n(").Append(p).Append(')');
        }

        var links = findings.Take(20).Select(f => new AgentLink(AgentLinkKind.Finding, $"line {f.Range.Line}: {f.Code}", $"{Uri(path)}#L{f.Range.Line}", Code: f.Code)).ToList();
        var summary = text.ToString();
        return new ToolOutcome(true, summary, links, summary, Data: findings);
    }

    private static ToolOutcome ExplainFindingNow(ToolCall call)
    {
        var code = call.String("code")!.Trim().ToUpperInvariant();
        if (RuleCatalog.Find(code) is not { } rule)
        {
            return ToolOutcome.Failed($"no rule {code} (ML Intern's rules are MLI### for scripts and MLD### for data)");
        }

        var summary = $"{rule.Code} {rule.Name}: {rule.Summary}";
        return new ToolOutcome(true, summary, [new(AgentLinkKind.Rule, $"{rule.Code} {rule.Name}", rule.HelpUri, Code: rule.Code)], summary + "\n\n" + rule.Documentation);
    }

    private static ToolOutcome ProposeFixNow(ToolCall call)
    {
        var path = call.Path("path")!;
        if (!File.Exists(path) || FileChecks.KindOf(path) != FileKind.Script)
        {
            return ToolOutcome.Failed($"{Relative(call, path)} is not a Python script in the workspace");
        }

        var text = FileChecks.ReadSource(path).Text;
        var code = call.String("code")?.Trim().ToUpperInvariant();
        var line = call.Number("line") is { } l ? (int)l : (int?)null;
        var findings = FileChecks.CheckScript(text, path).Where(f => f.Fix is not null && (code is null || f.Code == code) && (line is null || (f.Range.Line <= line && line <= f.Range.EndLine))).ToList();
        var fixes = Edits.Select(findings, Applicability.Unsafe);
        if (fixes.Count == 0)
        {
            return new ToolOutcome(true, "No fix to propose for those findings (ML Intern has fixes for some rules only).", [], "no fix to propose");
        }

        var after = Edits.Apply(text, fixes.SelectMany(f => f.Edits));
        var diff = Cli.UnifiedDiff.Render(Relative(call, path), text, after);
        var summary = $"{fixes.Count} fix(es) for {Relative(call, path)}: {string.Join("; ", fixes.Select(f => f.Title))}. Not applied: the user reviews the diff and applies it.";
        return new ToolOutcome(true, summary, [new(AgentLinkKind.Diff, $"Diff of {Relative(call, path)}", Uri(path), Code: diff)], summary + "\n" + diff);
    }

    private static async Task<ToolOutcome> GenerateScript(ToolCall call)
    {
        var result = await call.Invoke<GenerateScriptResult>(M.GenerateScript, new GenerateScriptParams { WorkspaceFolder = call.Session.Workspace, Data = call.Path("data"), Model = call.String("model"), Epochs = call.Number("epochs") is { } epochs ? (int)epochs : null });
        var summary = $"A Trainer script for {Relative(call, call.Path("data")!)} ({result.Text.Split('\n').Length} lines), to be saved as {Relative(call, result.Path)}{(result.Exists ? " (that file exists: it would be replaced)" : "")}. Nothing was written.";
        return new ToolOutcome(true, summary, [new(AgentLinkKind.File, Relative(call, result.Path), Uri(result.Path), Code: result.Text)], summary + "\n```python\n" + result.Text + "\n```", Data: result);
    }

    /// <summary>The compute targets configured for the workspace (pyproject.toml, then the editor's settings), as the editor's plan lists them.</summary>
    private static MLIntern.Server.Runs.ComputeSettings Compute(ToolCall call) => MLIntern.Server.Runs.ComputeSettings.Read(call.Session.Workspace, call.Services.Settings());

    internal static IReadOnlyList<ComputeTargetInfo> Targets(ToolCall call) => [.. Compute(call).Targets.Select(ComputeTargetInfo.From)];

    private static async Task<ToolOutcome> PlanTraining(ToolCall call, bool smoke)
    {
        var target = call.String("target")?.Trim();
        if (target is { Length: > 0 } && !MLIntern.Server.Runs.Planner.IsLauncher(target) && await call.Read(() => Compute(call).FindTarget(target)) is null)
        {
            var configured = await call.Read(() => Compute(call).Targets.Select(t => t.Name).ToList());
            return ToolOutcome.Failed($"refused: there is no compute target '{target}' (the targets are: {string.Join(", ", ["local", .. configured])}); nothing was planned.");
        }

        var result = await call.Invoke<PlanTrainingResult>(M.PlanTraining, new PlanTrainingParams
        {
            Target = target is { Length: > 0 } ? target : null,
            WorkspaceFolder = call.Session.Workspace,
            Data = call.Path("data"),
            Script = call.Path("script"),
            Model = call.String("model"),
            Epochs = call.Number("epochs"),
            Hardware = call.String("hardware"),
            Smoke = smoke,
        });
        var estimate = result.Figures.Hours is { } hours ? $"about {hours.ToString("0.###", CultureInfo.InvariantCulture)} h, ${result.Figures.CostUsd?.ToString("0.00", CultureInfo.InvariantCulture)}" : "estimate unknown";
        var where = result.Plan.Remote is { } remote
            ? $"; on {remote.Kind} target '{remote.Name}' at ${remote.PricePerHour.ToString("0.###", CultureInfo.InvariantCulture)}/h, ceiling {remote.CeilingHours.ToString("0.##", CultureInfo.InvariantCulture)} h = ${remote.CeilingUsd.ToString("0.00", CultureInfo.InvariantCulture)}"
            : "; on this machine";
        var summary = $"{(smoke ? "Smoke test" : "Plan")} {result.PlanId}: {result.Plan.Title}; {estimate}{where}{(result.OverBudget ? "; OVER BUDGET: " + string.Join("; ", result.OverBudgetReasons) : "")}. Launch it with launch_training (the user approves).";
        return new ToolOutcome(true, summary, [new(AgentLinkKind.Plan, $"Plan {result.PlanId}", Uri(result.MarkdownPath))], summary + "\n\n" + result.Markdown, Data: result);
    }

    private static async Task<ToolOutcome> LaunchTraining(ToolCall call)
    {
        var planId = call.String("planId")!;
        var store = new WorkspaceStore(call.Session.Workspace);
        if (await call.Read(() => store.LoadPlan(planId)) is not { } plan)
        {
            return ToolOutcome.Failed($"no plan '{planId}'; plan first with plan_training");
        }

        var planResult = PlanTrainingHandler.Result(store, plan, await call.Read(() => Targets(call)));
        var answer = await Approvals.AskAsync(call, new AgentApproval(AgentSession.ApprovalIdFor(call.CallId), AgentApprovalKind.Training, $"Train: {plan.Title}", planResult));
        if (!answer.Approved)
        {
            return ToolOutcome.Failed("the user rejected this step: nothing was run");
        }

        StartRunResult started;
        try
        {
            started = await call.Invoke<StartRunResult>(M.StartRun, new StartRunParams { WorkspaceFolder = call.Session.Workspace, PlanId = planId, ApprovalToken = answer.Token, Smoke = call.Bool("smoke") || plan.Smoke });
        }
        catch (LocalRpcException e)
        {
            return ToolOutcome.Failed(e.Message);
        }

        var summary = $"Run {started.RunId} started for plan {planId}.";
        return new ToolOutcome(true, summary, [new(AgentLinkKind.Run, $"Run {started.RunId}", RunId: started.RunId)], summary, call.Services.Headless ? null : started, ct => Runs.FollowAsync(call.Services, store, started.RunId, ct), started);
    }

    private static async Task<ToolOutcome> ListRuns(ToolCall call)
    {
        var runs = await call.Invoke<ListRunsResult>(M.ListRuns, new WorkspaceParams { WorkspaceFolder = call.Session.Workspace });
        var summary = runs.Runs.Count == 0 ? "No runs yet." : string.Join("\n", runs.Runs.Take(20).Select(r => $"- {r.Id}: {r.Title} — {r.Status}{(r.Smoke ? " (smoke)" : "")}"));
        return new ToolOutcome(true, summary, [.. runs.Runs.Take(10).Select(r => new AgentLink(AgentLinkKind.Run, r.Id, RunId: r.Id))], summary);
    }

    private static async Task<ToolOutcome> ReadMetrics(ToolCall call)
    {
        var runId = call.String("runId")!;
        var run = await call.Invoke<GetRunResult>(M.GetRun, new RunParams { WorkspaceFolder = call.Session.Workspace, RunId = runId });
        var last = run.Metrics.GroupBy(p => p.Split).Select(g => g.Last()).ToList();
        var summary = $"Run {runId}: {run.Run.Status}. {(last.Count == 0 ? "No metrics logged." : string.Join("; ", last.Select(p => $"{p.Split} step {p.Step}: {string.Join(", ", p.Values.Take(8).Select(v => $"{v.Key} {v.Value.ToString("0.####", CultureInfo.InvariantCulture)}"))}")))}";
        if (run.Evaluation is { } e)
        {
            summary += $" eval.json: accuracy {e.Accuracy?.ToString("0.###", CultureInfo.InvariantCulture)}, macro-F1 {e.MacroF1?.ToString("0.###", CultureInfo.InvariantCulture)}.";
        }

        return new ToolOutcome(true, summary, [new(AgentLinkKind.Run, $"Run {runId}", RunId: runId)], summary);
    }

    private static async Task<ToolOutcome> EvaluateRun(ToolCall call)
    {
        var runId = call.String("runId")!;
        var report = await call.Invoke<EvaluationReport>(M.EvaluateRun, new EvaluateRunParams { WorkspaceFolder = call.Session.Workspace, RunId = runId, Audit = call.Arguments["audit"] is null ? null : call.Bool("audit") });
        var text = new StringBuilder();
        if (report.Audit is { } audit)
        {
            text.Append(audit.Alarm ? "LEAKAGE AUDIT ALARM: " : "Leakage audit: clean. ").Append(string.Join(" ", audit.Findings.Take(5))).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"Run {runId}: accuracy {report.Metrics.Accuracy:0.###}, macro-F1 {report.Metrics.Macro.F1:0.###} on {report.Metrics.Count:N0} rows.");
        var weak = report.Metrics.PerClass.Where(c => c.F1 < 0.6).Take(5).ToList();
        if (weak.Count > 0)
        {
            text.Append(" Weak classes: ").Append(string.Join(", ", weak.Select(c => $"{c.Label} (F1 {c.F1.ToString("0.##", CultureInfo.InvariantCulture)})"))).Append('.');
        }

        foreach (var s in report.Suggestions.Take(5))
        {
            text.Append("\n- ").Append(s);
        }

        var summary = text.ToString();
        return new ToolOutcome(true, summary, [new(AgentLinkKind.Evaluation, $"Evaluation of {runId}", RunId: runId)], summary, Data: report);
    }

    private static async Task<ToolOutcome> WriteCard(ToolCall call)
    {
        var runId = call.String("runId")!;
        var card = await call.Invoke<CardResult>(M.CreateCard, new CreateCardParams { WorkspaceFolder = call.Session.Workspace, RunId = runId, License = call.String("license") });
        var summary = $"Model card written: {Relative(call, card.Path)}. {(card.Ready ? "Ready to publish." : $"Unfilled: {string.Join(", ", card.Unfilled)}{(card.Problems.Count > 0 ? "; problems: " + string.Join("; ", card.Problems.Select(p => p.Message)) : "")}.")}";
        return new ToolOutcome(true, summary, [new(AgentLinkKind.Card, "Model card", Uri(card.Path), RunId: runId)], summary, Data: card);
    }

    private static async Task<ToolOutcome> CreateDemo(ToolCall call)
    {
        var runId = call.String("runId")!;
        var demo = await call.Invoke<DemoResult>(M.CreateDemo, new CreateDemoParams { WorkspaceFolder = call.Session.Workspace, RunId = runId });
        var summary = $"Gradio Space written in {Relative(call, demo.Folder)} ({demo.Files.Count} files){(demo.Serve is { } serve ? $"; serve it locally with `{serve.Command} {string.Join(' ', serve.Args)}`" : "")}.";
        return new ToolOutcome(true, summary, [new(AgentLinkKind.File, "Space folder", Uri(demo.Folder), RunId: runId)], summary, Data: demo);
    }

    private static async Task<ToolOutcome> Publish(ToolCall call)
    {
        var target = new PublishParams { WorkspaceFolder = call.Session.Workspace, RunId = call.String("runId"), RepoId = call.String("repoId"), Private = call.Bool("private") };
        var preflight = await call.Invoke<PreflightReport>(M.PreflightPublish, target);
        if (!preflight.Passed)
        {
            return ToolOutcome.Failed($"the preflight blocks publishing: {string.Join("; ", preflight.Problems.Select(p => p.Message))}");
        }

        var answer = await Approvals.AskAsync(call, new AgentApproval(AgentSession.ApprovalIdFor(call.CallId), AgentApprovalKind.Publish, $"Publish to {preflight.RepoId}", Preflight: preflight));
        if (!answer.Approved)
        {
            return ToolOutcome.Failed("the user rejected this step: nothing was published");
        }

        PublishStarted started;
        try
        {
            started = await call.Invoke<PublishStarted>(M.StartPublish, new StartPublishParams { ApprovalToken = answer.Token });
        }
        catch (LocalRpcException e)
        {
            return ToolOutcome.Failed(e.Message);
        }

        var summary = $"Publishing approved: the upload runs as `{started.CommandLine}`.";
        return new ToolOutcome(true, summary, [new(AgentLinkKind.Run, $"Run {target.RunId}", RunId: target.RunId)], summary, Data: started, Upload: started, RunId: target.RunId);
    }

    private static async Task<ToolOutcome> SearchDatasets(ToolCall call)
    {
        var result = await call.Invoke<SearchDatasetsResult>(M.SearchDatasets, new SearchDatasetsParams { Query = call.String("query"), Task = call.String("task") });
        var summary = result.Datasets.Count == 0 ? "No data sets found." : string.Join("\n", result.Datasets.Take(10).Select(d => $"- {d.Id} ({d.Downloads:N0} downloads, license {d.License ?? "unknown"}{(d.Gated != "none" ? ", gated" : "")})"));
        return new ToolOutcome(true, summary, [], summary + "\n(Downloading one needs the user's approval: call download_dataset with its id.)");
    }

    private static async Task<ToolOutcome> DownloadDataset(ToolCall call)
    {
        var target = new PlanDatasetDownloadParams { WorkspaceFolder = call.Session.Workspace, Id = call.String("id")!, Config = call.String("config"), Split = call.String("split"), Directory = call.String("directory") };
        var plan = await call.Invoke<DatasetDownloadPlan>(M.PlanDatasetDownload, target);
        var answer = await Approvals.AskAsync(call, new AgentApproval(AgentSession.ApprovalIdFor(call.CallId), AgentApprovalKind.Download, $"Download {plan.Id}", Download: plan));
        if (!answer.Approved)
        {
            return ToolOutcome.Failed("the user rejected this step: nothing was downloaded");
        }

        // The human's path is the editor's: the download dialog for this plan, whose approval is the plan's hash.
        if (string.IsNullOrEmpty(answer.Token) || answer.Token != plan.Hash)
        {
            return ToolOutcome.Failed("download refused: the approval is not the user's approval of the plan shown; nothing was downloaded.");
        }

        if (!call.Services.SpendDownloadApproval(answer.Token))
        {
            return ToolOutcome.Failed("download refused: that approval was already used (this plan was downloaded with it); nothing was downloaded.");
        }

        DownloadDatasetResult done;
        try
        {
            done = await call.Invoke<DownloadDatasetResult>(M.DownloadDataset, new DownloadDatasetParams { WorkspaceFolder = target.WorkspaceFolder, Id = target.Id, Config = target.Config, Split = target.Split, Directory = target.Directory, ApprovedHash = answer.Token });
        }
        catch (LocalRpcException e)
        {
            return ToolOutcome.Failed(e.Message);
        }

        var summary = $"Downloaded {plan.Id} into {Relative(call, done.Directory)}: {done.Files.Count} file(s), {done.TotalBytes:N0} bytes (license {plan.License ?? "unknown"}; provenance in {Relative(call, done.ProvenancePath)}). Inspect it with inspect_dataset.";
        return new ToolOutcome(true, summary, [new(AgentLinkKind.File, Relative(call, done.Directory), Uri(done.Directory))], summary, Data: done);
    }
}
