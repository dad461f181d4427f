using MLIntern.Analysis.Facts;
using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Labels;
using MLIntern.Analysis.Rules.Loops;
using MLIntern.Analysis.Rules.Metrics;
using MLIntern.Analysis.Rules.Models;
using MLIntern.Analysis.Rules.Splits;
using MLIntern.Analysis.Rules.Syntax;
using MLIntern.Analysis.Rules.Tokenizers;
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
        new InvalidSyntax(),
        new StringLabelsNotEncoded(),
        new WrongNumLabels(),
        new LabelMappingFromSet(),
        new EncoderFittedPerSplit(),
        new MulticlassModelWithoutLabelNames(),
        new LabelColumnNotRenamed(),
        new LogitsAsPredictions(),
        new ArgmaxOverWrongAxis(),
        new BinaryAverageOnMulticlass(),
        new EvaluatedOnTrainingSet(),
        new TestSetModelSelection(),
        new UnseededOrUnstratifiedSplit(),
        new TokenizerWithoutTruncation(),
        new TokenizerModelMismatch(),
        new RenamedEvaluationStrategy(),
        new RenamedTrainerTokenizer(),
        new MixedPrecisionWithoutGpuGuard(),
        new MismatchedBestModelStrategies(),
        new MissingSeed(),
        new UnknownMetricForBestModel(),
        new PushToHubWithoutReview(),
        new HardcodedSecret(),
        new UnguardedEvaluationLoop(),
        new GradientsNeverZeroed(),
    ];

    /// <summary>Called when a rule throws on a file: the rule's findings for that file are dropped, the other rules' kept.</summary>
    public delegate void RuleFailure(string code, Exception exception);

    public static IReadOnlyList<Finding> Check(string text, DatasetLookup? datasets = null, IReadOnlySet<string>? enabled = null, RuleFailure? onFailure = null) =>
        Check(Parser.Parse(text), datasets, enabled, onFailure);

    /// <param name="steps">The first line of each part a person runs on its own (a notebook's code cells), ascending; null for a script, which runs as one.</param>
    public static IReadOnlyList<Finding> Check(ParseResult parse, DatasetLookup? datasets = null, IReadOnlySet<string>? enabled = null, RuleFailure? onFailure = null, IReadOnlyList<int>? steps = null) =>
        Check(parse, Rules, datasets, enabled, onFailure, steps);

    /// <summary>The data sets a script loads that <paramref name="datasets"/> knows, in source order (train first within a load): what training it would read.</summary>
    public static IReadOnlyList<DatasetInfo> LoadedDatasets(string text, DatasetLookup datasets) => LoadedDatasets(Parser.Parse(text), datasets);

    /// <summary>The data sets a parsed script loads that <paramref name="datasets"/> knows. A lookup that answers null still hears every path each load names.</summary>
    public static IReadOnlyList<DatasetInfo> LoadedDatasets(ParseResult parse, DatasetLookup datasets)
    {
        var context = new ScriptContext(parse, SemanticModel.Build(parse), datasets, []);
        return [.. DatasetLoads.All(context).Select(d => d.Info)];
    }

    /// <summary>Text length (UTF-16 units, ~250,000 lines) above which a check collects garbage before the rules run.</summary>
    private const int HugeText = 4 * 1024 * 1024;

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Every rule type is constructed in the Rules table, so its parameterless constructor is kept.")]
    internal static IReadOnlyList<Finding> Check(ParseResult parse, IReadOnlyList<ScriptRule> rules, DatasetLookup? datasets, IReadOnlySet<string>? enabled, RuleFailure? onFailure, IReadOnlyList<int>? steps = null)
    {
        // A fresh instance of each rule per file: a rule may keep per-file state between Visit and
        // Finish, and files are checked concurrently (the CLI's cores, the server's readers).
        var findings = new List<Finding>();
        var model = SemanticModel.Build(parse);
        var context = new ScriptContext(parse, model, datasets, findings, steps);
        if (parse.Source.Length > HugeText)
        {
            // The parse and the model's building left about the tree's size again in garbage (the
            // tokens, the lists children were gathered in) in memory the GC keeps committed while the
            // rules allocate more: returning it first lowers a 1M-line check's peak by ~50 MB (~10%).
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }

        // A file that imports no ML library: only the rules about any Python file have something to say.
        var mlFile = Symbols.Of(model).DoesMlWork;
        var active = rules
            .Where(r => (enabled is null || enabled.Contains(r.Info.Code)) && (mlFile || r.AnyFile))
            .Select(r => (ScriptRule)Activator.CreateInstance(r.GetType())!)
            .ToList();

        var dispatch = new Dictionary<Type, List<ScriptRule>>();
        foreach (var rule in active)
        {
            foreach (var type in rule.NodeTypes)
            {
                (dispatch.TryGetValue(type, out var list) ? list : dispatch[type] = []).Add(rule);
            }
        }

        var failed = new HashSet<string>(StringComparer.Ordinal);
        if (dispatch.Count > 0)
        {
            new Dispatcher(dispatch, context, failed, onFailure).Visit(parse.Tree);
        }

        foreach (var rule in active.Where(r => !failed.Contains(r.Info.Code)))
        {
            Guard(rule, failed, onFailure, () => rule.Finish(context));
        }

        // A rule that threw may have reported half of what it saw: none of its findings stand.
        // A syntax error is never silenced: the file does not run, whatever a comment says.
        var suppressed = Suppressions.Read(parse);
        findings.RemoveAll(f => failed.Contains(f.Code) || (f.Code != InvalidSyntax.Rule.Code && suppressed.Covers(f.Range.Line, f.Code)));
        // A rule may meet the same spot twice (one config dict passed to two calls): report it once.
        return [.. findings
            .DistinctBy(f => (f.Code, f.Range))
            .OrderBy(f => f.Range.Line).ThenBy(f => f.Range.Column).ThenBy(f => f.Code, StringComparer.Ordinal)];
    }

    /// <summary>Runs one rule callback; an exception marks the rule failed for this file instead of ending the check.</summary>
    private static void Guard(ScriptRule rule, HashSet<string> failed, RuleFailure? onFailure, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failed.Add(rule.Info.Code);
            onFailure?.Invoke(rule.Info.Code, e);
        }
    }

    private sealed class Dispatcher(Dictionary<Type, List<ScriptRule>> dispatch, ScriptContext context, HashSet<string> failed, RuleFailure? onFailure) : SyntaxWalker
    {
        public override void Visit(Node node)
        {
            if (dispatch.TryGetValue(node.GetType(), out var rules))
            {
                foreach (var rule in rules)
                {
                    if (failed.Count > 0 && failed.Contains(rule.Info.Code))
                    {
                        continue;
                    }

                    // What Guard does, written out: a lambda here would allocate a closure for every node of the tree.
                    try
                    {
                        rule.Visit(node, context);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        failed.Add(rule.Info.Code);
                        onFailure?.Invoke(rule.Info.Code, e);
                    }
                }
            }

            VisitChildren(node);
        }
    }
}

