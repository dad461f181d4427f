using MLIntern.Analysis.Findings;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Tokenizers;

/// <summary>MLI402: the tokenizer and the model are loaded from different checkpoints.</summary>
public sealed class TokenizerModelMismatch : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI402",
        "tokenizer-model-checkpoint-mismatch",
        Severity.Warning,
        "tokenizer and model loaded from different checkpoints",
        """
        ## What it does
        Finds a tokenizer (`AutoTokenizer.from_pretrained(...)` or any `*Tokenizer*` class) and a model
        (`AutoModelFor….from_pretrained(...)` or any model class) loaded from checkpoints whose names differ — as
        literals, constants, or values the code hands on (a key of a config dict passed to a helper,
        an argparse default) — in one function, or in a file that loads one of each where every load
        can run in one run (top-level code, or a function the file names: calls, hands on, or reads as
        an attribute). Functions nothing in the file refers to (tests a test runner calls one by one)
        are each a run of their own.

        It says nothing when a checkpoint's name is not known, when a function (or a file) loads several
        tokenizers or several models (distillation, ensembles), when either checkpoint is a local directory (a
        fine-tuned model saved next to the script, or a directory the script itself writes through
        `output_dir=`, `save_pretrained` or `save_model`), when the tokenizer's repository holds only a
        tokenizer (its name says `tokenizer`: it was trained for some model the names cannot tell), when the names differ only by an organisation
        prefix (`distilbert-base-uncased` and `distilbert/distilbert-base-uncased` are one model) or
        only by a size or a distillation (`bert-base-uncased`, `bert-large-uncased` and
        `distilbert-base-uncased` share a vocabulary). When the same tokenizer is loaded again before the
        model (a notebook's next cell), only the load the model meets is reported.

        ## Why is this bad?
        A tokenizer turns text into ids of its own vocabulary; the model looks those ids up in the
        embedding table of its own. With two checkpoints the ids index the wrong rows: the model reads
        noise, or an id beyond its vocabulary crashes the forward pass. Special tokens (`[CLS]` vs
        `<s>`) and the maximum length differ too.

        ## Example
        ```python
        tokenizer = AutoTokenizer.from_pretrained("roberta-base")
        model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=4)
        ```

        ## Use instead
        ```python
        CHECKPOINT = "bert-base-uncased"
        tokenizer = AutoTokenizer.from_pretrained(CHECKPOINT)
        model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT, num_labels=4)
        ```

        ## Fix safety
        Unsafe, and offered for `AutoTokenizer` only (a specific class such as `BertTokenizerFast` cannot
        load another family's vocabulary): the fix loads the tokenizer from the model's checkpoint (the model is what is being
        trained, so its vocabulary is the one that must match), which changes every token id; if the
        tokenizer was the intended one, the model line is what should change.

        ## Error without the fix
        When the tokenizer's vocabulary is larger than the model's (roberta-base's 50,265 ids into
        bert-base-uncased's 30,522 rows):
        ```
        IndexError: index out of range in self
        ```
        When it is smaller, no error: training runs on scrambled inputs, the loss falls slowly and the
        accuracy stays far below what the model reaches with its own tokenizer.
        """);

    private static readonly HashSet<string> SizeWords =
    [
        "tiny", "mini", "small", "base", "medium", "large", "xl", "xxl", "big", "huge",
    ];

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override void Finish(ScriptContext context)
    {
        var model = context.Model;
        var loads = PretrainedLoads.Of(model);
        if (loads.Count < 2)
        {
            return;
        }

        // The loads of one function belong together; so do the file's, when it loads one of each and
        // every load can run in one run: at the top level, or in a function the file refers to. A function
        // nothing in the file refers to (a test a test runner calls, one of many) is a run of its own.
        if (loads.All(l => Reachable(model, l.Call)))
        {
            Compare(context, loads);
        }

        foreach (var group in loads.GroupBy(l => model.ScopeAt(l.Call.Start)))
        {
            Compare(context, [.. group]);
        }
    }

    private void Compare(ScriptContext context, IReadOnlyList<PretrainedLoad> loads)
    {
        var model = context.Model;
        var tokenizers = loads.Where(l => l.Kind == PretrainedKind.Tokenizer).ToList();
        var models = loads.Where(l => l.Kind == PretrainedKind.Model).ToList();

        // One checkpoint each, known as a string (the same checkpoint loaded twice is still one).
        // A literal or constant, else what the value flow finds (`cfg["model"]["name"]` of the config passed in).
        var flow = ValueFlow.Of(context);
        string? Name(PretrainedLoad load) => load.CheckpointValue ?? (load.Checkpoint is { } c ? flow.String(c) : null);
        var tokenizerCheckpoints = tokenizers.Select(Name).Distinct().ToList();
        var modelCheckpoints = models.Select(Name).Distinct().ToList();
        if (tokenizerCheckpoints is not [{ } tokenizerCheckpoint] || modelCheckpoints is not [{ } modelCheckpoint] ||
            Api.IsLocalCheckpoint(tokenizerCheckpoint) || Api.IsLocalCheckpoint(modelCheckpoint) ||
            TokenizerOnly(tokenizerCheckpoint) || SameModel(tokenizerCheckpoint, modelCheckpoint))
        {
            return;
        }

        // A directory the script itself writes (`output_dir=`, `save_pretrained(...)`, `save_model(...)`) is local,
        // whatever its name looks like: the trained model and its tokenizer, saved next to the script.
        var written = WrittenDirectories(model);
        if (written.Contains(tokenizerCheckpoint) || written.Contains(modelCheckpoint))
        {
            return;
        }

        var modelArgument = models[0].Checkpoint!;
        var firstModel = models.Min(m => m.Call.Start);
        foreach (var tokenizer in tokenizers)
        {
            // The same tokenizer loaded again before the model (a notebook's next cell, a helper reloading it):
            // the later load is the one the model meets, and the one reported.
            if (tokenizers.Any(t => t.Call.Start > tokenizer.Call.Start && t.Call.Start < firstModel))
            {
                continue;
            }

            var argument = tokenizer.Checkpoint!;
            // Only AutoTokenizer picks the right class for any checkpoint; `BertTokenizerFast` would load the wrong kind.
            var replacement = tokenizer.ClassName.StartsWith("Auto", StringComparison.Ordinal) && Portable(model, modelArgument, argument)
                ? context.Text(modelArgument)
                : null;
            var fix = replacement is null
                ? null
                : new Fix($"Load the tokenizer from the model's checkpoint `{replacement}` (unsafe: every token id changes)", Applicability.Unsafe,
                    [context.Replace(argument.Range, replacement)]);
            context.Report(
                this,
                $"The tokenizer comes from `{tokenizerCheckpoint}` but the model from `{modelCheckpoint}`: token ids index the wrong embeddings",
                argument,
                fix);
        }
    }

    /// <summary>
    /// True when the code at <paramref name="node"/> is top-level code, or sits in a function (or method)
    /// the file names somewhere — called, passed on (`fire.Fire(main)`), or read as an attribute (`self.load()`,
    /// a property) — and so may run with the rest of the file.
    /// </summary>
    private static bool Reachable(SemanticModel model, Node node)
    {
        var function = model.Ancestors(node).OfType<FunctionDef>().FirstOrDefault();
        if (function is null)
        {
            return true;
        }

        var named = MLIntern.Analysis.Rules.Loops.SyntaxPath.DescendantsOf(model.Tree).Any(n => n is Name { Id: var id } && id == function.Name || n is AttributeExpr { Attr: var attr } && attr == function.Name);
        return named && Reachable(model, function);
    }

    /// <summary>
    /// A repository that holds only a tokenizer (`…/code-search-net-tokenizer`): it was trained for some model, and
    /// nothing in the two names tells which, so they cannot be compared.
    /// </summary>
    private static bool TokenizerOnly(string checkpoint) =>
        checkpoint[(checkpoint.LastIndexOf('/') + 1)..].Contains("tokenizer", StringComparison.OrdinalIgnoreCase);

    /// <summary>The directories, as strings, the file writes a model or a run into.</summary>
    private static HashSet<string> WrittenDirectories(SemanticModel model)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in model.Calls)
        {
            Expr? target = call.Func is AttributeExpr { Attr: "save_pretrained" or "save_model" }
                ? model.GetArgument(call, "save_directory", 0) ?? model.GetArgument(call, "output_dir", 0)
                : null;
            foreach (var expr in new[] { target, call.Keywords.FirstOrDefault(k => k.Arg == "output_dir")?.Value })
            {
                if (expr is not null && model.EvaluateString(expr) is { } directory)
                {
                    result.Add(directory);
                }
            }
        }

        return result;
    }

    /// <summary>The same Hub model: equal ignoring case, an organisation prefix on one side only, and size words.</summary>
    private static bool SameModel(string a, string b)
    {
        static string Name(string id) => id[(id.LastIndexOf('/') + 1)..];
        var (x, y) = (a.ToLowerInvariant(), b.ToLowerInvariant());
        if (x == y || (!x.Contains('/') || !y.Contains('/')) && Name(x) == Name(y))
        {
            return true;
        }

        // A distilled model keeps its teacher's vocabulary: distilbert-base-uncased reads bert-base-uncased's ids.
        static string Family(string id) =>
            string.Join('-', Name(id).Split('-', '_').Where(p => !SizeWords.Contains(p)).Select(p => p.StartsWith("distil", StringComparison.Ordinal) ? p["distil".Length..] : p));
        return (!x.Contains('/') || !y.Contains('/') || x[..x.IndexOf('/')] == y[..y.IndexOf('/')]) && Family(x) == Family(y);
    }

    /// <summary>True when the model's checkpoint expression means the same where the tokenizer's is: a literal, or a module constant.</summary>
    private static bool Portable(SemanticModel model, Expr checkpoint, Expr at) => checkpoint switch
    {
        Constant { Value: string } => true,
        Name n => model.ResolveName(n) is { Scope.Kind: ScopeKind.Module, IsUnconditional: true } binding &&
                  model.GlobalScope.GetBindings(n.Id).Count == 1 && binding.Position <= at.Start,
        _ => false,
    };
}
