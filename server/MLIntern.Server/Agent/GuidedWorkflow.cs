using System.Text.RegularExpressions;
using MLIntern.Data.Reading;
using MLIntern.Server.Engine;
using MLIntern.Server.Protocol;
using MLIntern.Server.State;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Agent;

/// <summary>
/// The intern without a model: a fixed workflow over the same tools. From the prompt and the workspace
/// it finds the data set (a data file or folder the prompt names, else the only one in the workspace;
/// when there are several it offers each as a step), then inspect → check the scripts → plan the
/// built-in baseline → approval → launch → the run's end → evaluate → card → demo. After each step a
/// nextSteps event offers the next one as a button (or, headless, the workflow goes straight on).
/// What the workflow knows (the data set, the plan, the run) it reads back from the session's events,
/// so a session resumed after a restart goes on where it was.
/// </summary>
internal sealed partial class GuidedWorkflow(AgentHub hub, AgentSession session, bool auto)
{
    public static readonly IReadOnlyList<AgentStep> Steps =
    [
        new("inspect", "Inspect the data set"),
        new("check", "Check the training scripts"),
        new("plan", "Plan the built-in baseline"),
        new("train", "Train the baseline (asks for approval)"),
        new("evaluate", "Evaluate the run"),
        new("card", "Write the model card"),
        new("demo", "Create the demo Space"),
    ];

    private static readonly HashSet<string> JunkFolders = new(StringComparer.OrdinalIgnoreCase) { ".git", ".mlintern", "node_modules", ".venv", "venv", "__pycache__", ".e2e", "out", "dist", "model", "space" };

