using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;
using MLIntern.Data;

namespace MLIntern.Server.Engine;

/// <summary>Every rule the product has, script and data alike, in code order.</summary>
internal static class RuleCatalog
{
    public static IReadOnlyList<RuleInfo> All { get; } =
        [.. ScriptChecker.Rules.Select(r => r.Info).Concat(DataRules.All).Concat(MLIntern.Training.Plans.RunOverBudget.All).OrderBy(r => r.Code, StringComparer.Ordinal)];

    public static RuleInfo? Find(string code) => All.FirstOrDefault(r => r.Code == code);
}
