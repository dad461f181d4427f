using MLIntern.Findings;
using MLIntern.Data.Checks;

namespace MLIntern.Data;

/// <summary>The data checks' rules, in code order: the one table of MLD codes.</summary>
public static class DataRules
{
    public static IReadOnlyList<RuleInfo> All { get; } =
    [
        MissingValues.Rule,
        ExactDuplicates.Rule,
        ConflictingLabels.Rule,
        NearDuplicates.Rule,
        ClassImbalance.Rule,
        RareClasses.Rule,
        TrainTestOverlap.Rule,
        PersonalData.Rule,
        Placeholders.Rule,
        TextLength.Rule,
        LabelLooksLikeText.Rule,
        MalformedFile.Rule,
    ];
}
