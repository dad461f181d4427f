using Microsoft.Extensions.Logging;
using MLIntern.Server.Engine;
using MLIntern.Server.Lsp.Protocol;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using MLIntern.Training.Plans;
using Wire = MLIntern.Server.Protocol;

namespace MLIntern.Server.Lsp.Handlers;

/// <summary>
/// mlintern/planTraining: builds the plan (script or built-in baseline), writes it to
/// .mlintern/plans/&lt;id&gt;.md and .json, and returns it with the figures an approval must repeat,
/// the step count and the approval dialog. A plan without a data set answers reason needsDataSet.
/// </summary>
internal sealed class PlanTrainingHandler(ServerState state, DatasetFactsService datasets, ILogger logger) : WriteHandler<Wire.PlanTrainingParams, Wire.PlanTrainingResult>
{
    public override string Method => Methods.PlanTraining;

    protected override Task<Wire.PlanTrainingResult> HandleAsync(Wire.PlanTrainingParams parameters, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var script = TrainingRequests.Local(parameters.Script);
        var workspace = TrainingRequests.Workspace(parameters, script ?? TrainingRequests.Local(parameters.Data));
        var store = new WorkspaceStore(workspace);
        if (parameters.Baseline is { } baseline && baseline is not ("tfidf" or "encoder"))
        {
            throw TrainingRequests.Invalid($"baseline '{baseline}' is not tfidf or encoder");
        }

        TrainingPlan plan;
        try
        {
            plan = Planner.Plan(workspace, new PlanOptions
            {
                Script = script,
                Data = TrainingRequests.Local(parameters.Data),
                TextColumn = parameters.TextColumn,
                LabelColumn = parameters.LabelColumn,
                Model = parameters.Model,
                Epochs = parameters.Epochs,
                MaxLength = parameters.MaxLength,
                Hardware = parameters.Hardware,
                Target = parameters.Target ?? "local",
                Processes = parameters.Processes ?? 1,
                Python = parameters.Python ?? "python3",
                Seed = parameters.Seed ?? 42,
                Baseline = parameters.Baseline ?? "tfidf",
                Smoke = parameters.Smoke,
            }, state.Settings, datasets, cancellationToken);
        }
        catch (DataSetNeededException e)
        {
            throw Wire.ErrorReasons.Error(ErrorCodes.InvalidParams, Wire.ErrorReasons.NeedsDataSet, e.Message);
        }
        catch (FileNotFoundException e)
        {
            throw TrainingRequests.NotFound(e.Message);
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            throw TrainingRequests.Invalid(e.Message);
        }

        store.SavePlan(plan);
        logger.LogInformation("planned {PlanId} in {Workspace}: {Hours} h, over budget {Over}", plan.Id, workspace, plan.Estimate.Hours, plan.OverBudget);
        return Task.FromResult(Result(store, plan, [.. ComputeSettings.Read(workspace, state.Settings).Targets.Select(Wire.ComputeTargetInfo.From)]));
    }

    /// <summary>The answer for a saved plan (what the intern's approval card shows too).</summary>
    public static Wire.PlanTrainingResult Result(WorkspaceStore store, TrainingPlan plan, IReadOnlyList<Wire.ComputeTargetInfo>? targets = null)
    {
        List<Wire.PlanFinding> findings = [];
        if (Planner.OverBudgetFinding(plan, store.PlanMarkdownPath(plan.Id)) is { } finding)
        {
            findings.Add(new Wire.PlanFinding(RunOverBudget.Rule.Code, string.Join("; ", plan.OverBudgetReasons), finding[..finding.IndexOf(": MLI602", StringComparison.Ordinal)]));
        }

        return new Wire.PlanTrainingResult(
            plan.Id,
            store.PlanMarkdownPath(plan.Id),
            store.PlanJsonPath(plan.Id),
            PlanMarkdown.Render(plan),
            Wire.ApprovalFigures.From(plan),
            plan.OverBudget,
            plan.OverBudgetReasons,
            plan.Estimate.Known,
            plan.Estimate.UnknownBecause,
            findings,
            Wire.TrainingPlan.From(plan),
            Wire.StepCount.From(ApprovalPrompts.Steps(plan)),
            Wire.ApprovalPrompt.From(ApprovalPrompts.For(plan)),
            targets ?? []);
    }
}
