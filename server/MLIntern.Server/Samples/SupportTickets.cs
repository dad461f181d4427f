using System.Globalization;
using System.Text;

namespace MLIntern.Server.Samples;

/// <summary>
/// A small support-ticket text-classification project, made from a seed so every machine gets the
/// same bytes: a Bitext-like data set (instruction, category, intent) with templated
/// near-duplicates, <c>{{Order Number}}</c> placeholders, a rare intent, personal data in a few
/// tickets, the same text under two intents, one unquoted comma — and a Trainer script with the
/// bugs people really ship. It is the material of the README's main command and of the tests.
/// </summary>
internal static class SupportTickets
{
    public const string DataPath = "data/tickets.csv";

    /// <summary>The split folder: <c>data/train.csv</c> and <c>data/test.csv</c>, with planted leakage.</summary>
    public const string TrainPath = "data/train.csv";

    public const string TestPath = "data/test.csv";
    public const string ScriptPath = "train.py";

    /// <summary>A Jupyter notebook exploring the same data, with one bug of its own (MLI103) and a saved output.</summary>
    public const string NotebookPath = "explore.ipynb";

    /// <summary>The files of the project, by relative path, and where the planted CSV defect sits.</summary>
    public sealed record Project(IReadOnlyDictionary<string, string> Files, int RaggedLine, Planted Splits);

    /// <summary>
    /// What the generator planted in <c>data/train.csv</c> + <c>data/test.csv</c>, counted the way the MLD
    /// checks count: rows repeating an earlier text of their split (MLD002), texts under two labels
    /// (MLD003), rows with personal data (MLD008) or a placeholder (MLD009), test rows that are train
    /// texts exactly or nearly (MLD007), classes under 10 rows (MLD006). Every other text is unique, so
    /// the exact kinds are exact; the templates make more near-duplicates than the planted ones.
    /// </summary>
    public sealed record Planted(
        int ExactDuplicates,
        int ConflictingLabels,
        int NearDuplicates,
        int PersonalDataRows,
        int PlaceholderRows,
        int TrainTestExact,
        int TrainTestNear,
        int RareClasses);

    private sealed record Intent(string Category, string Name, string[] Templates, int Count);

    private static readonly Intent[] Intents =
    [
        new("ORDER", "cancel_order", ["cancel order {{Order Number}}", "I want to cancel my order {{Order Number}}", "can you help me cancel the order I made", "how do I cancel purchase {{Order Number}}", "i need to cancel an order"], 90),
        new("ORDER", "change_order", ["I want to change order {{Order Number}}", "can I modify my order", "need to add an item to my order", "how can I edit the order I placed"], 80),
        new("ORDER", "track_order", ["where is my order {{Order Number}}", "track order {{Order Number}}", "I would like to know the status of my order", "has my order shipped yet"], 95),
        new("REFUND", "get_refund", ["I want a refund", "how do I get my money back", "request a refund for order {{Order Number}}", "can I get reimbursed for my purchase"], 85),
        new("REFUND", "track_refund", ["where is my refund", "check the status of my refund", "when will I receive my refund for {{Order Number}}", "has my refund been processed"], 70),
        new("PAYMENT", "payment_issue", ["my payment was declined", "I have a problem with a payment", "the card payment failed twice", "there's an error when I pay"], 75),
        new("PAYMENT", "check_payment_methods", ["which payment methods do you accept", "can I pay with paypal", "do you take credit cards", "list the payment options"], 60),
        new("ACCOUNT", "create_account", ["I want to open an account", "how do I sign up", "create a new account for me", "register a user account"], 65),
        new("ACCOUNT", "delete_account", ["delete my account", "I want to close my account {{Account Number}}", "how can I remove my profile", "please erase my user account"], 55),
        new("ACCOUNT", "recover_password", ["I forgot my password", "reset my password please", "can't log in, help me recover my password", "how do I get a new password"], 80),
        new("DELIVERY", "delivery_options", ["what shipping options do you have", "do you offer express delivery", "which delivery methods are available"], 50),
        new("DELIVERY", "delivery_period", ["how long does delivery take", "when will my package arrive", "what is the delivery time to {{Delivery City}}"], 45),
        new("SHIPPING_ADDRESS", "change_shipping_address", ["change my shipping address", "I moved, update my delivery address", "can I ship order {{Order Number}} to a new address"], 40),
        new("CONTACT", "contact_human_agent", ["let me talk to a human", "I need to speak with an agent", "connect me to a real person"], 45),
        new("FEEDBACK", "complaint", ["I want to file a complaint", "your service is terrible", "I'm unhappy with how my issue was handled"], 35),
        new("CANCELLATION_FEE", "check_cancellation_fee", ["is there a fee to cancel", "how much does cancelling cost"], 6),
    ];

