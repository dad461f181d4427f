using MLIntern.Analysis.Findings;

namespace MLIntern.Analysis.Tests;

public sealed class EditsTests
{
    private static Finding WithFix(SourceRange range, string text, Applicability applicability) =>
        new("X000", Severity.Warning, "m", range, new Fix("t", applicability, [new TextEdit(range, text)]));

    [Fact]
    public void Apply_replaces_ranges_from_the_end_so_earlier_offsets_hold()
    {
        const string text = "abc\ndef\n";
        var result = Edits.Apply(text, [new TextEdit(new SourceRange(1, 2, 1, 3), "XX"), new TextEdit(new SourceRange(2, 1, 2, 4), "")]);
        Assert.Equal("aXXc\n\n", result);
    }

    [Fact]
    public void Apply_refuses_overlapping_edits()
    {
        Assert.Throws<InvalidOperationException>(() =>
            Edits.Apply("abcdef", [new TextEdit(new SourceRange(1, 1, 1, 4), "x"), new TextEdit(new SourceRange(1, 3, 1, 5), "y")]));
    }

    [Fact]
    public void Select_takes_safe_fixes_unless_unsafe_are_allowed_and_skips_overlaps()
    {
        var safe = WithFix(new SourceRange(1, 1, 1, 3), "a", Applicability.Safe);
        var overlapping = WithFix(new SourceRange(1, 2, 1, 4), "b", Applicability.Safe);
        var risky = WithFix(new SourceRange(2, 1, 2, 3), "c", Applicability.Unsafe);
        var shown = WithFix(new SourceRange(3, 1, 3, 3), "d", Applicability.DisplayOnly);

        Assert.Equal([safe.Fix!], Edits.Select([safe, overlapping, risky, shown], Applicability.Safe));
        Assert.Equal([safe.Fix!, risky.Fix!], Edits.Select([safe, overlapping, risky, shown], Applicability.Unsafe));
    }
}
