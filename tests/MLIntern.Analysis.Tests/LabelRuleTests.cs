using MLIntern.Analysis.Facts;
using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

/// <summary>Label and model rules (MLI101–MLI106) on inputs a single fixture cannot hold: no data facts, several data sets, file-wide evidence.</summary>
public sealed class LabelRuleTests
{
    private const string Head = "from transformers import AutoModelForSequenceClassification as M\n";

    private static readonly DatasetInfo Tickets = new("/p/tickets.csv", ["instruction", "category", "intent"], "instruction", "intent", 16, true, ["train"]);

    private static IReadOnlyList<Finding> Check(string code, string source, DatasetLookup? datasets = null) =>
        ScriptChecker.Check(source, datasets, new HashSet<string> { code });

    private static DatasetLookup Only(string path, DatasetInfo info) => written => written == path ? info : null;

    [Fact]
    public void MLI105_without_facts_uses_a_literal_num_labels_above_two()
    {
        Assert.Empty(Check("MLI105", Head + "m = M.from_pretrained('x')\n"));
        Assert.Empty(Check("MLI105", Head + "m = M.from_pretrained('x', num_labels=2)\n"));
        var finding = Assert.Single(Check("MLI105", Head + "m = M.from_pretrained('x', num_labels=3)\n"));
        Assert.Contains("num_labels=3", finding.Message);
        Assert.Single(Check("MLI105", Head + "labels = ['a', 'b', 'c']\nm = M.from_pretrained('x', num_labels=len(labels))\n"));
    }

    [Fact]
    public void MLI105_is_silent_when_the_names_are_set_after_creation()
    {
        Assert.Empty(Check("MLI105", Head + "m = M.from_pretrained('x', num_labels=3)\nm.config.id2label = {0: 'a', 1: 'b', 2: 'c'}\n"));
        Assert.Empty(Check("MLI105", Head + "m = M.from_pretrained('x', num_labels=3)\nm.config.update({'id2label': names})\n"));
        Assert.Empty(Check("MLI105", Head + "m = M.from_pretrained('x', num_labels=3)\nsetattr(m.config, 'label2id', ids)\n"));
    }

    [Fact]
    public void MLI105_uses_facts_only_when_the_script_labels_that_column()
    {
        var read = "import pandas as pd\ndf = pd.read_csv('tickets.csv')\n";
        Assert.Single(Check("MLI105", Head + read + "m = M.from_pretrained('x')\n", Only("tickets.csv", Tickets)));
        // The script trains on `category`, whose class count the facts do not give.
        Assert.Empty(Check("MLI105", Head + read + "df = df.rename(columns={'category': 'label'})\nm = M.from_pretrained('x')\n", Only("tickets.csv", Tickets)));
    }

    [Fact]
    public void MLI103_stays_silent_outside_ML_files()
    {
        Assert.Empty(Check("MLI103", "ids = {l: i for i, l in enumerate(set(rows))}\nmodel.config.label2id = ids\n"));
        Assert.Single(Check("MLI103", "import torch\nids = {l: i for i, l in enumerate(set(rows))}\nmodel.config.label2id = ids\n"));
    }

    [Fact]
    public void MLI103_decides_by_use_not_by_name()
    {
        // Named after labels but never used as labels: not a label mapping.
        Assert.Empty(Check("MLI103", "import torch\nlabel2id = {l: i for i, l in enumerate(set(rows))}\nprint(label2id)\n"));
        // A neutral name, an alias and a helper's return, then the model's num_labels and a lookup by each label.
        Assert.Single(Check("MLI103", "import torch\nm = dict(zip(set(rows), range(9)))\nk = m\nmodel = M.from_pretrained('x', num_labels=len(k))\n"));
        Assert.Single(Check("MLI103", "import torch\ndef f(v):\n    return {x: i for i, x in enumerate(set(v))}\nq = f(rows)\nout = [q[r['label']] for r in records]\n"));
    }

    [Fact]
    public void MLI102_without_facts_compares_with_the_label_set_the_script_uses()
    {
        const string classes = "from datasets import ClassLabel\nlabels = ['neg', 'pos', 'neutral']\nfeature = ClassLabel(names=labels)\n";
        var finding = Assert.Single(Check("MLI102", Head + classes + "m = M.from_pretrained('x')\n"));
        Assert.Equal("num_labels is missing, so the model gets 2 outputs, but `labels` (line 3) lists 3 classes", finding.Message);
        Assert.Equal("Pass num_labels=len(labels)", finding.Fix!.Title);
        Assert.Empty(Check("MLI102", Head + classes + "m = M.from_pretrained('x', num_labels=len(labels))\n"));
        Assert.Empty(Check("MLI102", Head + classes.Replace(", 'neutral'", "") + "m = M.from_pretrained('x')\n"));
        // A list is evidence by what the script does with it, not by its name: one only printed says nothing.
        Assert.Empty(Check("MLI102", Head + "labels = ['neg', 'pos', 'neutral']\nprint(labels)\nm = M.from_pretrained('x')\n"));
        // Whatever its name, a list mapped onto the label column is the label set.
        var topics = Assert.Single(Check("MLI102", Head + "TOPICS = ['a', 'b', 'c', 'd']\ndf['label'] = df['topic'].map({t: i for i, t in enumerate(TOPICS)})\nm = M.from_pretrained('x')\n"));
        Assert.Contains("4 classes", topics.Message);
    }

