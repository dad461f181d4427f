using System.CommandLine;
using Microsoft.Extensions.Logging;
using MLIntern.Server.Agent;
using MLIntern.Server.Logging;
using MLIntern.Server.Lsp;
using MLIntern.Server.Lsp.Handlers;
using MLIntern.Server.Protocol;
using MLIntern.Training.Runs;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Cli;

/// <summary>
/// `mlintern agent "PROMPT" [--endpoint URL --model M] [--format json] [--workspace DIR]`: the intern
/// without the editor. It prints the transcript (text, or one AgentEvent per line), asks every
/// approval on the terminal (y/N) and refuses it when there is none: there is no flag that approves
/// for the intern. Guided (the fixed workflow, every step in turn) when no endpoint is given.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var prompt = new Argument<string>("PROMPT") { Description = "What to build, e.g. \"a classifier for data/tickets.csv\"" };
        var endpoint = new Option<string?>("--endpoint") { Description = "An OpenAI-compatible endpoint (e.g. http://localhost:11434/v1); without it the guided workflow runs" };
        var model = new Option<string?>("--model") { Description = "The model name at the endpoint" };
        var keyVariable = new Option<string?>("--api-key-variable") { Description = $"The environment variable holding the API key (default {Assist.AssistantSettings.DefaultKeyVariable})" };
        var format = new Option<string>("--format") { Description = "text or json (one event per line)", DefaultValueFactory = _ => "text" };
        var workspace = new Option<string?>("--workspace") { Description = "The workspace folder (default: the current folder)" };
        var command = new Command("agent", "Run the intern on a project prompt: inspect, check, plan, train (asks on the terminal), evaluate, card, demo.") { prompt, endpoint, model, keyVariable, format, workspace };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ask = !Console.IsInputRedirected ? new Func<string, string?>(q =>
            {
                Console.Error.Write(q);
                return Console.ReadLine();
            }) : null;
            return await RunAsync(
                parse.GetValue(workspace) ?? Directory.GetCurrentDirectory(),
                parse.GetValue(prompt)!,
                parse.GetValue(endpoint),
                parse.GetValue(model),
                parse.GetValue(keyVariable),
                parse.GetValue(format) == "json",
                ask,
                Console.Out,
                Console.Error,
                cancellationToken);
        });
        return command;
    }

    /// <param name="ask">Asks the terminal and returns the answer; null when there is no terminal (every approval is then refused).</param>
    public static async Task<int> RunAsync(string workspace, string prompt, string? endpoint, string? model, string? keyVariable, bool json, Func<string, string?>? ask, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(workspace))
        {
            errors.WriteLine($"error: no folder {workspace}");
            return Commands.Failure;
        }

        workspace = Path.GetFullPath(workspace);
        var settings = new JObject();
        if (endpoint is not null || model is not null)
        {
            if (endpoint is null || model is null)
            {
                errors.WriteLine("error: --endpoint and --model go together");
                return Commands.Failure;
            }

            settings["assistant"] = new JObject { ["endpoint"] = endpoint, ["model"] = model, ["apiKeyVariable"] = keyVariable };
            if (Assist.AssistantSettings.From(settings, Environment.GetEnvironmentVariable, out var problem) is null)
            {
                errors.WriteLine($"error: {problem}");
                return Commands.Failure;
            }
        }

        var logLevel = new LogLevelSwitch { Minimum = LogLevel.Warning };
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(LogSinks.Stderr(logLevel)));
        var logger = loggers.CreateLogger("MLIntern.Agent");
        var state = new ServerState(logLevel, loggers) { Settings = settings };
        var runApprovals = new ApprovalBook();
        var publishApprovals = new PublishApprovalBook();
        using var watcher = new MetricsWatcher(() => NullClient.Instance, logger);
        var services = new AgentServices(() => settings, runApprovals, publishApprovals, logger)
        {
            Headless = true,
            TerminalApproval = ask is null ? null : (approval, _) => Approve(approval, workspace, runApprovals, ask, errors),
            RunOutput = errors,
        };
        services.Register([
            new ProfileDatasetHandler(state, Engine.FileChecks.Datasets, logger),
            .. TrainingHandlers.Create(state, Engine.FileChecks.Datasets, runApprovals, watcher, logger),
            .. EvaluationHandlers.Create(logger, publishApprovals),
            new SearchDatasetsHandler(),
            new PlanDatasetDownloadHandler(),
            new DownloadDatasetHandler(state, logger),
        ]);
        var writeLock = new Lock();
        AgentEvent? last = null;
        var hub = new AgentHub(services, () => settings, e =>
        {
            lock (writeLock)
            {
                last = e;
                Print(e, json, output);
            }
        }, logger) { AutoAdvance = true };
        var started = hub.Start(workspace, prompt, null);
        using var cancel = cancellationToken.Register(() => hub.Cancel(workspace, started.SessionId));
        await hub.WaitAsync(started.SessionId).ConfigureAwait(false);
        output.Flush();
        return last?.Kind == AgentEventKind.Done && last.Text != "cancelled" ? Commands.Clean : Commands.Findings;
    }

    /// <summary>A terminal approval: the plan's dialog as text, then y/N. Yes goes through the gate into the book, as approveRun does.</summary>
    private static ApprovalAnswer Approve(AgentApproval approval, string workspace, ApprovalBook book, Func<string, string?> ask, TextWriter errors)
    {
        if (approval.Kind != AgentApprovalKind.Training || approval.Plan is not { } plan)
        {
            errors.WriteLine("Publishing and downloads are approved in the editor or with `mlintern publish` / `mlintern datasets download`; refused here.");
            return new ApprovalAnswer(false, null, "refused: not approvable on the terminal");
        }

        var dialog = plan.ApprovalPrompt;
        errors.WriteLine();
        errors.WriteLine(dialog.Message);
        foreach (var line in dialog.FigureLines)
        {
            errors.WriteLine("  " + line);
        }

        errors.WriteLine($"Plan: {plan.MarkdownPath}");
        var answer = ask($"{dialog.Action}? [y/N] ");
        if (answer?.Trim().ToLowerInvariant() is not ("y" or "yes"))
        {
            return new ApprovalAnswer(false, null, answer);
        }

        var store = new State.WorkspaceStore(workspace);
        var saved = store.LoadPlan(plan.PlanId);
        if (saved is null)
        {
            return new ApprovalAnswer(false, null, "the plan is gone");
        }

        var record = new MLIntern.Training.Runs.Approval(Environment.UserName, saved.Id, saved.Hash, saved.Estimate.Hours, saved.Estimate.CostUsd, DateTimeOffset.UtcNow, "terminal prompt", dialog.AcceptOverBudget, dialog.AcceptUnknownEstimate);
        var decision = ApprovalGate.Check(saved, record);
        if (!decision.Allowed)
        {
            errors.WriteLine($"refused: {decision.Reason}");
            return new ApprovalAnswer(false, null, decision.Reason);
        }

        return new ApprovalAnswer(true, book.Add(record, workspace), answer);
    }

    private static void Print(AgentEvent e, bool json, TextWriter output)
    {
        if (json)
        {
            output.WriteLine(ProtocolJson.Write(e));
            return;
        }

        switch (e.Kind)
        {
            case AgentEventKind.User:
                output.WriteLine($"> {e.Text}");
                break;
            case AgentEventKind.Text:
                output.Write(e.Text);
                break;
            case AgentEventKind.ToolCall:
                output.WriteLine($"\n▶ {e.Tool!.Title}");
                break;
            case AgentEventKind.ToolResult:
                output.WriteLine($"{(e.Result!.Ok ? "✓" : "✗")} {e.Result.Summary}");
                foreach (var link in e.Result.Links.Where(l => l.Kind != AgentLinkKind.Diff))
                {
                    output.WriteLine($"  {link.Kind.ToString().ToLowerInvariant()}: {link.Label}{(link.Uri is { } uri ? " " + uri : "")}");
                }

                foreach (var diff in e.Result.Links.Where(l => l.Kind == AgentLinkKind.Diff && l.Code is not null))
                {
                    output.WriteLine(diff.Code);
                }

                break;
            case AgentEventKind.Approval:
                output.WriteLine($"? approval needed: {e.Approval!.Title}");
                break;
            case AgentEventKind.NextSteps:
                output.WriteLine($"→ next: {string.Join(", ", e.NextSteps!.Select(s => s.Title))}");
                break;
            case AgentEventKind.Done:
                output.WriteLine(e.Text == "cancelled" ? "(cancelled)" : "(done)");
                break;
            case AgentEventKind.Error:
                output.WriteLine($"error: {e.Text}");
                break;
        }
    }
}
