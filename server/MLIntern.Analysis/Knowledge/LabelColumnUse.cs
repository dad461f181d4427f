using System.Runtime.CompilerServices;
using MLIntern.Analysis.Rules;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Knowledge;

/// <summary>
/// What a script does with label columns, read once per file: whether it makes a `label`/`labels`
/// column in any way (rename, assignment, a `.map` function returning one, `label_names=`), and
/// which source columns it names as its labels (the `x` of `rename_column(x, "labels")`,
/// `class_encode_column(x)`, `df["label"] = df[x]...`). Rules use it to stay silent when the
/// script's labels are not the column the data facts describe.
/// </summary>
public sealed class LabelColumnUse
{
    /// <summary>The column names the transformers Trainer (through its data collators) takes as labels (<see cref="Api.TrainerLabelColumns"/>).</summary>
    public static IReadOnlySet<string> TrainerLabelNames => Api.TrainerLabelColumns;

    private static readonly ConditionalWeakTable<ScriptContext, LabelColumnUse> Cache = new();

    private readonly HashSet<string> _sources = new(StringComparer.Ordinal);

    private LabelColumnUse()
    {
    }

    /// <summary>True when the script makes or names a column the Trainer reads as labels, or sets `label_names=`.</summary>
    public bool MakesLabelColumn { get; private set; }

    /// <summary>The columns the script names as the source of its labels.</summary>
    public IReadOnlySet<string> SourceColumns => _sources;

    public static LabelColumnUse Of(ScriptContext context) => Cache.GetValue(context, c => Read(c.Model));

    /// <summary>
    /// True when the facts' label column may be the script's labels: the script names no source
    /// column, or names that one.
    /// </summary>
    public bool Agrees(string? factsLabelColumn) =>
        factsLabelColumn is not null && (_sources.Count == 0 || _sources.Contains(factsLabelColumn));

    private static LabelColumnUse Read(SemanticModel model)
    {
        var use = new LabelColumnUse();
        new Reader(model, use).Visit(model.Tree);
        return use;
    }

    private sealed class Reader(SemanticModel model, LabelColumnUse use) : SyntaxWalker
    {
        public override void Visit(Node node)
        {
            switch (node)
            {
                case Constant { Value: string s } when TrainerLabelNames.Contains(s):
                    use.MakesLabelColumn = true;
                    break;
                case Keyword { Arg: { } arg } k:
                    if (TrainerLabelNames.Contains(arg) || arg == "label_names")
                    {
                        use.MakesLabelColumn = true;
                    }

                    if (arg is "label_names" or "stratify_by_column" or "label_column")
                    {
                        AddStrings(k.Value);
                    }

                    if (TrainerLabelNames.Contains(arg))
                    {
                        AddColumnsRead(k.Value);
                    }

                    break;
                case Call call:
                    ReadCall(call);
                    break;
                case Assign assign when assign.Targets.Any(t => t is Subscript { Slice: var key } && IsLabelName(key)):
                    AddColumnsRead(assign.Value);
                    break;
                case Dict dict:
                    for (var i = 0; i < dict.Keys.Count; i++)
                    {
                        if (dict.Keys[i] is { } key && IsLabelName(key))
                        {
                            AddColumnsRead(dict.Values[i]);
                        }
                    }

                    break;
            }

            VisitChildren(node);
        }

        private void ReadCall(Call call)
        {
            switch (Code.MethodName(call))
            {
                case "rename_column" when call.Args.Count >= 2 && IsLabelName(call.Args[1]):
                    AddStrings(call.Args[0]);
                    break;
                case "rename_columns" or "rename":
                    var mapping = model.GetArgument(call, "columns") ?? model.GetArgument(call, "column_mapping", 0);
                    if (mapping is not null && model.TryEvaluate(mapping, out var v) && v is LiteralDict d)
                    {
                        foreach (var (from, to) in d.Entries)
                        {
                            if (to is string t && TrainerLabelNames.Contains(t) && from is string f)
                            {
                                use._sources.Add(f);
                            }
                        }
                    }

                    break;
                case "class_encode_column" or "align_labels_with_mapping":
                    if (call.Args.Count > 0)
                    {
                        AddStrings(call.Args[^1]);
                    }

                    break;
                case "cast_column" when call.Args.Count > 0:
                    AddStrings(call.Args[0]);
                    break;
            }
        }

        private bool IsLabelName(Expr expr) => model.EvaluateString(expr) is { } s && TrainerLabelNames.Contains(s);

        private void AddStrings(Expr expr)
        {
            if (!model.TryEvaluate(expr, out var v))
            {
                return;
            }

            IEnumerable<object?> items = v switch
            {
                LiteralList l => l.Items,
                LiteralTuple t => t.Items,
                _ => [v],
            };
            foreach (var item in items.OfType<string>().Where(s => !TrainerLabelNames.Contains(s)))
            {
                use._sources.Add(item);
            }
        }

        /// <summary>The columns an expression reads: the string keys of its subscripts (`df["intent"]`, `batch["intent"]`).</summary>
        private void AddColumnsRead(Expr expr) => new ColumnReads(model, use._sources).Visit(expr);
    }

    private sealed class ColumnReads(SemanticModel model, HashSet<string> sink) : SyntaxWalker
    {
        public override void Visit(Node node)
        {
            if (node is Subscript { Slice: var key } && model.EvaluateString(key) is { } column && !TrainerLabelNames.Contains(column))
            {
                sink.Add(column);
            }

            VisitChildren(node);
        }
    }
}
