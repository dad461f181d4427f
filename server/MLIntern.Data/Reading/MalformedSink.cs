using MLIntern.Findings;
using MLIntern.Data.Checks;

namespace MLIntern.Data.Reading;

/// <summary>
/// Collects the MLD012 findings of one file as its reader meets them. The first
/// <see cref="MalformedFile.MaxFindings"/> are kept; the rest are counted in one closing finding.
/// </summary>
public sealed class MalformedSink
{
    private readonly List<Finding> _findings = [];
    private int _dropped;

    /// <summary>Every problem reported, listed or not.</summary>
    public int Total => _findings.Count + _dropped;

    public void Report(string message, SourceRange range)
    {
        if (_findings.Count < MalformedFile.MaxFindings)
        {
            _findings.Add(new Finding(MalformedFile.Rule.Code, MalformedFile.Rule.DefaultSeverity, message, range));
        }
        else
        {
            _dropped++;
        }
    }

    public void Report(string message, int line) => Report(message, SourceRange.WholeLine(Math.Max(1, line)));

    public IReadOnlyList<Finding> Finish()
    {
        var all = new List<Finding>(_findings);
        if (_dropped > 0)
        {
            all.Add(new Finding(
                MalformedFile.Rule.Code,
                MalformedFile.Rule.DefaultSeverity,
                $"{_dropped} more malformed line(s) not listed; the first {MalformedFile.MaxFindings} are",
                new SourceRange(1, 1, 1, 1)));
        }

        return all;
    }
}
