using MLIntern.Analysis.Facts;
using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Knowledge;
using MLIntern.Analysis.Rules;
using MLIntern.Python.Parsing;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Tests.Knowledge;

/// <summary>
/// What the value flow finds for the shapes real scripts use. Each source ends with `probe(EXPR)`;
/// the test asks for the value of EXPR there.
/// </summary>
public sealed class ValueFlowTests
{
    private static readonly DatasetInfo Tickets = new("data/tickets.csv", ["text", "intent"], "text", "intent", 16, true, ["train"]);

    private static Value Probe(string source, DatasetInfo? data = null)
    {
        var parse = Parser.Parse(source);
        var model = SemanticModel.Build(parse);
        var context = new ScriptContext(parse, model, data is null ? null : path => path.EndsWith(".csv", StringComparison.Ordinal) ? data : null, new List<Finding>());
        var probe = model.Calls.Last(c => c.Func is Name { Id: "probe" });
        return ValueFlow.Of(context).Evaluate(probe.Args[0]);
    }

    private static long? Count(string source, DatasetInfo? data = null) => ValueFlow.CountOf(Probe(source, data));

    private static object? Scalar(string source, DatasetInfo? data = null) => Probe(source, data) is ScalarValue s ? s.Constant : "unknown";

    [Fact]
    public void A_label_set_made_from_a_data_set_column_has_the_data_set_class_count()
    {
        const string head = "import pandas as pd\ndf = pd.read_csv('data/tickets.csv')\n";
        Assert.Equal(16, Count(head + "names = sorted(set(df['intent']))\nprobe(names)\n", Tickets));
        Assert.Equal(16, Count(head + "probe(df.intent.unique())\n", Tickets));
        Assert.Equal(16L, Assert.IsType<ScalarValue>(Probe(head + "probe(df['intent'].nunique())\n", Tickets)).Constant);
        // Another column's distinct values are not known.
        Assert.Null(Count(head + "probe(df['text'].unique())\n", Tickets));
        const string hf = "from datasets import load_dataset\nds = load_dataset('csv', data_files='data/tickets.csv')\n";
        Assert.Equal(16, Count(hf + "probe(ds['train'].features['intent'].names)\n", Tickets));
        Assert.Equal(16L, Scalar(hf + "label_list = ds['train'].unique('intent')\nlabel_list.sort()\nnum_labels = len(label_list)\nprobe(num_labels)\n", Tickets));
    }

    [Fact]
    public void A_data_set_read_through_a_dataclass_default_a_config_key_or_an_attribute_is_the_data_set()
    {
        // The path of the load is not a literal: the value flow finds it, so the label column's facts apply.
        const string dataclass = "from dataclasses import dataclass, field\nfrom datasets import load_dataset\nfrom transformers import HfArgumentParser\n" +
                                 "@dataclass\nclass DataArgs:\n    csv_path: str = field(default='data/tickets.csv')\n" +
                                 "def main():\n    (dargs,) = HfArgumentParser(DataArgs).parse_args_into_dataclasses()\n" +
                                 "    raw = load_dataset('csv', data_files=dargs.csv_path)['train']\n    probe(sorted(set(raw['intent'])))\nmain()\n";
        Assert.Equal(16, Count(dataclass, Tickets));
        const string config = "import pandas as pd\nCFG = {'paths': {'data': 'data/tickets.csv'}}\ndef run(cfg):\n    df = pd.read_csv(cfg['paths']['data'])\n    probe(df['intent'].unique())\nrun(CFG)\n";
        Assert.Equal(16, Count(config, Tickets));
        const string attribute = "import pandas as pd\nclass Data:\n    def __init__(self, path):\n        self.path = path\n" +
                                 "    def setup(self):\n        frame = pd.read_csv(self.path)\n        probe(frame['intent'].nunique())\nData('data/tickets.csv').setup()\n";
        Assert.Equal(16L, Scalar(attribute, Tickets));
        // Two constructions with different paths: which file is not known.
        Assert.Equal("unknown", Scalar(attribute + "Data('data/other.csv')\n", Tickets));
    }

