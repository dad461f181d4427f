using MLIntern.Findings;
using MLIntern.Data.Checks;
using MLIntern.Data.Profiling;

namespace MLIntern.Data;

/// <summary>
/// The data rules in code order: the one table of MLD codes. Each entry is a rule's page and how to
/// make its check for one profile; the profiler runs them in this order and reports them in it.
/// </summary>
public static class DataRules
{
    private static readonly (RuleInfo Rule, Func<DataPass, IDataCheck> Create)[] Table =
    [
        (MissingValues.Rule, pass => new MissingValues.Checker(pass)),
        (ExactDuplicates.Rule, pass => new ExactDuplicates.Checker(pass)),
        (ConflictingLabels.Rule, pass => new ConflictingLabels.Checker(pass)),
        (NearDuplicates.Rule, pass => new NearDuplicates.Checker(pass)),
        (ClassImbalance.Rule, pass => new ClassImbalance.Checker(pass)),
        (RareClasses.Rule, pass => new RareClasses.Checker(pass)),
        (TrainTestOverlap.Rule, pass => new TrainTestOverlap.Checker(pass)),
        (PersonalData.Rule, pass => new PersonalData.Checker(pass)),
        (Placeholders.Rule, pass => new Placeholders.Checker(pass)),
        (TextLength.Rule, pass => new TextLength.Checker(pass)),
        (LabelLooksLikeText.Rule, pass => new LabelLooksLikeText.Checker(pass)),
        (MalformedFile.Rule, pass => new MalformedFile.Checker(pass)),
        (EmptyDataFile.Rule, pass => new EmptyDataFile.Checker(pass)),
    ];

    public static IReadOnlyList<RuleInfo> All { get; } = [.. Table.Select(r => r.Rule)];

    /// <summary>Every rule's check for one profile, in code order.</summary>
    internal static IDataCheck[] CreateChecks(DataPass pass) => [.. Table.Select(r => r.Create(pass))];
}