    [Fact]
    public void MLI102_is_silent_when_two_data_sets_disagree()
    {
        var other = Tickets with { Path = "/p/other.csv", ClassCount = 4 };
        DatasetLookup lookup = p => p switch { "tickets.csv" => Tickets, "other.csv" => other, _ => null };
        var read = "import pandas as pd\na = pd.read_csv('tickets.csv')\nb = pd.read_csv('other.csv')\n";
        Assert.Empty(Check("MLI102", Head + read + "m = M.from_pretrained('x')\n", lookup));
        Assert.Single(Check("MLI102", Head + "import pandas as pd\na = pd.read_csv('tickets.csv')\nm = M.from_pretrained('x')\n", lookup));
    }

    [Theory]
    [InlineData("df = df.rename(columns={'intent': 'label'})")]
    [InlineData("df['labels'] = df['intent']")]
    [InlineData("LABEL = 'label'\nds = ds.rename_column('intent', LABEL)")]
    [InlineData("ds = ds.map(lambda b: {'labels': [ids[x] for x in b['intent']]})")]
    [InlineData("args = TrainingArguments('out', label_names=['intent'])")]
    [InlineData("df = df.assign(label=df.intent)")]
    public void MLI106_is_silent_when_the_script_makes_a_label_column(string rename)
    {
        var source = """
            import pandas as pd
            from datasets import Dataset
            from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments
            model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=16)
            df = pd.read_csv("tickets.csv")
            ds = Dataset.from_pandas(df)
            trainer = Trainer(model=model, train_dataset=ds)

            """;
        Assert.Single(Check("MLI106", source, Only("tickets.csv", Tickets)));
        Assert.Empty(Check("MLI106", source + rename + "\n", Only("tickets.csv", Tickets)));
    }

    [Theory]
    [InlineData("from sklearn.preprocessing import LabelEncoder as LE\ndf['intent'] = LE().fit_transform(df['intent'])")]
    [InlineData("df['intent'] = pd.factorize(df['intent'])[0]")]
    [InlineData("df['intent'] = df['intent'].astype('category').cat.codes")]
    [InlineData("label2id = {l: i for i, l in enumerate(sorted(df['intent'].unique()))}\ndf['intent'] = df['intent'].map(label2id)")]
    [InlineData("df['intent'] = df['intent'].replace({'track_order': 0, 'get_refund': 1})")]
    [InlineData("ds = ds.class_encode_column('intent')")]
    [InlineData("from datasets import ClassLabel\nds = ds.cast_column('intent', ClassLabel(names=names))")]
    [InlineData("ids = {n: i for i, n in enumerate(names)}\nds = ds.map(lambda b: {'intent': [ids[x] for x in b['intent']]})")]
    [InlineData("ds = ds.map(lambda b: {'intent': [label_names.index(x) for x in b['intent']]}, batched=True)")]
    [InlineData("import numpy as np\n_, codes = np.unique(df['intent'], return_inverse=True)")]
    public void MLI101_is_silent_when_the_script_encodes_labels(string encode)
    {
        var source = """
            import pandas as pd
            from datasets import Dataset
            from transformers import AutoModelForSequenceClassification, Trainer
            model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=16)
            df = pd.read_csv("tickets.csv")
            ds = Dataset.from_pandas(df)

            """;
        const string train = "trainer = Trainer(model=model, train_dataset=ds)\n";
        Assert.Single(Check("MLI101", source + train, Only("tickets.csv", Tickets)));
        Assert.Empty(Check("MLI101", source + encode + "\n" + train, Only("tickets.csv", Tickets)));
    }

    [Fact]
    public void MLI101_a_mapping_named_after_labels_is_not_encoding()
    {
        var source = """
            import pandas as pd
            from datasets import Dataset
            from transformers import AutoModelForSequenceClassification, Trainer
            model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=16)
            df = pd.read_csv("tickets.csv")

            """;
        const string train = "trainer = Trainer(model=model, train_dataset=Dataset.from_pandas(df))\n";
        Assert.Single(Check("MLI101", source + "label2id = {'a': 0}\nprint(label2id['a'], label_names.index('a'))\n" + train, Only("tickets.csv", Tickets)));
        Assert.Empty(Check("MLI101", source + "order = sorted(df['intent'].unique())\nk = {n: i for i, n in enumerate(order)}\ndf['intent'] = [k[v] for v in df['intent']]\n" + train, Only("tickets.csv", Tickets)));
        Assert.Empty(Check("MLI101", source + "order = sorted(df['intent'].unique())\ndf['intent'] = df['intent'].apply(lambda v: order.index(v))\n" + train, Only("tickets.csv", Tickets)));
    }

