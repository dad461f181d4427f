using MLIntern.Python.Parsing;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Python.Tests.Semantics;

public sealed class SemanticModelTests
{
    private static (ParseResult Parse, SemanticModel Model) Build(string source)
    {
        var parse = Parser.Parse(source);
        return (parse, SemanticModel.Build(parse));
    }

    private static Call CallAt(SemanticModel model, string source, string marker)
    {
        int at = source.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, marker);
        return model.Calls.First(c => c.Start == at);
    }

    [Fact]
    public void FromImportAliasResolvesToTheQualifiedName()
    {
        const string src = "from transformers import TrainingArguments as TA\nargs = TA(output_dir='out')\n";
        var (_, model) = Build(src);
        var call = Assert.Single(model.Calls);
        Assert.Equal("transformers.TrainingArguments", model.ResolveCallee(call));
        Assert.Single(model.CallsTo("transformers.TrainingArguments"));
    }

    [Fact]
    public void ModuleAliasAndDottedImportsResolveAttributeChains()
    {
        const string src = "import numpy as np\nimport a.b.c\nimport torch.nn\nx = np.argmax(y, axis=-1)\nz = a.b.c.d()\nm = torch.nn.Linear(2, 3)\n";
        var (_, model) = Build(src);
        Assert.Equal("numpy.argmax", model.ResolveCallee(CallAt(model, src, "np.argmax")));
        Assert.Equal("a.b.c.d", model.ResolveCallee(CallAt(model, src, "a.b.c.d")));
        Assert.Equal("torch.nn.Linear", model.ResolveCallee(CallAt(model, src, "torch.nn.Linear")));
    }

    [Fact]
    public void ShadowingAndLocalDefinitionsAreNotImports()
    {
        const string src = "import numpy as np\ndef f(np):\n    return np.argmax(1)\ng = np.argmax(2)\nprint(g)\n";
        var (_, model) = Build(src);
        Assert.Null(model.ResolveCallee(CallAt(model, src, "np.argmax(1)")));
        Assert.Equal("numpy.argmax", model.ResolveCallee(CallAt(model, src, "np.argmax(2)")));
        Assert.Equal("print", model.ResolveCallee(CallAt(model, src, "print(")));
    }

    [Fact]
    public void AssignmentAliasesAreFollowed()
    {
        const string src = "import transformers\nTrainer = transformers.Trainer\nt = Trainer(model=m)\n";
        var (_, model) = Build(src);
        Assert.Equal("transformers.Trainer", model.ResolveCallee(CallAt(model, src, "Trainer(model")));
    }

    [Fact]
    public void ArgumentsAreFoundByKeywordPositionAndThroughALiteralKwargsDict()
    {
        const string src = """
            from sklearn.model_selection import train_test_split
            cfg = {"test_size": 0.2, "random_state": 42}
            a = train_test_split(X, y, shuffle=False, **cfg)
            b = train_test_split(*parts, stratify=y)
            c = train_test_split(X, **dict(random_state=1))
            """;
        var (_, model) = Build(src);
        var a = CallAt(model, src, "train_test_split(X, y");
        Assert.Equal("y", Assert.IsType<Name>(model.GetArgument(a, "arrays", 1)).Id);
        Assert.True(model.TryEvaluate(model.GetArgument(a, "shuffle")!, out var shuffle) && shuffle is false);
        Assert.True(model.TryEvaluate(model.GetArgument(a, "random_state")!, out var seed) && seed is 42L);
        Assert.Null(model.GetArgument(a, "stratify"));

        var b = CallAt(model, src, "train_test_split(*parts");
        Assert.Null(model.GetArgument(b, null, 1));
        Assert.NotNull(model.GetArgument(b, "stratify"));

        var c = CallAt(model, src, "train_test_split(X, **dict");
        Assert.True(model.TryEvaluate(model.GetArgument(c, "random_state")!, out var rs) && rs is 1L);
    }

    [Fact]
    public void LiteralsEvaluate()
    {
        const string src = """
            a = "x" "y"
            b = b"\x00"
            c = (1, -2.5, True, None, ...)
            d = {"k": [1, 2], **{"m": {3}}}
            name = "bert"
            e = f"{name}-base-{1}"
            f = "a" + "b"
            g = f"{unknown}"
            """;
        var (_, model) = Build(src);
        object? Value(string n)
        {
            var b = model.GlobalScope.GetBindings(n).Single();
            return model.TryEvaluate(b.Value!, out var v) ? v : "<unknown>";
        }

        Assert.Equal("xy", Value("a"));
        Assert.Equal(new byte[] { 0 }, Assert.IsType<byte[]>(Value("b")));
        var tuple = Assert.IsType<LiteralTuple>(Value("c"));
        Assert.Equal(new object?[] { 1L, -2.5, true, null, EllipsisValue.Instance }, tuple.Items);
        var dict = Assert.IsType<LiteralDict>(Value("d"));
        Assert.True(dict.TryGetValue("k", out var k) && k is LiteralList { Items.Count: 2 });
        Assert.True(dict.TryGetValue("m", out var m) && m is LiteralSet);
        Assert.Equal("bert-base-1", Value("e"));
        Assert.Equal("ab", Value("f"));
        Assert.Equal("<unknown>", Value("g"));
    }

    [Fact]
    public void ReachingDefinitionIsTheLastAssignmentBeforeInTheSameOrEnclosingBlock()
    {
        const string src = """
            ckpt = "bert-base-uncased"
            tok = load(ckpt)
            if cond:
                ckpt = "roberta-base"
            model = load(ckpt)
            ckpt = "distilbert"
            def main():
                return load(ckpt)
            def inner():
                ckpt = "local"
                for i in range(3):
                    ckpt = "loop"
                return load(ckpt)
            """;
        var (_, model) = Build(src);
        var calls = model.Calls.Where(c => c.Func is Name { Id: "load" }).ToList();
        string? Arg(int i) => model.EvaluateString(model.GetArgument(calls[i], null, 0)!);
        Assert.Equal("bert-base-uncased", Arg(0));

        // The `if` assignment is conditional: the straight-line definition before it reaches.
        Assert.Equal("bert-base-uncased", Arg(1));

        // A function reads the module's last unconditional binding.
        Assert.Equal("distilbert", Arg(2));

        // Inside a function, the loop's assignment is conditional.
        Assert.Equal("local", Arg(3));
    }

    [Fact]
    public void ScopesAndBindingKindsAreRecorded()
    {
        const string src = """
            import os
            from . import sibling
            class C:
                attr = 1
                def m(self, x, *a, k=1, **kw):
                    y = [v for v in x if (w := v)]
                    return lambda z: z + y
            for i, j in pairs: pass
            with open(p) as fh: pass
            try:
                pass
            except E as err:
                pass
            match x:
                case [first, *rest]: pass
            """;
        var (_, model) = Build(src);
        var kinds = model.Scopes.Select(s => s.Kind).ToList();
        Assert.Equal(new[] { ScopeKind.Module, ScopeKind.Class, ScopeKind.Function, ScopeKind.Comprehension, ScopeKind.Lambda }, kinds);
        var g = model.GlobalScope;
        Assert.Equal(BindingKind.Import, g.GetBindings("os").Single().Kind);
        Assert.Equal(".sibling", g.GetBindings("sibling").Single().QualifiedName);
        Assert.Equal(BindingKind.ClassDefinition, g.GetBindings("C").Single().Kind);
        Assert.Equal(BindingKind.ForTarget, g.GetBindings("j").Single().Kind);
        Assert.Equal(BindingKind.WithTarget, g.GetBindings("fh").Single().Kind);
        Assert.Equal(BindingKind.ExceptHandler, g.GetBindings("err").Single().Kind);
        Assert.Equal(BindingKind.MatchCapture, g.GetBindings("rest").Single().Kind);
        var method = model.Scopes[2];
        foreach (var p in new[] { "self", "x", "a", "k", "kw" })
        {
            Assert.Equal(BindingKind.Parameter, method.GetBindings(p).Single().Kind);
        }

        Assert.Equal(BindingKind.NamedExpression, method.GetBindings("w").Single().Kind);
        Assert.Equal(BindingKind.ComprehensionTarget, model.Scopes[3].GetBindings("v").Single().Kind);
        Assert.False(method.IsLocal("attr"));
    }

    [Fact]
    public void HalfTypedScriptStillYieldsTheSemanticFactsOfTheRestOfTheFile()
    {
        // The cursor is inside an unclosed call on line 4; everything else must still be known.
        const string src = """
            from transformers import AutoModelForSequenceClassification as AMSC, Trainer, TrainingArguments
            import numpy as np
            model = AMSC.from_pretrained("bert-base-uncased", num_labels=3)
            args = TrainingArguments(output_dir="out", evaluation_strategy="epoch",
            def compute_metrics(p):
                preds = np.argmax(p.predictions, axis=1)
                return {"acc": (preds == p.label_ids).mean()}
            trainer = Trainer(model=model, args=args, compute_metrics=compute_metrics)
            """;
        var (parse, model) = Build(src);
        Assert.True(parse.HasErrors);
        Assert.Contains(parse.Errors, e => e.Message.Contains("never closed", StringComparison.Ordinal));

        var fromPretrained = Assert.Single(model.CallsTo("transformers.AutoModelForSequenceClassification.from_pretrained"));
        Assert.True(model.TryEvaluate(model.GetArgument(fromPretrained, "num_labels")!, out var n) && n is 3L);

        var training = Assert.Single(model.CallsTo("transformers.TrainingArguments"));
        Assert.Equal("epoch", model.EvaluateString(model.GetArgument(training, "evaluation_strategy")!));

        var argmax = Assert.Single(model.CallsTo("numpy.argmax"));
        Assert.True(model.TryEvaluate(model.GetArgument(argmax, "axis")!, out var axis) && axis is 1L);

        var trainer = Assert.Single(model.CallsTo("transformers.Trainer"));
        var modelArg = Assert.IsType<Name>(model.GetArgument(trainer, "model"));
        Assert.Equal("transformers.AutoModelForSequenceClassification.from_pretrained", model.ResolveCallee(Assert.IsType<Call>(model.ReachingValue(modelArg))));
        Assert.Equal(BindingKind.FunctionDefinition, model.ResolveName(Assert.IsType<Name>(model.GetArgument(trainer, "compute_metrics")))!.Kind);
    }

    [Fact]
    public void ParentsAncestorsAndKeywordNodesAreAvailableForFixes()
    {
        const string src = """
            import torch
            def train():
                if torch.cuda.is_available():
                    args = TrainingArguments(fp16=True, evaluation_strategy="epoch")
            """;
        var (_, model) = Build(src);
        var call = model.Calls.Single(c => c.Func is Name { Id: "TrainingArguments" });
        var kw = SemanticModel.FindKeyword(call, "evaluation_strategy");
        Assert.NotNull(kw);
        Assert.Equal("evaluation_strategy=\"epoch\"", src[kw!.Start..kw.End]);
        var guard = model.Ancestors(call).OfType<If>().Single();
        Assert.Equal("torch.cuda.is_available", model.ResolveCallee(Assert.IsType<Call>(guard.Test)));
        Assert.Equal("train", Assert.IsType<FunctionDef>(model.EnclosingFunction(call)).Name);
        Assert.Null(model.ParentOf(model.Tree));
    }
}
