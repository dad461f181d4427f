using MLIntern.Data.Profiling;
using static MLIntern.Data.Tests.Profiles;

namespace MLIntern.Data.Tests;

/// <summary>Each data check on the smallest data set that shows it, and on one that must not trigger it.</summary>
public sealed class DataCheckTests
{
    private static readonly string[] Codes = ["MLD001", "MLD002", "MLD003", "MLD004", "MLD005", "MLD006", "MLD007", "MLD008", "MLD009", "MLD010", "MLD011", "MLD012"];

    [Fact]
    public void A_clean_data_set_has_no_findings()
    {
        var profile = One("train.csv", Csv(Clean()));
        Assert.All(Codes, code => Assert.Equal(0, profile.Check(code).Count));
        Assert.Equal("text", profile.Text.Column);
        Assert.Equal("label", profile.Label.Column);
        Assert.Equal(80, profile.Rows);
        Assert.Equal(4, profile.Labels!.Classes);
        Assert.Equal("string", profile.Labels.ValueType);
    }

    [Fact]
    public void MLD001_missing_text_or_label()
    {
        var rows = Clean();
        var csv = Csv(rows) + ",class_1\n\"some text here for sure\",\nNA,class_2\n";
        var check = One("d.csv", csv).Check("MLD001");
        Assert.Equal(3, check.Count);
        Assert.Equal([82, 83, 84], check.Examples.Select(e => e.Line));
    }

    [Fact]
    public void MLD002_exact_duplicates_name_the_first_line()
    {
        var rows = Clean();
        rows.Add(rows[3]);
        rows.Add(rows[3]);
        var check = One("d.csv", Csv(rows)).Check("MLD002");
        Assert.Equal(2, check.Count);
        Assert.Equal(82, check.Examples[0].Line);
        Assert.Equal(5, check.Examples[0].OtherLine);
        Assert.Equal(0, One("d.csv", Csv(Clean())).Check("MLD002").Count);
    }

    [Fact]
    public void MLD003_same_text_two_labels()
    {
        var rows = Clean();
        rows.Add((rows[0].Text, "class_3"));
        var profile = One("d.csv", Csv(rows));
        Assert.Equal(1, profile.Check("MLD003").Count);
        Assert.Contains("class_3", profile.Check("MLD003").Examples[0].Detail, StringComparison.Ordinal);

        var same = Clean();
        same.Add(same[0]);
        Assert.Equal(0, One("d.csv", Csv(same)).Check("MLD003").Count);
    }

    [Fact]
    public void MLD004_near_duplicates_are_found_and_distinct_texts_are_not()
    {
        var rows = Clean();
        rows.Add((rows[5].Text + " please", rows[5].Label));
        rows.Add(("Hi, " + rows[9].Text.ToUpperInvariant() + "!", rows[9].Label));
        var check = One("d.csv", Csv(rows)).Check("MLD004");
        Assert.Equal(2, check.Count);
        Assert.Equal([82, 83], check.Examples.Select(e => e.Line));
        Assert.Equal([7, 11], check.Examples.Select(e => e.OtherLine!.Value));
    }

    [Fact]
    public void MLD005_and_MLD006_class_balance()
    {
        var sentences = Sentences(130, 3);
        var imbalanced = sentences.Select((s, i) => (s, i < 120 ? "big" : i < 125 ? "small" : "other")).ToList();
        var profile = One("d.csv", Csv(imbalanced));
        Assert.Equal(1, profile.Check("MLD005").Count);
        Assert.Equal(2, profile.Check("MLD006").Count);
        Assert.Contains("'small' (5)", profile.Check("MLD006").Message, StringComparison.Ordinal);

        var balanced = One("d.csv", Csv(Clean()));
        Assert.Equal(0, balanced.Check("MLD005").Count);
        Assert.Equal(0, balanced.Check("MLD006").Count);
    }

    [Fact]
    public void MLD007_train_test_overlap_exact_and_near()
    {
        var train = Clean(1);
        var test = Sentences(20, 99).Select((s, i) => (s, $"class_{i % 4}")).ToList();
        test.Add(train[2]);
        test.Add((train[7].Text + " thanks", train[7].Label));
        var profile = Splits(("train", "train.csv", Csv(train)), ("test", "test.csv", Csv(test)));
        var check = profile.Check("MLD007");
        Assert.Equal(2, check.Count);
        Assert.Equal("test.csv", check.Path);
        Assert.Equal([22, 23], check.Examples.Select(e => e.Line));
        Assert.Equal([4, 9], check.Examples.Select(e => e.OtherLine!.Value));
        Assert.Contains(profile.FindingsFor("test.csv"), f => f.Code == "MLD007" && f.Range.Line == 22);
        Assert.DoesNotContain(profile.FindingsFor("train.csv"), f => f.Code == "MLD007");

        var clean = Splits(("train", "train.csv", Csv(train)), ("test", "test.csv", Csv(Sentences(20, 99).Select((s, i) => (s, $"class_{i % 4}")))));
        Assert.Equal(0, clean.Check("MLD007").Count);
    }