    [Fact]
    public void Values_travel_through_aliases_helpers_and_parameters()
    {
        Assert.Equal(3, Count("LABELS = ['a', 'b', 'c']\nclasses = LABELS\nprobe(classes)\n"));
        Assert.Equal(3, Count("def get_labels():\n    return ['a', 'b', 'c']\nprobe(get_labels())\n"));
        Assert.Equal(4, Count("TOPICS = ['a', 'b', 'c', 'd']\ndef build(names):\n    return {n: i for i, n in enumerate(names)}\nprobe(build(TOPICS))\n"));
        // A parameter of a function called once holds that call's argument; called with two values, it is unknown.
        Assert.Equal(2L, Scalar("def f(n):\n    probe(n)\nf(2)\n"));
        Assert.Equal("unknown", Scalar("def f(n):\n    probe(n)\nf(2)\nf(3)\n"));
        Assert.Equal(5L, Scalar("def f(n=5):\n    probe(n)\nf()\n"));
    }

    [Fact]
    public void Configuration_defaults_are_read_from_argparse_dataclasses_and_classes()
    {
        Assert.Equal(5L, Scalar("import argparse\np = argparse.ArgumentParser()\np.add_argument('--num-labels', type=int, default=5)\nargs = p.parse_args()\nprobe(args.num_labels)\n"));
        Assert.Equal(7L, Scalar("""
            from dataclasses import dataclass, field
            from transformers import HfArgumentParser, TrainingArguments
            @dataclass
            class DataArguments:
                num_labels: int = field(default=7, metadata={"help": "classes"})
            parser = HfArgumentParser((DataArguments, TrainingArguments))
            data_args, training_args = parser.parse_args_into_dataclasses()
            probe(data_args.num_labels)
            """));
        Assert.Equal(3L, Scalar("class CFG:\n    n_classes = 3\nprobe(CFG.n_classes)\n"));
        Assert.Equal(3L, Scalar("class CFG:\n    n_classes = 3\ncfg = CFG()\nprobe(cfg.n_classes)\n"));
        Assert.Equal(4L, Scalar("class Head:\n    def __init__(self, k):\n        self.k = k\nh = Head(4)\nprobe(h.k)\n"));
        Assert.Equal(6L, Scalar("from dataclasses import dataclass\n@dataclass\nclass C:\n    n: int = 2\nc = C(n=6)\nprobe(c.n)\n"));
    }

    [Fact]
    public void Dicts_fstrings_and_in_place_changes()
    {
        Assert.Equal(3L, Scalar("cfg = dict(num_labels=3, lr=1e-5)\nprobe(cfg['num_labels'])\n"));
        Assert.Equal(3L, Scalar("base = {'num_labels': 3}\ncfg = {**base, 'lr': 1}\nprobe(cfg.get('num_labels'))\n"));
        Assert.Equal("bert-base", Scalar("name = 'bert'\nprobe(f'{name}-base')\n"));
        Assert.False(Assert.IsType<CollectionValue>(Probe("labels = list(set(rows))\nprobe(labels)\n")).Ordered);
        Assert.True(Assert.IsType<CollectionValue>(Probe("labels = list(set(rows))\nlabels.sort()\nprobe(labels)\n")).Ordered);
        // Appended to after it was written: its size is no longer what the literal says.
        Assert.Null(Count("labels = ['a', 'b']\nlabels.append('c')\nprobe(labels)\n"));
        Assert.Equal(3, Count("labels = ['a', 'b', 'a', 'c']\nprobe(set(labels))\n"));
    }

    [Fact]
    public void Unknown_is_an_answer_and_the_search_is_bounded()
    {
        Assert.True(Probe("probe(x)\n").IsUnknown);
        Assert.True(Probe("def f(n):\n    return f(n + 1)\nprobe(f(0))\n").IsUnknown);
        Assert.True(Probe("def f(a):\n    if a:\n        return 1\n    return 2\nprobe(f(z))\n").IsUnknown);
        var chain = string.Concat(Enumerable.Range(1, 400).Select(i => $"v{i} = v{i - 1}\n"));
        Assert.True(Probe("v0 = 1\n" + chain + "probe(v400)\n").IsUnknown);
    }

    [Theory]
    [InlineData("def load(path):\n    return path\nload('data/a.csv')\nload('data/a.csv')\n", "data/a.csv")]
    [InlineData("def load(path):\n    return path\nload('data/a.csv')\nload('data/b.csv')\n", null)]
    [InlineData("def load(path='data/c.csv'):\n    return path\nload()\n", "data/c.csv")]
    [InlineData("def load(path):\n    return path\nload(*rest)\n", null)]
    public void A_data_path_through_a_parameter_is_what_every_call_passes(string source, string? expected)
    {
        var model = SemanticModel.Build(Parser.Parse(source));
        var returned = model.Tree.Body.OfType<FunctionDef>().Single().Body.OfType<Return>().Single().Value!;
        Assert.Equal(expected, DatasetLoads.EvaluatePath(model, returned));
    }
}
