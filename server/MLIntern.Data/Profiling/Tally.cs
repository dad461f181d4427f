using MLIntern.Findings;

namespace MLIntern.Data.Profiling;

/// <summary>A check's running count and its first examples.</summary>
internal sealed class Tally(int maxExamples)
{
    public long Count;
    public bool Estimated;
    public readonly List<Example> Examples = [];

    public bool WantsExample => Examples.Count < maxExamples;

    public void Add(long weight = 1)
    {
        Count += weight;
        if (weight > 1)
        {
            Estimated = true;
        }
    }

    public void Example(Example example)
    {
        if (Examples.Count < maxExamples)
        {
            Examples.Add(example);
        }
    }

    public string? FirstPath => Examples.Count > 0 ? Examples[0].Path : null;

    /// <summary>"about " when the count is scaled up from a sample, to start a message with.</summary>
    public string About => Estimated ? "about " : "";

    /// <summary>The rule's result with this count and these examples, reported at the first example's file.</summary>
    public CheckResult Result(RuleInfo rule, string message) =>
        new(rule.Code, rule.Name, rule.DefaultSeverity, Count, Estimated, message, FirstPath, Examples);
}
