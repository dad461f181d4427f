using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules.Loops;
using MLIntern.Analysis.Rules.Publishing;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Rules.Transformers;

/// <summary>MLI503: <c>fp16=True</c> or <c>bf16=True</c> with no check that a GPU is there.</summary>
public sealed class MixedPrecisionWithoutGpuGuard : ScriptRule
{
    public static readonly RuleInfo Rule = new(
        "MLI503",
        "mixed-precision-without-gpu-guard",
        Severity.Warning,
        "fp16/bf16 enabled without a GPU guard",
        """
        ## What it does
        Finds `TrainingArguments(fp16=True)` and `bf16=True` (as keywords, through a literal `**`
        dict, through a name bound to `True`, set afterwards on the arguments (`args.bf16 = True`), or as a field default of the script's own
        TrainingArguments subclass — `bf16: bool = True` in a `@dataclass` that an `HfArgumentParser`
        fills or the script constructs) when nothing in the script checks that a GPU is
        there: the value is a literal, the call is not under `if torch.cuda.is_available():`, and
        the script does not stop early without one (`assert torch.cuda.is_available()`, or an `if`
        on it that raises or exits). Tests a test runner collects (a `test_*` function or method the
        file's own run never calls, and helpers only they call) are not checked: the project's skip
        markers decide where they run.

        ## Why is this bad?
        Mixed precision needs a CUDA GPU (bf16 an Ampere or newer one). The same script then runs on
        the machine it was written on and fails everywhere else: on a laptop, in CI, in a CPU-only
        container, on a Colab T4 for bf16. It fails after the imports and the data loading, so the
        error comes late and looks unrelated to the one-word setting that causes it.

        ## Example
        ```python
        args = TrainingArguments(output_dir="out", fp16=True)
        ```

        ## Use instead
        ```python
        args = TrainingArguments(output_dir="out", fp16=torch.cuda.is_available())
        ```
        For bf16: `bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported()`.

        ## Fix safety
        Unsafe: the fix makes mixed precision depend on the machine (adding `import torch` when
        missing), so on a machine without a (bf16-capable) GPU the run trains in full precision —
        slower and with more memory — instead of stopping. That is usually what is wanted, but it is
        a change in behaviour.

        ## Error without the fix
        On a machine without a GPU, when the Trainer is created:
        ```
        ValueError: fp16 mixed precision requires a GPU (not 'cpu').
        ```
        and for bf16, when `TrainingArguments` is created:
        ```
        ValueError: Your setup doesn't support bf16/gpu. You need to assign use_cpu if you want to train the model on CPU.
        ```
        """);

    /// <summary>Calls that ask whether a (suitable) GPU is present.</summary>
    private static readonly HashSet<string> GpuChecks =
    [
        "torch.cuda.is_available",
        "torch.cuda.is_bf16_supported",
        "torch.cuda.device_count",
        "torch.cuda.get_device_capability",
        "transformers.utils.is_torch_cuda_available",
        "transformers.utils.is_torch_bf16_gpu_available",
        "transformers.utils.import_utils.is_torch_cuda_available",
        "transformers.utils.import_utils.is_torch_bf16_gpu_available",
    ];

    private static readonly HashSet<string> ExitCalls = ["sys.exit", "exit", "quit", "os._exit"];

    public override RuleInfo Info => Rule;

    public override FixAvailability FixAvailability => FixAvailability.Sometimes;

    public override IReadOnlyList<Type> NodeTypes => [typeof(Call), typeof(ClassDef), typeof(Assign)];