    public async Task StartAsync(string prompt, CancellationToken cancellationToken)
    {
        var candidates = DataSetsIn(prompt);
        if (candidates.Count == 1)
        {
            await RunFromAsync("inspect", Relative(candidates[0]), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (candidates.Count == 0)
        {
            session.Emit(AgentEventKind.Text, "I found no data set in this workspace (a .csv, .tsv, .jsonl, .json or .parquet file, or a folder with train/test files). Name one in your message, e.g. \"a classifier for data/tickets.csv\".");
            session.Emit(AgentEventKind.Done);
            return;
        }

        session.Emit(AgentEventKind.Text, "This workspace has several data sets. Which one should I use?");
        session.Emit(AgentEventKind.NextSteps, nextSteps: [.. candidates.Take(8).Select(c => new AgentStep("data:" + Relative(c), $"Use {Relative(c)}"))]);
    }

    public Task StepAsync(string step, CancellationToken cancellationToken) =>
        step.StartsWith("data:", StringComparison.Ordinal) ? RunFromAsync("inspect", step["data:".Length..], cancellationToken) : RunFromAsync(step, Data(), cancellationToken);

    /// <summary>After a restart: the approval answer for the stored launch call goes through the same launch.</summary>
    public async Task ResumeApprovalAsync(AgentApproval approval, ApprovalAnswer answer, CancellationToken cancellationToken)
    {
        if (approval.Kind != AgentApprovalKind.Training || approval.Plan is null)
        {
            session.Emit(AgentEventKind.Error, "this approval cannot be taken up after a restart; ask for the step again");
            return;
        }

        // The call that asked is the stored one: its result is the answer's, then the workflow goes on.
        var callId = AgentSession.CallOf(approval.ApprovalId);
        var pending = new PendingApproval(approval, callId);
        pending.Answer.TrySetResult(answer);
        session.Pending[approval.ApprovalId] = pending;
        var ran = await ToolRunner.RunAsync(session, hub.Services, callId, "launch_training", new JObject { ["planId"] = approval.Plan.PlanId }.ToString(Newtonsoft.Json.Formatting.None), cancellationToken).ConfigureAwait(false);
        await AfterAsync("train", ran.Outcome, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunFromAsync(string step, string? data, CancellationToken cancellationToken)
    {
        while (true)
        {
            var ran = await RunStepAsync(step, data, cancellationToken).ConfigureAwait(false);
            if (ran is null)
            {
                return;
            }

            var next = await AfterAsync(step, ran.Outcome, cancellationToken).ConfigureAwait(false);
            if (!auto || next is null)
            {
                return;
            }

            step = next;
            data ??= Data();
        }
    }

    private async Task<ToolRunner.Ran?> RunStepAsync(string step, string? data, CancellationToken cancellationToken)
    {
        if (data is null && step is "inspect" or "check" or "plan")
        {
            session.Emit(AgentEventKind.Error, "I do not know which data set to use; start again naming it.");
            return null;
        }

        switch (step)
        {
            case "inspect":
                return await Tool("inspect_dataset", new JObject { ["path"] = data }, cancellationToken).ConfigureAwait(false);
            case "check":
                ToolRunner.Ran? last = null;
                var scripts = Scripts();
                if (scripts.Count == 0)
                {
                    session.Emit(AgentEventKind.Text, "There is no training script in the workspace; the built-in baseline needs none.\n");
                    return new ToolRunner.Ran(new ToolOutcome(true, "no scripts", [], ""), "");
                }

                foreach (var script in scripts)
                {
                    last = await Tool("check_script", new JObject { ["path"] = Relative(script) }, cancellationToken).ConfigureAwait(false);
                    if (FileChecks.KindOf(script) == FileKind.Script && last.Outcome.Data is IReadOnlyList<MLIntern.Findings.Finding> findings && findings.Any(f => f.Fix is not null))
                    {
                        await Tool("propose_fix", new JObject { ["path"] = Relative(script) }, cancellationToken).ConfigureAwait(false);
                    }
                }

                return last;
            case "plan":
                return await Tool("plan_training", new JObject { ["data"] = data }, cancellationToken).ConfigureAwait(false);
            case "train":
                return PlanId() is { } planId
                    ? await Tool("launch_training", new JObject { ["planId"] = planId }, cancellationToken).ConfigureAwait(false)
                    : Missing("a plan", "plan");
            case "evaluate":
                return RunId() is { } evalRun ? await Tool("evaluate_run", new JObject { ["runId"] = evalRun }, cancellationToken).ConfigureAwait(false) : Missing("a finished run", "train");
            case "card":
                return RunId() is { } cardRun ? await Tool("write_card", new JObject { ["runId"] = cardRun }, cancellationToken).ConfigureAwait(false) : Missing("a finished run", "train");
            case "demo":
                return RunId() is { } demoRun ? await Tool("create_demo", new JObject { ["runId"] = demoRun }, cancellationToken).ConfigureAwait(false) : Missing("a finished run", "train");
            default:
                session.Emit(AgentEventKind.Error, $"there is no step '{step}'");
                return null;
        }
    }

    /// <summary>Offers the step after <paramref name="step"/> (or the same again after a failure); answers it, or null at the end.</summary>
    private Task<string?> AfterAsync(string step, ToolOutcome outcome, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var index = Steps.ToList().FindIndex(s => s.Id == step);
        var succeeded = outcome.Ok && (step != "train" || RunSucceeded());
        if (!succeeded)
        {
            session.Emit(AgentEventKind.NextSteps, nextSteps: step == "train" ? [Steps[2], Steps[3]] : [Steps[index]]);
            return Task.FromResult<string?>(null);
        }

        if (index + 1 >= Steps.Count)
        {
            session.Emit(AgentEventKind.Text, "That is the whole workflow: the model, its evaluation, its card and its demo are in the run folder. Publishing asks for your approval from the Publish command.\n");
            session.Emit(AgentEventKind.Done);
            return Task.FromResult<string?>(null);
        }

        var next = Steps[index + 1];
        session.Emit(AgentEventKind.NextSteps, nextSteps: [next]);
        return Task.FromResult<string?>(next.Id);
    }

    private ToolRunner.Ran? Missing(string what, string step)
    {
        session.Emit(AgentEventKind.Text, $"There is no {what} yet.\n");
        session.Emit(AgentEventKind.NextSteps, nextSteps: [Steps.First(s => s.Id == step)]);
        return null;
    }

    private Task<ToolRunner.Ran> Tool(string name, JObject arguments, CancellationToken cancellationToken) =>
        ToolRunner.RunAsync(session, hub.Services, NewCall(), name, arguments.ToString(Newtonsoft.Json.Formatting.None), cancellationToken);

    private string NewCall() => $"g{session.Events.Count + 1}";

    private IEnumerable<AgentToolCall> Calls(string name) => session.Events.Where(e => e.Kind == AgentEventKind.ToolCall && e.Tool?.Name == name).Select(e => e.Tool!);

    private string? Data() => Calls("inspect_dataset").LastOrDefault() is { } call && JObject.Parse(call.Arguments)["path"] is { Type: JTokenType.String } path ? (string?)path : null;

    private string? PlanId() =>
        session.Events.LastOrDefault(e => e.Result is { Name: "plan_training" or "smoke_test", Ok: true })?.Result!.Links.FirstOrDefault(l => l.Kind == AgentLinkKind.Plan)?.Uri is { } uri
            ? Path.GetFileNameWithoutExtension(new Uri(uri).LocalPath)
            : null;

    private string? RunId() => session.Events.LastOrDefault(e => e.Result is { Name: "launch_training", Ok: true })?.Result!.Links.FirstOrDefault(l => l.Kind == AgentLinkKind.Run)?.RunId;

    private bool RunSucceeded() => RunId() is { } id && session.Store.LoadRun(id) is { Status: MLIntern.Training.Runs.RunStatus.Succeeded };

    private string Relative(string path) => Path.GetRelativePath(session.Workspace, path);

    /// <summary>The data sets to choose from: those the prompt names (that exist), else every one in the workspace.</summary>
    private List<string> DataSetsIn(string prompt)
    {
        var named = PathLike().Matches(prompt).Select(m => m.Value.TrimEnd('.', ',', ';', ':')).Where(p => p.IndexOfAny(['/', '\\', '.']) >= 0)
            .Select(p => Path.GetFullPath(p, session.Workspace))
            .Where(p => p.StartsWith(session.Workspace, StringComparison.Ordinal) && ((File.Exists(p) && DataFormats.FromFileName(p) is not null) || (Directory.Exists(p) && SplitFolder(p))))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (named.Count > 0)
        {
            return named;
        }

        List<string> found = [];
        foreach (var folder in Folders(session.Workspace, 0))
        {
            if (SplitFolder(folder))
            {
                found.Add(folder);
            }

            found.AddRange(Directory.EnumerateFiles(folder).Where(f => DataFormats.FromFileName(f) is not null && !IsSplitFile(f)).Order(StringComparer.Ordinal));
        }

        return found;
    }

    private List<string> Scripts() =>
        [.. Folders(session.Workspace, 0).SelectMany(f => Directory.EnumerateFiles(f)).Where(f => FileChecks.KindOf(f) is FileKind.Script or FileKind.Notebook).Order(StringComparer.Ordinal).Take(10)];

    private static IEnumerable<string> Folders(string folder, int depth)
    {
        yield return folder;
        if (depth >= 3)
        {
            yield break;
        }

        foreach (var child in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            if (!JunkFolders.Contains(Path.GetFileName(child)) && !Path.GetFileName(child).StartsWith('.'))
            {
                foreach (var f in Folders(child, depth + 1))
                {
                    yield return f;
                }
            }
        }
    }

    private static bool SplitFolder(string folder) => Directory.EnumerateFiles(folder).Count(IsSplitFile) >= 2;

    private static bool IsSplitFile(string file) =>
        DataFormats.FromFileName(file) is not null && Path.GetFileNameWithoutExtension(file).ToLowerInvariant() is "train" or "test" or "validation" or "valid" or "dev";

    [GeneratedRegex(@"[\w./\\-]+")]
    private static partial Regex PathLike();
}
