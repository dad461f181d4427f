using M = MLIntern.Server.Lsp.Protocol.Methods;

namespace MLIntern.Server.Protocol;

/// <summary>What a request does to state, which decides how the <c>RequestQueue</c> runs it.</summary>
internal enum Effect
{
    /// <summary>Reads files or the server's state; runs concurrently with other reads.</summary>
    Reads,

    /// <summary>Writes files under the workspace (plans, runs, cards); runs alone and in order.</summary>
    Writes,

    /// <summary>
    /// Signals work in progress to stop (a cancellation token): reads no document, writes no file itself, so it
    /// is answered at once, ahead of anything queued — a Stop must not wait behind the writes it would stop.
    /// </summary>
    Signals,
}

/// <summary>One <c>mlintern/*</c> request: its method name, the record its params are read into, the record it answers with.</summary>
internal sealed record RequestContract(string Method, Type Params, Type Result, Effect Effect, string Summary);

/// <summary>One <c>mlintern/*</c> notification and the record it carries; <paramref name="FromServer"/> when the sidecar sends it.</summary>
internal sealed record NotificationContract(string Method, Type Params, bool FromServer, string Summary);

/// <summary>
/// The protocol's one table: every <c>mlintern/*</c> request and notification with its typed records.
/// The TypeScript types (extension/src/protocol.ts), the JSON Schema (docs/protocol.schema.json) and
/// the method reference in docs/PROTOCOL.md are generated from it; the server's tests check that every
/// registered handler takes and answers exactly the types written here. A new method is a new row.
/// </summary>
internal static partial class Contract
{
    public static IReadOnlyList<RequestContract> Requests { get; } =
    [
        // training family
        new(M.PlanTraining, typeof(PlanTrainingParams), typeof(PlanTrainingResult), Effect.Writes, "Plans a training run (a script or the built-in baseline), writes .mlintern/plans/<id>.md and .json, and answers the plan, its step count and the approval dialog."),
        new(M.ApproveRun, typeof(ApproveRunParams), typeof(ApproveRunResult), Effect.Reads, "Records that the user approved a plan's figures (with the overrides the dialog named) and answers a single-use approval token."),
        new(M.StartRun, typeof(StartRunParams), typeof(StartRunResult), Effect.Writes, "Creates the run folder of an approved plan and answers the task the editor runs (`mlintern train --run`)."),
        new(M.RunExited, typeof(RunParams), typeof(RunSummary), Effect.Writes, "Records how the editor's task ended (exit code or cancelled) and answers the run's summary."),
        new(M.CancelRun, typeof(RunParams), typeof(RunSummary), Effect.Writes, "Cancels a running Slurm or HF Jobs run (scancel / hf jobs cancel) and answers its summary; a local run is stopped by ending its task."),
        new(M.GenerateScript, typeof(GenerateScriptParams), typeof(GenerateScriptResult), Effect.Reads, "Answers the text of a Hugging Face Trainer script for a data set and where it would go; nothing is written."),
        new(M.ListRuns, typeof(WorkspaceParams), typeof(ListRunsResult), Effect.Reads, "Answers the workspace's runs, newest first."),
        new(M.GetRun, typeof(RunParams), typeof(GetRunResult), Effect.Reads, "Answers one run: run.json, every metric point so far, eval.json; a live run's new points follow as mlintern/metrics."),
        new(M.ProfileDataset, typeof(ProfileDatasetParams), typeof(DatasetProfile), Effect.Reads, "Answers the profile of the data set a file belongs to: splits, columns, text and label columns, data checks."),
        new(M.AskFix, typeof(AskFixParams), typeof(AskFixResult), Effect.Reads, "Answers fix proposals for a cursor or selection, each with a versioned edit the editor previews before applying."),
        // release family
        new(Lsp.Protocol.Methods.EvaluateRun, typeof(EvaluateRunParams), typeof(EvaluationReport), Effect.Reads, "The evaluation report of a run: metrics, failure analysis (weak slices marked), and the leakage audit when the score is suspiciously high or asked for."),
        new(Lsp.Protocol.Methods.CreateCard, typeof(CreateCardParams), typeof(CardResult), Effect.Writes, "Writes the run's model card (model/README.md); answers the unfilled fields, the Hub validator's problems, and whether the card is valid and ready to publish."),
        new(Lsp.Protocol.Methods.CreateDemo, typeof(CreateDemoParams), typeof(DemoResult), Effect.Writes, "Writes the run's Gradio Space (space/); answers its files, unfilled fields and, for a built-in baseline, the command that serves it locally."),
        new(Lsp.Protocol.Methods.CheckRepoId, typeof(CheckRepoIdParams), typeof(RepoIdCheck), Effect.Reads, "Whether a repo id is a Hub owner/name the sidecar publishes to, and if not why: the preflight's one rule, for an input box."),
        new(Lsp.Protocol.Methods.PreflightPublish, typeof(PublishParams), typeof(PreflightReport), Effect.Reads, "What publishing would upload where, what blocks it (secrets, personal data, card, repo id), whether it passed, and the fileListHash an approval must repeat."),
        new(Lsp.Protocol.Methods.ApprovePublish, typeof(PublishParams), typeof(PublishApproved), Effect.Writes, "The user approved the preflight they saw (its fileListHash): re-checks, records the approval in run.json, answers a single-use approval token. Refused when anything differs."),
        new(Lsp.Protocol.Methods.StartPublish, typeof(StartPublishParams), typeof(PublishStarted), Effect.Writes, "Exchanges an approval token (once) for the upload command (hf upload …) after checking the files still match; marks the approval used."),
        new(Lsp.Protocol.Methods.PublishExited, typeof(PublishExitedParams), typeof(PublishExitRecorded), Effect.Writes, "The upload task ended: records its exit code on the approval it used, once; answers the approval with its final status."),

        // hub family
        new(M.SearchDatasets, typeof(SearchDatasetsParams), typeof(SearchDatasetsResult), Effect.Reads, "Answers the Hugging Face Hub's data sets for a query and filters (task, language, license), sorted by downloads unless asked otherwise."),
        new(M.DatasetInfo, typeof(DatasetInfoParams), typeof(DatasetInfoResult), Effect.Reads, "Answers a Hub data set's card facts, splits, columns, first rows, one split's statistics (the label column's classes) and ML Intern's warnings."),
        new(M.PlanDatasetDownload, typeof(PlanDatasetDownloadParams), typeof(DatasetDownloadPlan), Effect.Reads, "Answers the Parquet files a download would write, their total size, license and revision, and the plan's hash; nothing is downloaded."),
        new(M.DownloadDataset, typeof(DownloadDatasetParams), typeof(DownloadDatasetResult), Effect.Writes, "Downloads an approved plan (its hash must match the plan made now) into the workspace, resumable and size-checked, and writes hub-provenance.json beside the files."),

        // agent family
        new(M.AgentStart, typeof(AgentStartParams), typeof(AgentStartResult), Effect.Writes, "Starts a session of the intern with a project prompt (or adds a user message to sessionId); the work goes on in the background and arrives as mlintern/agentEvent."),
        new(M.AgentRespond, typeof(AgentRespondParams), typeof(AgentRespondResult), Effect.Writes, "The human's answer to an approval event: approved with the token approveRun or approvePublish gave, or rejected (the model sees the rejection)."),
        new(M.AgentStep, typeof(AgentStepParams), typeof(AgentStepResult), Effect.Writes, "Runs one of the next steps an event offered (guided mode's buttons)."),
        new(M.AgentCancel, typeof(AgentSessionParams), typeof(AgentCancelResult), Effect.Signals, "Stops a session's running step; a pending approval is withdrawn. Answered at once, ahead of queued requests."),
        new(M.AgentSessions, typeof(WorkspaceParams), typeof(AgentSessionsResult), Effect.Reads, "Answers the workspace's sessions (.mlintern/sessions), newest first."),
        new(M.AgentSession, typeof(AgentSessionParams), typeof(AgentSessionResult), Effect.Reads, "Answers one session's summary and every event so far, for resuming after a reload (a pending approval is its last approval event)."),
    ];

    public static IReadOnlyList<NotificationContract> Notifications { get; } =
    [
        // training family
        new(M.Metrics, typeof(MetricsNotification), FromServer: true, "New metric points of a live run, as they are logged."),

        // agent family
        new(M.AgentEvent, typeof(AgentEvent), FromServer: true, "One event of an intern session: a user message, a streamed text delta, a tool call or result, an approval to give, next steps, the end or an error."),
    ];
}
