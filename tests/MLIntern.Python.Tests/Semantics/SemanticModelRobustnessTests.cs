using MLIntern.Python.Parsing;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;
using MLIntern.Python.Tests.Differential;
using MLIntern.Python.Text;

namespace MLIntern.Python.Tests.Semantics;

/// <summary>The semantic model is built, and every query answered, on real code and on broken code alike.</summary>
public sealed class SemanticModelRobustnessTests
{
    [Fact]
    public void EveryStdlibFileAndMutationOfItBuildsAModelAndAnswersQueries()
    {
        var lib = CPythonCorpus.StdlibFolder("3.13");
        Assert.True(lib is not null, "the CPython 3.13 standard library (pyenv) is the corpus");
        var files = CPythonCorpus.StdlibFiles(lib!);
        var rng = new Random(3);
        long calls = 0, resolved = 0;
        foreach (var file in files)
        {
            var text = SourceText.FromBytes(File.ReadAllBytes(file)).Text;
            foreach (var source in new[] { text, Mutate(text, rng) })
            {
                var model = SemanticModel.Build(Parser.Parse(source));
                foreach (var call in model.Calls)
                {
                    calls++;
                    if (model.ResolveCallee(call) is not null)
                    {
                        resolved++;
                    }

                    _ = model.GetArgument(call, "name", 0);
                    foreach (var a in call.Args)
                    {
                        model.TryEvaluate(a, out _);
                    }
                }

                foreach (var scope in model.Scopes.Skip(1))
                {
                    Assert.Same(scope, model.ScopeAt(scope.Node.Start));
                }
            }
        }

        // Most calls in the standard library are to builtins, imports or local definitions.
        Assert.True(resolved > calls / 3, $"resolved {resolved} of {calls} callees");
    }

    private static string Mutate(string text, Random rng)
    {
        if (text.Length < 10)
        {
            return text;
        }

        int at = rng.Next(text.Length);
        return rng.Next(3) switch
        {
            0 => text.Remove(at, Math.Min(rng.Next(1, 30), text.Length - at)),
            1 => text.Insert(at, "(\n"),
            _ => text.Insert(at, ":\n    x = f("),
        };
    }
}
