using System.Globalization;
using MLIntern.Python.Parsing;
using MLIntern.Python.Syntax;

namespace MLIntern.Training.Plans;

/// <summary>What a plan can read from a training script without running it.</summary>
public sealed record ScriptFacts(string? Model, double? Epochs, int? MaxLength, long? MaxSteps, int? BatchSize, double? LearningRate, (int Line, int Column)? TrainCall);

/// <summary>
/// Reads a Hugging Face training script for the plan: the checkpoint passed to
/// <c>from_pretrained</c> (a string, or a module-level name bound to one), and the literal
/// <c>num_train_epochs</c>, <c>max_steps</c>, <c>per_device_train_batch_size</c>,
/// <c>learning_rate</c> and tokenizer <c>max_length</c>, and where <c>.train()</c> is called.
/// </summary>
public static class ScriptScan
{
    public static ScriptFacts Scan(string text)
    {
        var parse = Parser.Parse(text);
        var walker = new Walker();
        walker.Visit(parse.Tree);
        string? model = walker.ModelArgument switch
        {
            Constant { Value: string s } => s,
            Name name when walker.Strings.TryGetValue(name.Id, out var s) => s,
            _ => null,
        };
        (int, int)? trainCall = walker.TrainCall is { } call ? parse.Source.GetLineColumn(call.Start) : null;
        return new ScriptFacts(
            model,
            Number(walker.Keywords, "num_train_epochs"),
            (int?)Number(walker.Keywords, "max_length"),
            (long?)Number(walker.Keywords, "max_steps"),
            (int?)Number(walker.Keywords, "per_device_train_batch_size"),
            Number(walker.Keywords, "learning_rate"),
            trainCall);
    }

    private static double? Number(Dictionary<string, Expr> keywords, string name) => keywords.TryGetValue(name, out var value) ? value switch
    {
        Constant { Value: long l } => l,
        Constant { Value: double d } => d,
        _ => null,
    } : null;

    private sealed class Walker : SyntaxWalker
    {
        public Dictionary<string, string> Strings { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Expr> Keywords { get; } = new(StringComparer.Ordinal);

        public Expr? ModelArgument { get; private set; }

        public Call? TrainCall { get; private set; }

        public override void Visit(Node node)
        {
            switch (node)
            {
                case Assign { Targets: [Name target], Value: Constant { Value: string value } }:
                    Strings.TryAdd(target.Id, value);
                    break;
                case Call call:
                    if (call.Func is AttributeExpr { Attr: "from_pretrained" } && call.Args.Count > 0 && ModelArgument is null)
                    {
                        ModelArgument = call.Args[0];
                    }

                    if (call.Func is AttributeExpr { Attr: "train" } && TrainCall is null)
                    {
                        TrainCall = call;
                    }

                    foreach (var keyword in call.Keywords)
                    {
                        if (keyword.Arg is { } arg && keyword.Value is Constant)
                        {
                            Keywords.TryAdd(arg, keyword.Value);
                        }
                    }

                    break;
            }

            VisitChildren(node);
        }
    }

    internal static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