    [Theory]
    [InlineData("write to jane.doe@example.com about it", true)]
    [InlineData("call me on +1 415 555 0134 tomorrow", true)]
    [InlineData("my card is 4111 1111 1111 1111 ok", true)]
    [InlineData("order #12345 from 2023-01-01 is late", false)]
    [InlineData("the number 4111 1111 1111 1112 fails luhn", false)]
    [InlineData("email me at the usual place @ home", false)]
    public void MLD008_personal_data_is_found_and_masked(string text, bool personal)
    {
        var rows = Clean();
        rows.Add((text, "class_0"));
        var check = One("d.csv", Csv(rows)).Check("MLD008");
        Assert.Equal(personal ? 1 : 0, check.Count);
        if (personal)
        {
            var example = Assert.Single(check.Examples);
            Assert.Equal(82, example.Line);
            Assert.DoesNotContain("jane.doe", example.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain("555 0134", example.Detail + example.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("1111 1111", example.Detail + example.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MLD009_placeholders()
    {
        var rows = Clean();
        rows.Add(("cancel order {{Order Number}} now please", "class_0"));
        rows.Add(("a set {like this} and {{ }} are not slots", "class_1"));
        var check = One("d.csv", Csv(rows)).Check("MLD009");
        Assert.Equal(1, check.Count);
        Assert.Contains("{{Order Number}}", check.Examples[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void MLD010_blank_and_very_long_texts()
    {
        var rows = Clean();
        rows.Add(("   ", "class_0"));
        rows.Add((string.Join(' ', Enumerable.Repeat("word", 2000)), "class_1"));
        var check = One("d.csv", Csv(rows)).Check("MLD010");
        Assert.Equal(2, check.Count);
        Assert.Equal([82, 83], check.Examples.Select(e => e.Line));
        Assert.Equal(1, One("d.csv", Csv(rows), new DataCheckOptions { MaxTextChars = 20_000 }).Check("MLD010").Count);
    }

    [Fact]
    public void MLD011_a_label_column_of_ids()
    {
        var rows = Sentences(100, 5).Select((s, i) => (s, $"ticket-{i:D5}")).ToList();
        var profile = One("d.csv", Csv(rows));
        Assert.Equal(1, profile.Check("MLD011").Count);
        Assert.Equal(0, One("d.csv", Csv(Clean())).Check("MLD011").Count);
    }

    [Fact]
    public void Column_roles_follow_names_then_settings()
    {
        const string csv = "id,instruction,category,intent\n1,where is my order now,ORDER,track_order\n2,cancel my order right now,ORDER,cancel_order\n";
        var profile = One("d.csv", csv);
        Assert.Equal(("instruction", "name"), (profile.Text.Column, profile.Text.Source));
        Assert.Equal("intent", profile.Label.Column);
        var overridden = One("d.csv", csv, new DataCheckOptions { LabelColumn = "category" });
        Assert.Equal(("category", "setting"), (overridden.Label.Column, overridden.Label.Source));
    }

    [Fact]
    public void Thresholds_are_settings()
    {
        var problems = new List<string>();
        var options = DataSettingKeys.Apply(new DataCheckOptions(), [new("imbalance-ratio", "3"), new("minClassExamples", "2"), new("near-duplicate-threshold", "x"), new("bogus", "1")], problems);
        Assert.Equal(3, options.ImbalanceRatio);
        Assert.Equal(2, options.MinClassExamples);
        Assert.Equal(0.7, options.NearDuplicateThreshold);
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void Facts_summarise_the_profile()
    {
        var profile = Splits(("train", "train.csv", Csv(Clean(1))), ("test", "test.csv", Csv(Clean(2))));
        var facts = DatasetFacts.From("train.csv", "v1", profile);
        Assert.Equal(["train", "test"], facts.Splits.Select(s => s.Name));
        Assert.Equal(160, facts.Rows);
        Assert.Equal(4, facts.ClassCount);
        Assert.True(facts.LabelsAreStrings);
        Assert.Equal("label", facts.LabelColumn);
    }
}
