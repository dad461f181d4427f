using MLIntern.Analysis.Findings;
using MLIntern.Analysis.Rules;

namespace MLIntern.Analysis.Tests;

/// <summary>Split rules (MLI301–303): the facts that silence them, which one fixture file cannot show.</summary>
public sealed class SplitRuleTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Fixtures");

    private static IReadOnlyList<Finding> Check(string code, string source) =>
        ScriptChecker.Check(source, FixtureDatasets.Lookup(Fixtures), new HashSet<string> { code });

    [Theory]
    [InlineData("import numpy as np\nnp.random.seed(0)\n")]
    [InlineData("from transformers import set_seed\nset_seed(42)\n")]
    [InlineData("import lightning as L\nL.seed_everything(1)\n")]
    public void A_global_seed_makes_unseeded_sklearn_and_datasets_splits_reproducible(string seed)
    {
        const string split = "from sklearn.model_selection import train_test_split\nfrom datasets import load_dataset\na, b = train_test_split([1, 2, 3])\nds = load_dataset('imdb')['train'].train_test_split(0.1)\n";
        Assert.Equal(2, Check("MLI303", split).Count);
        Assert.Empty(Check("MLI303", seed + split));
    }

    [Fact]
    public void Torch_random_split_is_seeded_by_torch_manual_seed_only()
    {
        const string split = "import torch\nfrom torch.utils.data import random_split\na, b = random_split(range(10), [8, 2])\n";
        Assert.Single(Check("MLI303", split));
        Assert.Single(Check("MLI303", "import numpy as np\nnp.random.seed(0)\n" + split));
        Assert.Empty(Check("MLI303", "import torch\ntorch.manual_seed(0)\n" + split));
    }

    [Fact]
    public void Stratify_is_asked_for_only_when_the_data_set_has_a_known_label()
    {
        const string split = "import pandas as pd\nfrom sklearn.model_selection import train_test_split\ndf = pd.read_csv('{0}')\na, b = train_test_split(df, random_state=0)\n";
        Assert.Contains("intents_small.csv has 4 classes in column `intent`", Assert.Single(Check("MLI303", string.Format(split, "intents_small.csv"))).Message);
        Assert.Empty(Check("MLI303", string.Format(split, "unknown.csv")));
    }
}
