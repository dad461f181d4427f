using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MLIntern.Server.Hub;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// Scripts that `load_dataset("org/name")` get the data facts of the copy in the local Hugging Face
/// cache, with no network. The cache is built by the test in huggingface_hub's documented layout
/// ("Manage the cache" guide: `datasets--ORG--NAME/refs/main` holds the commit, `snapshots/COMMIT/…`
/// are links to `blobs/HASH`), with real CSV and Parquet files.
/// </summary>
public sealed class HubCacheTests : IDisposable
{
    private const string Commit = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
    private const string Older = "0123456789abcdef0123456789abcdef01234567";

    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-hubcache-").FullName;
    private readonly string _cache;
    private readonly string _project;

    public HubCacheTests()
    {
        _cache = Path.Combine(_dir, "hf", "hub");
        _project = Path.Combine(_dir, "project");
        Directory.CreateDirectory(_project);
        string[] intents = ["refund", "track", "cancel", "invoice", "login"];
        var train = new StringBuilder("text,intent\n");
        for (var i = 0; i < 50; i++)
        {
            train.Append(CultureFormattable($"customer message number {i} about things,{intents[i % 5]}\n"));
        }

        AddFile("acme/tickets", Commit, "data/train.csv", Encoding.UTF8.GetBytes(train.ToString()));
        AddFile("acme/tickets", Commit, "data/test.csv", Encoding.UTF8.GetBytes("text,intent\nwhere is it,track\nmoney back,refund\n"));
        // A config folder with Parquet files and three classes, at an older commit that refs/main no longer names.
        var parquet = HubTests.ParquetBytes([.. Enumerable.Range(0, 30).Select(i => ($"short note {i}", i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c"))]);
        AddFile("acme/tickets", Commit, "small/train-00000-of-00001.parquet", parquet);
        AddFile("acme/tickets", Older, "data/train.csv", Encoding.UTF8.GetBytes("text,intent\nx,p\ny,q\nz,r\nw,s\n"));
        File.WriteAllText(Path.Combine(_cache, "datasets--acme--tickets", "refs", "main"), Commit);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string CultureFormattable(FormattableString s) => FormattableString.Invariant(s);

    /// <summary>Writes a blob named by its hash and links the snapshot's file to it, as huggingface_hub does.</summary>
    private void AddFile(string id, string commit, string pathInRepo, byte[] bytes)
    {
        var repo = Path.Combine(_cache, "datasets--" + id.Replace("/", "--", StringComparison.Ordinal));
        var blob = Path.Combine(repo, "blobs", Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        File.WriteAllBytes(blob, bytes);
        var link = Path.Combine(repo, "snapshots", commit, pathInRepo);
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, Path.GetRelativePath(Path.GetDirectoryName(link)!, blob));
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
    }

    private async Task<JArray> CheckAsync(string script)
    {
        File.WriteAllText(Path.Combine(_project, "train.py"), script);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _project };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "mlintern.dll"), "check", "train.py", "--format", "json" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["HF_HUB_CACHE"] = _cache;
        // Nothing may be fetched: an endpoint no one listens on makes any attempt fail loudly.
        info.Environment["HF_ENDPOINT"] = "http://127.0.0.1:9/";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (output, errors) = (await stdout, await stderr);
        Assert.True(process.ExitCode is 0 or 1, errors);
        return JArray.Parse(output);
    }

    private const string Trainer = """
        model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")
        args = TrainingArguments(output_dir="out", seed=1)
        trainer = Trainer(model=model, args=args, train_dataset=ds["train"])
        trainer.train()
        """;

    private static string Message(JArray findings, string code) =>
        (string?)findings.SingleOrDefault(f => (string?)f["code"] == code)?["message"] ?? $"no {code} in {findings}";

    [Fact]
    public async Task A_cached_hub_data_set_gives_the_script_rules_its_facts()
    {
        var findings = await CheckAsync($"""
            from datasets import load_dataset
            from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments
            ds = load_dataset("acme/tickets")
            {Trainer}
            """);

        var hub = "the Hub data set acme/tickets (cached revision 9f8e7d6)";
        Assert.Contains($"{hub} has string labels in column `intent`", Message(findings, "MLI101"), StringComparison.Ordinal);
        Assert.Contains($"{hub} has 5 classes in column `intent`", Message(findings, "MLI102"), StringComparison.Ordinal);
        Assert.Contains($"{hub} keeps its labels in column `intent`", Message(findings, "MLI106"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_files_split_config_and_revision_pick_what_is_read_in_the_snapshot()
    {
        var withSplit = await CheckAsync($$"""
            from datasets import load_dataset
            from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments
            ds = {"train": load_dataset("acme/tickets", data_files={"train": "data/train.csv"}, split="train")}
            {{Trainer}}
            """);
        Assert.Contains("the Hub data set acme/tickets (cached revision 9f8e7d6) has 5 classes in column `intent`", Message(withSplit, "MLI102"), StringComparison.Ordinal);

        var config = await CheckAsync($"""
            from datasets import load_dataset
            from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments
            ds = load_dataset("acme/tickets", "small")
            {Trainer}
            """);
        Assert.Contains("the Hub data set acme/tickets (cached revision 9f8e7d6) has 3 classes in column `intent`", Message(config, "MLI102"), StringComparison.Ordinal);

        var revision = await CheckAsync($"""
            from datasets import load_dataset
            from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments
            ds = load_dataset("acme/tickets", revision="{Older}")
            {Trainer}
            """);
        Assert.Contains("the Hub data set acme/tickets (cached revision 0123456) has 4 classes in column `intent`", Message(revision, "MLI102"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_set_the_cache_does_not_hold_gives_no_facts_and_a_local_folder_wins()
    {
        var missing = await CheckAsync($"""
            from datasets import load_dataset
            from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments
            ds = load_dataset("acme/unknown")
            {Trainer}
            """);
        Assert.DoesNotContain(missing, f => (string?)f["code"] is "MLI101" or "MLI106");

        var local = Path.Combine(_project, "acme", "tickets");
        Directory.CreateDirectory(local);
        File.WriteAllText(Path.Combine(local, "train.csv"), "text,intent\na,x\nb,y\nc,z\nd,w\n");
        var findings = await CheckAsync($"""
            from datasets import load_dataset
            from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments
            ds = load_dataset("acme/tickets")
            {Trainer}
            """);
        Assert.Contains("acme/tickets has 4 classes in column `intent`", Message(findings, "MLI102"), StringComparison.Ordinal);
        Assert.DoesNotContain("the Hub data set", Message(findings, "MLI102"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_cache_refuses_paths_that_leave_the_snapshot()
    {
        Assert.NotNull(HubCache.Find(_cache, "acme/tickets", null, "data/train.csv"));
        Assert.Null(HubCache.Find(_cache, "acme/tickets", null, "../../../../etc/passwd"));
        Assert.Null(HubCache.Find(_cache, "acme/tickets", "../x", null));
        Assert.Null(HubCache.Find(_cache, "../acme", null, null));
        Assert.Equal(("acme/tickets", "v1", "data/x.csv"), HubCache.ParseHubPath("hf://datasets/acme/tickets@v1/data/x.csv"));
        Assert.Null(HubCache.ParseHubPath("hf://models/acme/tickets"));
    }
}