/// <summary>
/// Suppression comments. On a line: `# mlintern: ignore` (everything) or `# mlintern: ignore[MLI203, MLI505]`
/// (those codes), and Ruff's `# noqa` / `# noqa: MLI203` spelling. Anywhere in the file:
/// `# mlintern: ignore-file` or `# mlintern: ignore-file[MLI505]`. None of them covers MLI000 (a syntax error).
/// </summary>
internal sealed class Suppressions
{
    private readonly Dictionary<int, HashSet<string>?> _lines = [];
    private HashSet<string>? _fileCodes;
    private bool _wholeFile;

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
            var line = parse.Source.GetLineColumn(token.Start).Line;
            var ours = comment.IndexOf("mlintern:", StringComparison.OrdinalIgnoreCase);
            if (ours >= 0)
            {
                var directive = comment[(ours + "mlintern:".Length)..].TrimStart();
                if (directive.StartsWith("ignore-file", StringComparison.OrdinalIgnoreCase))
                {
                    var codes = Codes(directive["ignore-file".Length..]);
                    if (codes is null)
                    {
                        result._wholeFile = true;
                    }
                    else
                    {
                        (result._fileCodes ??= []).UnionWith(codes);
                    }
                }
                else if (directive.StartsWith("ignore", StringComparison.OrdinalIgnoreCase))
                {
                    result.Add(line, Codes(directive["ignore".Length..]));
                }

                continue;
            }

