using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Metrics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Tokenizers;

/// <summary>MLI401: a pretrained tokenizer called on texts without truncation, in a script that fine-tunes a classifier.</summary>
public sealed class TokenizerWithoutTruncation : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI401",
        "tokenizer-without-truncation",
        Severity.Warning,
        "tokenizer called on texts without truncation",
        """
        ## What it does
        Finds a tokenizer loaded with `AutoTokenizer.from_pretrained(...)` (or any `*Tokenizer` /
        `*TokenizerFast` class) called on texts — directly, in the function passed to `Dataset.map`,
        or through `encode_plus` / `batch_encode_plus` — without `truncation=True`, in a script that
        fine-tunes a sequence-classification, token-classification or multiple-choice model.

        A call with `max_length=` and no padding is not flagged: the tokenizer then truncates by
        itself. A call on a string literal (or a name bound only to one), with `truncation=False`
        written out, or with an unknown `**kwargs` is not flagged either, nor is one whose encoding
        is only looked at (printed, shown as a notebook cell's value, or handed to a helper of the
        file whose result is printed). Language-model scripts, which tokenize whole documents and
        cut them into blocks afterwards, are not checked, nor are tests a test runner collects: a
        `test_*` function or method the file's own run never calls, and helpers only such tests call
        (a unit test encodes its few fixed texts on purpose).

        ## Why is this bad?
        Real data sets have a few very long texts. Untruncated, they become sequences longer than the
        model's position embeddings (512 tokens for BERT-style models), and the batch that holds one
        crashes the run — often hours in, when the data loader reaches it.

        ## Example
        ```python
        def tokenize(batch):
            return tokenizer(batch["text"], padding="max_length")
        ```

        ## Use instead
        ```python
        def tokenize(batch):
            return tokenizer(batch["text"], padding="max_length", truncation=True)
        ```

        ## Fix safety
        Adding `truncation=True` is safe when the call has no `max_length=`: it cuts only texts longer
        than the model accepts, which would otherwise crash. With `max_length=` it is unsafe: texts
        longer than that length (shorter than the model's maximum) lose their ends, which changes
        what the model sees.

        ## Error without the fix
        ```
        Token indices sequence length is longer than the specified maximum sequence length for this model (731 > 512). Running this sequence through the model will result in indexing errors
        ...
        IndexError: index out of range in self
        ```
        (or `RuntimeError: The size of tensor a (731) must match the size of tensor b (512) at non-singleton dimension 1`).
        """);

    private static readonly HashSet<string> EncodeMethods = ["encode", "encode_plus", "batch_encode_plus", "__call__"];

    /// <summary>A tokenizer's methods that turn an encoding back into text or tokens to look at.</summary>
    private static readonly HashSet<string> DecodeMethods = ["decode", "batch_decode", "convert_ids_to_tokens"];

    private static readonly string[] FineTunedHeads = ["ForSequenceClassification", "ForTokenClassification", "ForMultipleChoice"];

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Always;

    public override void Finish(ScriptContext context)
    {
        var model = context.Model;
        var loads = PretrainedLoads.Of(model);
        if (!loads.Any(l => l.Kind == PretrainedKind.Model && FineTunedHeads.Any(h => l.ClassName.Contains(h, StringComparison.Ordinal))))
        {
            return;
        }

        var labels = LabelValues.Of(context);
        foreach (var call in model.Calls)
        {
            Expr? tokenizer = call.Func switch
            {
                Name n => n,
                AttributeExpr { Value: Name self } held when Code.SelfClass(model, self) is not null => held,
                AttributeExpr { Value: Name or AttributeExpr { Value: Name } } encode when encode.Attr is var method && EncodeMethods.Contains(method) => encode.Value,
                _ => null,
            };
            if (tokenizer is null || PretrainedLoads.TokenizerOf(model, tokenizer) is null || !Untruncated(context, call) || RunPath.Of(model).InUncalledTest(call) ||
                Code.OnlyShown(
                    model,
                    call,
                    target => labels.BindingOf(target) is { } binding ? labels.UsesOf(binding) : [],
                    reads: c => c.Func is AttributeExpr { Attr: var m, Value: Name t } && DecodeMethods.Contains(m) && PretrainedLoads.TokenizerOf(model, t) is not null))
            {
                continue;
            }

            var hasMaxLength = model.GetArgument(call, "max_length") is not null;
            var fix = Fix.Create(
                hasMaxLength ? "Add `truncation=True` (unsafe: texts longer than `max_length` lose their ends)" : "Add `truncation=True`",
                hasMaxLength ? Applicability.Unsafe : Applicability.Safe, CodeEdits.AddKeyword(context, call, "truncation=True"));
            context.Report(
                this,
                $"`{context.Text(call.Func)}(...)` without `truncation=True`: a text longer than the model's maximum length crashes training",
                call.Func,
                fix);
        }
    }

    private static bool Untruncated(ScriptContext context, Call call)
    {
        var model = context.Model;
        if (call.Args.Count == 0 && model.GetArgument(call, "text") is null)
        {
            return false;
        }

        // A literal text (or a name bound only to one) is short and known; an unknown **kwargs or *args may carry truncation.
        if (call.Args.Count > 0 && Code.Unalias(model, call.Args[0]) is Constant or JoinedStr)
        {
            return false;
        }

        if (call.Args.Any(a => a is Starred) ||
            call.Keywords.Any(k => k.Arg is null && Code.Unalias(model, k.Value) is not (Dict or Call { Func: Name { Id: "dict" } })))
        {
            return false;
        }

        if (model.GetArgument(call, "truncation") is not null)
        {
            return false;
        }

        // `max_length=` without padding: the tokenizer truncates by itself (with a warning).
        var padding = model.GetArgument(call, "padding");
        var unpadded = padding is null || (model.TryEvaluate(padding, out var p) && p is false);
        return !(model.GetArgument(call, "max_length") is not null && unpadded);
    }
}
