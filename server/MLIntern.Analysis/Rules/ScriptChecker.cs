using MLIntern.Analysis.Facts;
using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Publishing;
using MLIntern.Analysis.Rules.Transformers;
using MLIntern.Python.Lexing;
using MLIntern.Python.Parsing;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules;

/// <summary>
/// Runs the script rules over one Python file: parse, build the semantic model, walk the tree
/// once dispatching each node to the rules that asked for its type, then let every rule finish.
/// Pure: text in, findings out. A half-typed file still gets the findings of what parsed.
/// </summary>
public static class ScriptChecker
{
    /// <summary>Every script rule, in code order: the one table of script rules.</summary>
    public static IReadOnlyList<ScriptRule> Rules { get; } =
    [
        new RenamedEvaluationStrategy(),
        new RenamedTrainerTokenizer(),
        new MismatchedBestModelStrategies(),
        new PushToHubWithoutReview(),
        new HardcodedSecret(),
    ];

    public static IReadOnlyList<Finding> Check(string text, DatasetLookup? datasets = null, IReadOnlySet<string>? enabled = null) =>
        Check(Parser.Parse(text), datasets, enabled);

    public static IReadOnlyList<Finding> Check(ParseResult parse, DatasetLookup? datasets = null, IReadOnlySet<string>? enabled = null)
    {
        var active = Rules.Where(r => enabled is null || enabled.Contains(r.Info.Code)).ToList();
        var findings = new List<Finding>();
        var model = SemanticModel.Build(parse);
        var context = new ScriptContext(parse, model, datasets, findings);

        var dispatch = new Dictionary<Type, List<ScriptRule>>();
        foreach (var rule in active)
        {
            foreach (var type in rule.NodeTypes)
            {
                (dispatch.TryGetValue(type, out var list) ? list : dispatch[type] = []).Add(rule);
            }
        }

        if (dispatch.Count > 0)
        {
            new Dispatcher(dispatch, context).Visit(parse.Tree);
        }

        foreach (var rule in active)
        {
            rule.Finish(context);
        }

        var suppressed = Suppressions.Read(parse);

        findings.RemoveAll(f => suppressed.Covers(f.Range.Line, f.Code));
        // A rule may meet the same spot twice (one config dict passed to two calls): report it once.
        return [.. findings
            .DistinctBy(f => (f.Code, f.Range))
            .OrderBy(f => f.Range.Line).ThenBy(f => f.Range.Column).ThenBy(f => f.Code, StringComparer.Ordinal)];
    }

    private sealed class Dispatcher(Dictionary<Type, List<ScriptRule>> dispatch, ScriptContext context) : SyntaxWalker
    {
        public override void Visit(Node node)
        {
            if (dispatch.TryGetValue(node.GetType(), out var rules))
            {
                foreach (var rule in rules)
                {
                    rule.Visit(node, context);
                }
            }

            VisitChildren(node);
        }
    }
}

/// <summary>
/// `# noqa` comments, as Ruff reads them: `# noqa` silences every finding on its line,
/// `# noqa: MLI501, MLI502` only those codes.
/// </summary>
internal sealed class Suppressions
{
    private readonly Dictionary<int, HashSet<string>?> _lines = [];

    public static Suppressions Read(ParseResult parse)
    {
        var result = new Suppressions();
        foreach (var token in parse.Tokens.Tokens)
        {
            if (token.Kind != TokenKind.Comment)
            {
                continue;
            }

            var comment = parse.Source.GetSpan(token.Range);
            var at = comment.IndexOf("noqa", StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                continue;
            }

            var line = parse.Source.GetLineColumn(token.Start).Line;
            var rest = comment[(at + 4)..].TrimStart();
            if (!rest.StartsWith(":"))
            {
                result._lines[line] = null;
                continue;
            }

            var codes = result._lines.TryGetValue(line, out var existing) && existing is not null ? existing : [];
            foreach (var part in rest[1..].ToString().Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                codes.Add(part.Trim().ToUpperInvariant());
            }

            result._lines[line] = codes;
        }

        return result;
    }

    public bool Covers(int line, string code) =>
        _lines.TryGetValue(line, out var codes) && (codes is null || codes.Contains(code));
}