            if (Noqa(comment) is (true, var noqaCodes))
            {
                result.Add(line, noqaCodes);
            }
        }

        return result;
    }

    /// <summary>
    /// Ruff's `# noqa` grammar: a `#`, optional spaces, `noqa` ending there or followed by a space or
    /// `:` and codes (`MLI203`, letters then digits, separated by commas or spaces). It may follow other
    /// text after a `#` of its own (`# why # noqa: MLI505`); `noqa` inside a word (`Canoqa`) or a
    /// `# noqa:` without a code is not a directive. Codes null: the whole line.
    /// </summary>
    internal static (bool Found, HashSet<string>? Codes) Noqa(ReadOnlySpan<char> comment)
    {
        for (var hash = comment.IndexOf('#'); hash >= 0; hash = Next(comment, hash))
        {
            var rest = comment[(hash + 1)..].TrimStart();
            if (!rest.StartsWith("noqa", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            rest = rest[4..];
            if (rest.IsEmpty || char.IsWhiteSpace(rest[0]) && !rest.TrimStart().StartsWith(":"))
            {
                return (true, null);
            }

            rest = rest.TrimStart();
            if (rest[0] != ':')
            {
                continue;
            }

            var codes = new HashSet<string>(StringComparer.Ordinal);
            var i = 1;
            while (true)
            {
                while (i < rest.Length && (rest[i] is ',' || char.IsWhiteSpace(rest[i])))
                {
                    i++;
                }

                var start = i;
                while (i < rest.Length && char.IsAsciiLetter(rest[i]))
                {
                    i++;
                }

                var letters = i - start;
                while (i < rest.Length && char.IsAsciiDigit(rest[i]))
                {
                    i++;
                }

                if (letters == 0 || i - start == letters || i < rest.Length && !(rest[i] is ',' || char.IsWhiteSpace(rest[i])))
                {
                    break;
                }

                codes.Add(rest[start..i].ToString().ToUpperInvariant());
            }

            if (codes.Count > 0)
            {
                return (true, codes);
            }
        }

        return (false, null);

        static int Next(ReadOnlySpan<char> text, int from) => text[(from + 1)..].IndexOf('#') is var k and >= 0 ? from + 1 + k : -1;
    }

    /// <summary>The codes in `[A, B]`, or null (meaning all) when no bracket follows.</summary>
    private static HashSet<string>? Codes(ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart();
        if (!rest.StartsWith("["))
        {
            return null;
        }

        var close = rest.IndexOf(']');
        return Split(close > 0 ? rest[1..close] : rest[1..]);
    }

    private static HashSet<string> Split(ReadOnlySpan<char> list) =>
        [.. list.ToString().Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim().ToUpperInvariant())];

    private void Add(int line, HashSet<string>? codes)
    {
        if (codes is null || (_lines.TryGetValue(line, out var existing) && existing is null))
        {
            _lines[line] = null;
            return;
        }

        if (_lines.TryGetValue(line, out existing) && existing is not null)
        {
            existing.UnionWith(codes);
        }
        else
        {
            _lines[line] = codes;
        }
    }

    public bool Covers(int line, string code) =>
        _wholeFile || _fileCodes?.Contains(code) == true ||
        (_lines.TryGetValue(line, out var codes) && (codes is null || codes.Contains(code)));
}