    [Fact]
    public void MLI101_is_silent_when_the_script_labels_another_column()
    {
        var source = "import pandas as pd\nfrom datasets import Dataset\nfrom transformers import Trainer\n" +
            "df = pd.read_csv('tickets.csv').rename(columns={'category': 'label'})\ntrainer = Trainer(model=model, train_dataset=Dataset.from_pandas(df))\n";
        Assert.Empty(Check("MLI101", source, Only("tickets.csv", Tickets)));
    }

    [Fact]
    public void MLI104_needs_two_splits_of_one_column()
    {
        const string head = "import pandas as pd\nfrom sklearn.model_selection import train_test_split\ntrain_df, test_df = train_test_split(df)\n";
        Assert.Single(Check("MLI104", head + "a = train_df['y'].factorize()\nb = test_df['y'].factorize()\n"));
        // Different columns, or the same split twice, are separate encodings of separate things.
        Assert.Empty(Check("MLI104", head + "a = train_df['y'].factorize()\nb = test_df['z'].factorize()\n"));
        Assert.Empty(Check("MLI104", head + "a = train_df['y'].factorize()\nb = train_df['y'].factorize()\n"));
        // Unrelated frames that merely share a column name.
        Assert.Empty(Check("MLI104", "import pandas as pd\na = users['kind'].factorize()\nb = items['kind'].factorize()\n"));
        // Names do not decide: parts called `a`/`b` are two splits; `train_df`/`test_df` holding one object are one.
        Assert.Single(Check("MLI104", "import pandas as pd\nfrom sklearn.model_selection import train_test_split\na, b = train_test_split(df)\nx = a['y'].factorize()\ny = b['y'].factorize()\n"));
        Assert.Empty(Check("MLI104", "import pandas as pd\ntrain_df = pd.read_csv('d.csv')\ntest_df = train_df\nx = train_df['y'].factorize()\ny = test_df['y'].factorize()\n"));
        // No ML import: not a training script.
        Assert.Empty(Check("MLI104", "train_df, test_df = split(df)\na = train_df['y'].factorize()\nb = test_df['y'].factorize()\n"));
    }

    [Fact]
    public void Added_keywords_follow_the_file_layout_and_line_endings()
    {
        var source = Head.Replace("\n", "\r\n") + "from datasets import ClassLabel\r\nlabels = ['a', 'b', 'c']\r\nf = ClassLabel(names=labels)\r\nm = M.from_pretrained(\r\n\t'x',\r\n\tproblem_type='single_label_classification'\r\n)\r\n";
        var fix = Assert.Single(Check("MLI102", source)).Fix!;
        Assert.Equal(",\r\n\tnum_labels=len(labels)", Assert.Single(fix.Edits).NewText);
        Assert.Null(Assert.Single(Check("MLI102", Head + "from datasets import ClassLabel\nlabels = ['a', 'b', 'c']\nf = ClassLabel(names=labels)\nm = M.from_pretrained('x'\n")).Fix);
        var empty = Assert.Single(Check("MLI102", "import transformers\nfrom datasets import ClassLabel\nlabels = ['a', 'b', 'c']\nf = ClassLabel(names=labels)\nm = transformers.BertForSequenceClassification.from_pretrained()\n")).Fix!;
        Assert.Equal("num_labels=len(labels)", Assert.Single(empty.Edits).NewText);
    }

    [Fact]
    public void MLI106_copies_the_column_in_the_file_quote_style()
    {
        const string source = "import pandas as pd\nfrom datasets import Dataset\nfrom transformers import AutoModelForSequenceClassification, Trainer\n" +
            "model = AutoModelForSequenceClassification.from_pretrained('x', num_labels=16)\ndf = pd.read_csv('tickets.csv')\n" +
            "trainer = Trainer(model=model, train_dataset=Dataset.from_pandas(df))\n";
        var fix = Assert.Single(Check("MLI106", source, Only("tickets.csv", Tickets))).Fix!;
        Assert.Equal(".assign(label=lambda frame: frame['intent'])", Assert.Single(fix.Edits).NewText);
    }

    /// <summary>Half-typed scripts: every line-prefix of every label fixture, and every prefix cut mid-line, checks without throwing.</summary>
    [Theory]
    [InlineData("MLI101")]
    [InlineData("MLI102")]
    [InlineData("MLI103")]
    [InlineData("MLI104")]
    [InlineData("MLI105")]
    [InlineData("MLI106")]
    public void Every_prefix_of_a_fixture_checks_without_throwing(string code)
    {
        var folder = Path.Combine(FixtureRoot(), "Fixtures");
        var source = File.ReadAllText(Path.Combine(folder, code + ".py"));
        var datasets = FixtureDatasets.Lookup(folder);
        for (var end = 0; end < source.Length; end += 7)
        {
            ScriptChecker.Check(source[..end], datasets);
        }
    }

    private static string FixtureRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "MLIntern.Analysis.Tests.csproj")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("test project folder not found");
        }

        return dir;
    }
}