    private static readonly string[] Openers = ["", "", "", "hi, ", "hello ", "hey ", "good morning, ", "excuse me "];
    private static readonly string[] Closers = ["", "", "", " please", " thanks", " asap", "?", "!!"];

    public static Project Generate(int seed = 7)
    {
        var random = new Random(seed);
        var rows = new List<(string Text, string Category, string Intent)>();
        foreach (var intent in Intents)
        {
            for (var i = 0; i < intent.Count; i++)
            {
                var template = intent.Templates[random.Next(intent.Templates.Length)];
                var text = Openers[random.Next(Openers.Length)] + template + Closers[random.Next(Closers.Length)];
                if (random.Next(6) == 0)
                {
                    // Some tickets have the slot filled in, as real customers write them.
                    text = text.Replace("{{Order Number}}", "#" + random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                }

                if (random.Next(9) == 0)
                {
                    text = text.ToUpperInvariant();
                }

                rows.Add((text, intent.Category, intent.Name));
            }
        }

        // Personal data that has no business in a training set.
        rows.Add(("my email is jane.doe@example.com, where is my order {{Order Number}}", "ORDER", "track_order"));
        rows.Add(("call me back on +1 415 555 0134 about my refund", "REFUND", "track_refund"));
        // The same text under two intents: the model is asked to learn a contradiction.
        rows.Add(("I need help with my order", "ORDER", "change_order"));
        rows.Add(("I need help with my order", "ORDER", "track_order"));

        Shuffle(rows, random);

        var csv = new StringBuilder("instruction,category,intent\n");
        var line = 1;
        var ragged = 0;
        var raggedAt = rows.Count / 3;
        for (var i = 0; i < rows.Count; i++)
        {
            line++;
            var (text, category, intentName) = rows[i];
            if (i == raggedAt)
            {
                // The planted defect: a comma in the text, written without quotes (MLD012).
                csv.Append("where is my refund, it has been two weeks,REFUND,track_refund\n");
                ragged = line;
                continue;
            }

            csv.Append(Quote(text)).Append(',').Append(category).Append(',').Append(intentName).Append('\n');
        }

        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DataPath] = csv.ToString(),
            [ScriptPath] = TrainScript,
            [NotebookPath] = ExploreNotebook,
            ["README.md"] = Readme,
        };
        var (train, test, planted) = GenerateSplits(new Random(seed + 1));
        files[TrainPath] = train;
        files[TestPath] = test;
        return new Project(files, ragged, planted);
    }

    /// <summary>A ticket text from an intent's templates, with the variations real customers bring.</summary>
    private static string Ticket(Random random, Intent intent)
    {
        var template = intent.Templates[random.Next(intent.Templates.Length)];
        var text = Openers[random.Next(Openers.Length)] + template + Closers[random.Next(Closers.Length)];
        if (random.Next(6) == 0)
        {
            text = text.Replace("{{Order Number}}", "#" + random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return random.Next(9) == 0 ? text.ToUpperInvariant() : text;
    }

    /// <summary>
    /// A train/test pair made of unique tickets (about 80% / 20% of each intent), then the planted
    /// problems, each counted as it is planted.
    /// </summary>
    private static (string Train, string Test, Planted Planted) GenerateSplits(Random random)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var train = new List<(string Text, Intent Intent)>();
        var test = new List<(string Text, Intent Intent)>();
        foreach (var intent in Intents)
        {
            // Unique texts only: a chance repeat would be an unplanted duplicate. The guard bounds the retries.
            for (var i = 0; i < intent.Count; i++)
            {
                for (var guard = 0; guard < 1000; guard++)
                {
                    var text = Ticket(random, intent);
                    if (!text.Contains('@') && seen.Add(text.Trim()))
                    {
                        (i % 5 == 4 ? test : train).Add((text, intent));
                        break;
                    }
                }
            }
        }

        Shuffle(train, random);
        Shuffle(test, random);
        var byName = Intents.ToDictionary(i => i.Name);
        string Unique(string text) => seen.Add(text.Trim()) ? text : throw new InvalidOperationException($"planted text is not unique: {text}");

        // Personal data: three train rows, one test row.
        train.Insert(train.Count / 5, (Unique("my email is sam.lee@example.org, cancel order {{Order Number}}"), byName["cancel_order"]));
        train.Insert(train.Count / 2, (Unique("please call me at +44 20 7946 0958 about my refund"), byName["track_refund"]));
        train.Insert(train.Count * 3 / 4, (Unique("my card 4111 1111 1111 1111 was charged twice"), byName["payment_issue"]));
        test.Insert(test.Count / 2, (Unique("text me on 415-555-0199 when my order ships"), byName["track_order"]));
        const int personal = 4;

        // Exact duplicates in train (same label), and texts repeated under another label (each also a duplicate).
        var duplicates = 0;
        for (var i = 0; i < 5; i++)
        {
            var original = train[10 + (i * 37)];
            train.Add(original);
            duplicates++;
        }

        var conflicts = 0;
        foreach (var (from, to) in new[] { (60, "get_refund"), (200, "create_account") })
        {
            var original = train[from];
            var other = original.Intent.Name == to ? byName["complaint"] : byName[to];
            train.Add((original.Text, other));
            duplicates++;
            conflicts++;
        }

        // Near-duplicates in train: a ticket of six words or more with one word added.
        var near = 0;
        foreach (var original in train.Where(r => r.Text.Split(' ').Length >= 6).Take(4).ToList())
        {
            train.Add((Unique(original.Text + " today"), original.Intent));
            near++;
        }

        // Leakage: test rows that are train rows, exactly and with one word added.
        var leakedExact = 0;
        foreach (var original in train.Take(400).Where((_, i) => i % 97 == 3).Take(4).ToList())
        {
            test.Add(original);
            leakedExact++;
        }

        var leakedNear = 0;
        foreach (var original in train.Skip(400).Where(r => r.Text.Split(' ').Length >= 6).Take(3).ToList())
        {
            test.Add((Unique(original.Text + " again"), original.Intent));
            leakedNear++;
        }

        var placeholders = train.Concat(test).Count(r => r.Text.Contains("{{", StringComparison.Ordinal));
        var rare = Intents.Count(i => i.Count < 10);
        var planted = new Planted(duplicates, conflicts, near, personal, placeholders, leakedExact, leakedNear, rare);
        return (Csv(train), Csv(test), planted);
    }

    private static string Csv(List<(string Text, Intent Intent)> rows)
    {
        var csv = new StringBuilder("instruction,category,intent\n");
        foreach (var (text, intent) in rows)
        {
            csv.Append(Quote(text)).Append(',').Append(intent.Category).Append(',').Append(intent.Name).Append('\n');
        }

        return csv.ToString();
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static void Shuffle<T>(List<T> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private const string TrainScript = """
        import numpy as np
        import pandas as pd
        from datasets import Dataset
        from sklearn.metrics import f1_score
        from sklearn.model_selection import train_test_split
        from transformers import (
            AutoModelForSequenceClassification,
            AutoTokenizer,
            Trainer,
            TrainingArguments,
        )

        CHECKPOINT = "distilbert-base-uncased"

        df = pd.read_csv("data/tickets.csv")
        train_df, test_df = train_test_split(df, test_size=0.2)

        tokenizer = AutoTokenizer.from_pretrained(CHECKPOINT)


        def tokenize(batch):
            return tokenizer(batch["instruction"])


        train_ds = Dataset.from_pandas(train_df).map(tokenize, batched=True)
        test_ds = Dataset.from_pandas(test_df).map(tokenize, batched=True)

        model = AutoModelForSequenceClassification.from_pretrained(CHECKPOINT)


        def compute_metrics(eval_pred):
            logits, labels = eval_pred
            return {"f1": f1_score(labels, logits)}


        args = TrainingArguments(
            output_dir="out",
            evaluation_strategy="epoch",
            save_strategy="steps",
            load_best_model_at_end=True,
            metric_for_best_model="accuracy",
            num_train_epochs=3,
            per_device_train_batch_size=16,
            fp16=True,
            push_to_hub=True,
        )

        trainer = Trainer(
            model=model,
            args=args,
            train_dataset=train_ds,
            eval_dataset=train_ds,
            tokenizer=tokenizer,
            compute_metrics=compute_metrics,
        )
        trainer.train()
        print(trainer.evaluate(test_ds))

        """;

    /// <summary>nbformat 4 as Jupyter writes it (indent 1, sources as lists of lines), with an output kept from a run.</summary>
    private const string ExploreNotebook = """
        {
         "cells": [
          {
           "cell_type": "markdown",
           "metadata": {},
           "source": [
            "# Exploring the support tickets\n",
            "\n",
            "A quick look at `data/tickets.csv` and a TF-IDF baseline before fine-tuning."
           ]
          },
          {
           "cell_type": "code",
           "execution_count": 1,
           "metadata": {},
           "outputs": [],
           "source": [
            "%pip install -q pandas scikit-learn"
           ]
          },
          {
           "cell_type": "code",
           "execution_count": 2,
           "metadata": {},
           "outputs": [
            {
             "name": "stdout",
             "output_type": "stream",
             "text": [
              "rows: 979, intents: 16\n"
             ]
            }
           ],
           "source": [
            "import pandas as pd\n",
            "\n",
            "df = pd.read_csv(\"data/tickets.csv\", on_bad_lines=\"skip\")\n",
            "print(f\"rows: {len(df)}, intents: {df['intent'].nunique()}\")"
           ]
          },
          {
           "cell_type": "code",
           "execution_count": 3,
           "metadata": {},
           "outputs": [],
           "source": [
            "labels = list(set(df[\"intent\"]))\n",
            "label2id = {name: i for i, name in enumerate(labels)}\n",
            "df[\"label\"] = df[\"intent\"].map(label2id)"
           ]
          },
          {
           "cell_type": "code",
           "execution_count": 4,
           "metadata": {},
           "outputs": [],
           "source": [
            "from sklearn.feature_extraction.text import TfidfVectorizer\n",
            "from sklearn.linear_model import LogisticRegression\n",
            "from sklearn.model_selection import train_test_split\n",
            "\n",
            "train, test = train_test_split(df, test_size=0.2, random_state=0, stratify=df[\"label\"])\n",
            "vectorizer = TfidfVectorizer().fit(train[\"instruction\"])\n",
            "model = LogisticRegression(max_iter=1000).fit(vectorizer.transform(train[\"instruction\"]), train[\"label\"])\n",
            "print(model.score(vectorizer.transform(test[\"instruction\"]), test[\"label\"]))"
           ]
          }
         ],
         "metadata": {
          "kernelspec": {
           "display_name": "Python 3",
           "language": "python",
           "name": "python3"
          },
          "language_info": {
           "name": "python"
          }
         },
         "nbformat": 4,
         "nbformat_minor": 5
        }

        """;

    private const string Readme = """
        # Support tickets: a sample project made by ML Intern

        `data/tickets.csv` is a generated, Bitext-like support-ticket data set (instruction,
        category, intent); `train.py` fine-tunes a text classifier on it with the Hugging Face
        Trainer, and `explore.ipynb` takes a first look at it in a notebook. All carry the
        mistakes real projects carry. Open the folder in VS Code with the ML Intern extension, or
        run `mlintern check .` here.

        """;
}