    public override void Visit(Node node, ScriptContext context)
    {
        if (node is Assign assign)
        {
            VisitAttributeSet(assign, context);
            return;
        }

        // A TrainingArguments call, or the file's own TrainingArguments dataclass an HfArgumentParser fills (its field defaults).
        if (node is Call call ? !TrainerApi.IsArgumentsCall(call, context.Model) : !TrainerApi.IsParsedArgumentsClass((ClassDef)node, context.Model))
        {
            return;
        }

        // A test the runner collects (`def test_bf16_training(...)`) sets up one case, behind the project's own skip markers.
        if (RunPath.Of(context.Model).InUncalledTest(node))
        {
            return;
        }

        foreach (var precision in (string[])["fp16", "bf16"])
        {
            if (TrainerApi.FindSetting(node, precision, context.Model) is not { } setting
                || (node is ClassDef && !node.Range.Contains(setting.NameRange))
                || !context.Model.TryEvaluate(setting.Value, out var on) || on is not true
                || IsGuarded(setting.Value, context))
            {
                continue;
            }

            var needs = precision == "fp16" ? "a CUDA GPU" : "a bf16-capable (Ampere or newer) GPU";
            context.Report(
                this,
                $"`{precision}=True` needs {needs}, and nothing checks for one: on a machine without it the script stops with ValueError",
                setting.NameRange,
                GuardFix(context, setting, precision));
        }
    }

    /// <summary>`args.bf16 = True` on TrainingArguments the file made (`args = TrainingArguments(...)`), set after the construction.</summary>
    private void VisitAttributeSet(Assign assign, ScriptContext context)
    {
        var model = context.Model;
        if (assign.Targets is not [AttributeExpr { Attr: "fp16" or "bf16" } target] || target.Value is not Name holder ||
            TrainerApi.MadeBy(model, holder) is not { } made || !TrainerApi.IsArgumentsCall(made, model) ||
            !model.TryEvaluate(assign.Value, out var on) || on is not true || IsGuarded(assign.Value, context) || RunPath.Of(model).InUncalledTest(assign))
        {
            return;
        }

        var precision = target.Attr;
        var needs = precision == "fp16" ? "a CUDA GPU" : "a bf16-capable (Ampere or newer) GPU";
        context.Report(
            this,
            $"`{precision}=True` needs {needs}, and nothing checks for one: on a machine without it the script stops with ValueError",
            target,
            GuardFix(context, new Setting(target.Range, assign.Value, null), precision));
    }

    private static bool IsGuarded(Expr value, ScriptContext context)
    {
        var model = context.Model;
        foreach (var ancestor in SyntaxPath.AncestorsOf(model, value))
        {
            var test = ancestor switch
            {
                If i => i.Test,
                IfExp e => e.Test,
                While w => w.Test,
                _ => null,
            };
            if (test is not null && ChecksGpu(test, context))
            {
                return true;
            }
        }

        // A script that refuses to run without a GPU guards everything after it.
        foreach (var node in SyntaxPath.DescendantsOf(model.Tree))
        {
            switch (node)
            {
                case AssertStmt a when ChecksGpu(a.Test, context):
                    return true;
                case If i when ChecksGpu(i.Test, context) && i.Body.Any(s => s is Raise || (s is ExprStmt { Value: Call exit } && model.ResolveCallee(exit) is { } q && ExitCalls.Contains(q))):
                    return true;
            }
        }

        return false;
    }

    private static bool ChecksGpu(Expr test, ScriptContext context) =>
        SyntaxPath.DescendantsOf(test).OfType<Call>().Any(c => context.Model.ResolveCallee(c) is { } q && GpuChecks.Contains(q));

    private static Fix? GuardFix(ScriptContext context, Setting setting, string precision)
    {
        if (setting.Value is not Constant || CodeEdits.Import(context, "torch") is not var (torch, importEdit))
        {
            // A name bound to True elsewhere: the guard belongs where the name is set.
            return null;
        }

        var guard = precision == "fp16"
            ? $"{torch}.cuda.is_available()"
            : $"{torch}.cuda.is_available() and {torch}.cuda.is_bf16_supported()";
        var edits = new List<TextEdit> { context.Replace(setting.Value.Range, guard) };
        if (importEdit is not null)
        {
            edits.Insert(0, importEdit);
        }

        return new Fix($"Use {precision} only when the GPU supports it: `{precision}={guard}` (trains in full precision elsewhere)", Applicability.Unsafe, edits);
    }
}
