using System.Globalization;
using System.Text;

namespace MLIntern.Training.Runs;

/// <summary>
/// A recorded decision to run a plan: who (the OS user), which figures (the plan's hash, hours and
/// cost as shown), when, through what (the editor's dialog, a TTY prompt, the CLI flag), and which
/// overrides the approver accepted explicitly. Stored in run.json, with a one-time
/// <see cref="Nonce"/> and the <see cref="Signature"/> (HMAC-SHA256 over <see cref="SignedText"/>
/// with the user's key, kept outside the workspace) that the host adds when it records the run: a
/// copied or hand-written approval has no valid signature, a replayed one a used nonce.
/// </summary>
public sealed record Approval(
    string ApprovedBy,
    string PlanId,
    string PlanHash,
    double? Hours,
    double? CostUsd,
    DateTimeOffset At,
    string Via,
    bool AcceptedOverBudget = false,
    bool AcceptedUnknownEstimate = false,
    string? Nonce = null,
    string? Signature = null)
{
    /// <summary>What the signature covers: every field above but the signature itself, in one fixed order.</summary>
    public string SignedText() => Signing.Text(
        "mlintern-run-approval-v1",
        ApprovedBy,
        PlanId,
        PlanHash,
        Signing.Number(Hours),
        Signing.Number(CostUsd),
        At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        Via,
        AcceptedOverBudget ? "over-budget" : "",
        AcceptedUnknownEstimate ? "unknown-estimate" : "",
        Nonce ?? "");

    /// <summary>One readable line, e.g. "approved via CLI flag by alice".</summary>
    public string Statement => $"approved via {Via} by {ApprovedBy}" +
        (AcceptedOverBudget ? " (accepted over budget)" : "") +
        (AcceptedUnknownEstimate ? " (accepted an unknown estimate)" : "");
}

/// <summary>The gate's answer: allowed, or refused with the reason shown to the user.</summary>
public sealed record GateDecision(bool Allowed, string Reason)
{
    public static GateDecision Allow { get; } = new(true, "approved");

    public static GateDecision Refuse(string reason) => new(false, reason);
}

/// <summary>
/// The approval gate. It fails closed: no approval, an approval for another plan or other figures,
/// an unknown estimate without the recorded override, or an over-budget plan without the recorded
/// acceptance — each is a refusal. Every launch path (CLI, editor, the run executor itself) asks it.
/// </summary>
public static class ApprovalGate
{
    public static GateDecision Check(Plans.TrainingPlan plan, Approval? approval)
    {
        if (string.IsNullOrEmpty(plan.Hash) || plan.Hash != plan.ComputeHash())
        {
            return GateDecision.Refuse("the plan's content does not match its hash (edited after planning?); plan again");
        }

        if (approval is null)
        {
            return GateDecision.Refuse("no approval is recorded for this plan");
        }

        if (string.IsNullOrWhiteSpace(approval.ApprovedBy))
        {
            return GateDecision.Refuse("the approval does not say who approved");
        }

        if (approval.PlanHash != plan.Hash || approval.PlanId != plan.Id)
        {
            return GateDecision.Refuse($"the approval is for plan {approval.PlanId}, not {plan.Id}");
        }

        if (!SameFigure(approval.Hours, plan.Estimate.Hours) || !SameFigure(approval.CostUsd, plan.Estimate.CostUsd))
        {
            return GateDecision.Refuse("the approved figures differ from the plan's (hours or cost)");
        }

        if (!plan.Estimate.Known && !approval.AcceptedUnknownEstimate)
        {
            return GateDecision.Refuse($"the estimate is unknown ({plan.Estimate.UnknownBecause}); approving it needs the explicit override");
        }

        if (plan.OverBudget && !approval.AcceptedOverBudget)
        {
            return GateDecision.Refuse($"MLI602: the run is over budget ({string.Join("; ", plan.OverBudgetReasons)}); approving it needs the explicit override");
        }

        return GateDecision.Allow;
    }

    /// <summary>Figures agree when both are unknown, or both known and equal to a part in a million (JSON round trips).</summary>
    private static bool SameFigure(double? approved, double? planned) => (approved, planned) switch
    {
        (null, null) => true,
        ({ } a, { } p) => Math.Abs(a - p) <= 1e-6 * Math.Max(1, Math.Abs(p)),
        _ => false,
    };
}

/// <summary>The canonical text an approval's signature covers: each field length-prefixed, so no two field lists give one text.</summary>
public static class Signing
{
    public static string Text(params string?[] fields)
    {
        var text = new StringBuilder();
        foreach (var field in fields)
        {
            var value = field ?? "";
            text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
        }

        return text.ToString();
    }

    public static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
