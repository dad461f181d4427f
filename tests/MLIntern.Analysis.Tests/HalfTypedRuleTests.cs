using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

/// <summary>
/// A script being typed is cut anywhere: every prefix of the metrics, split and tokenizer fixtures
/// (the shapes these rules look into most deeply) must check without an exception.
/// </summary>
public sealed class HalfTypedRuleTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Fixtures");

    [Theory]
    [InlineData("MLI201")]
    [InlineData("MLI202")]
    [InlineData("MLI203")]
    [InlineData("MLI301")]
    [InlineData("MLI302")]
    [InlineData("MLI303")]
    [InlineData("MLI401")]
    [InlineData("MLI402")]
    public void Every_prefix_of_the_fixture_checks_without_an_exception(string code)
    {
        var source = File.ReadAllText(Path.Combine(Fixtures, code + ".py"));
        var datasets = FixtureDatasets.Lookup(Fixtures);
        for (var length = 0; length <= source.Length; length += 5)
        {
            var prefix = source[..length];
            var exception = Record.Exception(() => ScriptChecker.Check(prefix, datasets));
            Assert.True(exception is null, $"{code}.py cut at {length}: {exception}");
        }
    }
}
