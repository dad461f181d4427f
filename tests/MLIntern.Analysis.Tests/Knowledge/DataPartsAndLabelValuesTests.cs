using MLIntern.Analysis.Facts;
using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Knowledge;
using MLIntern.Analysis.Rules;
using MLIntern.Python.Parsing;
using MLIntern.Python.Semantics;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Tests.Knowledge;

/// <summary>
/// Which data a value is (<see cref="DataParts"/>) and which values are labels (<see cref="LabelValues"/>),
/// for the shapes real scripts use, with names that say nothing or say the wrong thing. Each source ends
/// with `probe(A)` or `probe(A, B)`.
/// </summary>
public sealed class DataPartsAndLabelValuesTests
{
    private static readonly DatasetInfo Tickets = new("data/tickets.csv", ["text", "intent"], "text", "intent", 16, true, ["train"]);

    private static (ScriptContext Context, Call Probe) Parse(string source)
    {
        var parse = Parser.Parse(source);
        var model = SemanticModel.Build(parse);
        var context = new ScriptContext(parse, model, path => path.EndsWith("tickets.csv", StringComparison.Ordinal) ? Tickets : null, new List<Finding>());
        return (context, model.Calls.Last(c => c.Func is Name { Id: "probe" }));
    }

    private static (DataPiece? A, DataPiece? B) Pieces(string source)
    {
        var (context, probe) = Parse(source);
        var parts = DataParts.Of(context);
        return (parts.PieceOf(probe.Args[0]), probe.Args.Count > 1 ? parts.PieceOf(probe.Args[1]) : null);
    }

    private static bool Labels(string source)
    {
        var (context, probe) = Parse(source);
        return LabelValues.Of(context).IsLabelData(probe.Args[0]);
    }

    private static bool UsedAsLabels(string source)
    {
        var (context, probe) = Parse(source);
        return LabelValues.Of(context).UsedAsLabels(probe.Args[0]);
    }

    [Fact]
    public void Parts_of_one_split_are_other_parts_whatever_they_are_called()
    {
        const string head = "from sklearn.model_selection import train_test_split\nimport pandas as pd\ndf = pd.read_csv('x.csv')\n";
        var (a, b) = Pieces(head + "a, b = train_test_split(df)\nc = a\nprobe(c['y'], b['y'])\n");
        Assert.True(a!.OtherPartOf(b!));
        // A helper that returns the split: the parts its call made.
        (a, b) = Pieces(head + "def carve(f):\n    return train_test_split(f, test_size=0.1)\nfirst, second = carve(df)\nprobe(first.y, second.y)\n");
        Assert.True(a!.OtherPartOf(b!));
        // Different columns, or the features of one part and the labels of another, are different data.
        (a, b) = Pieces(head + "a, b = train_test_split(df)\nprobe(a['y'], b['z'])\n");
        Assert.False(a!.OtherPartOf(b!));
        (a, b) = Pieces(head + "xa, xb, ya, yb = train_test_split(df['t'], df['y'])\nprobe(xa, yb)\n");
        Assert.False(a!.OtherPartOf(b!));
    }

    [Fact]
    public void Names_that_say_train_and_test_for_one_object_are_the_same_data()
    {
        var (a, b) = Pieces("import pandas as pd\ntrain_df = pd.read_csv('x.csv')\ntest_df = train_df\nprobe(train_df['y'], test_df['y'])\n");
        Assert.True(a!.SameData(b!));
        Assert.False(a.OtherPartOf(b!));
        // Unknown data has no piece.
        Assert.Null(Pieces("import pandas as pd\nprobe(train_df['y'])\n").A);
    }

    [Fact]
    public void Named_splits_samples_and_the_rows_left_are_parts()
    {
        var (a, b) = Pieces("from datasets import load_dataset\nraw = load_dataset('csv', data_files='x.csv')\nprobe(raw['test']['y'], raw['train']['y'])\n");
        Assert.True(a!.OtherPartOf(b!));
        (a, b) = Pieces("import pandas as pd\ndf = pd.read_csv('x.csv')\nk = df.sample(frac=0.8)\nr = df.drop(k.index)\nprobe(k['y'], r['y'])\n");
        Assert.True(a!.OtherPartOf(b!));
        // A data set loaded with split= is one Dataset: its keys are columns.
        (a, b) = Pieces("from datasets import load_dataset\nd = load_dataset('csv', data_files='x.csv', split='train')\nprobe(d['y'])\n");
        Assert.Equal("y", a!.Column);
        Assert.Null(a.Part);
    }

    [Fact]
    public void Label_data_is_read_from_the_label_column_and_loops_over_it()
    {
        const string head = "import pandas as pd\ndf = pd.read_csv('data/tickets.csv')\n";
        Assert.True(Labels(head + "probe(set(df['intent']))\n"));
        Assert.True(Labels(head + "names = sorted(df.intent.unique())\nprobe(names)\n"));
        Assert.True(Labels(head + "out = [probe(v) for v in df['intent']]\n"));
        Assert.True(Labels(head + "for i, v in enumerate(df['intent'].tolist()):\n    probe(v)\n"));
        Assert.True(Labels(head + "df['intent'].map(lambda v: probe(v))\n"));
        Assert.True(Labels(head + "def encode(example):\n    return probe(example['intent'])\n"));
        // Another column, an index of enumerate, unknown data.
        Assert.False(Labels(head + "probe(set(df['text']))\n"));
        Assert.False(Labels(head + "for i, v in enumerate(df['intent']):\n    probe(i)\n"));
        Assert.False(Labels(head + "probe(set(rows))\n"));
    }

    [Fact]
    public void A_value_is_used_as_labels_by_where_it_goes()
    {
        const string head = "import pandas as pd\ndf = pd.read_csv('data/tickets.csv')\nm = probe({})\n";
        Assert.True(UsedAsLabels(head + "model = M.from_pretrained('x', id2label=m)\n"));
        Assert.True(UsedAsLabels(head + "n = m\nmodel = M.from_pretrained('x', num_labels=len(n))\n"));
        Assert.True(UsedAsLabels(head + "inv = {v: k for k, v in m.items()}\nmodel.config.id2label = inv\n"));
        Assert.True(UsedAsLabels(head + "df['y'] = df['intent'].map(m)\n"));
        Assert.True(UsedAsLabels(head + "ids = [m[x] for x in df['intent']]\n"));
        Assert.True(UsedAsLabels(head + "ids = df.intent.apply(m.get)\n"));
        Assert.True(UsedAsLabels("def f():\n    return probe({})\nq = f()\nfeature = ClassLabel(names=list(q))\n".Replace("ClassLabel", "datasets.ClassLabel").Insert(0, "import datasets\n")));
        // Printed, or looked up with another column's values: not labels.
        Assert.False(UsedAsLabels(head + "print(len(m))\n"));
        Assert.False(UsedAsLabels(head + "ids = [m[w] for w in df['text']]\n"));
    }
}
