using MLIntern.Server.State;
using MLIntern.Training.Release;
using MLIntern.Training.Runs;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>The `.mlintern/` store on real files: old run.json files load, updates keep what they do not change, and the run lock serialises writers.</summary>
public sealed class WorkspaceStoreTests : IDisposable
{
    private const string RunId = "20260101-120000-ab12";

    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Folder => Path.Combine(_dir, ".mlintern", "runs", RunId);

    private string RunJson => Path.Combine(Folder, "run.json");

    /// <summary>A run.json as an earlier version wrote it: publications as written by the old JObject side-model, and a field this version does not know.</summary>
    private void WriteOldRunJson()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(RunJson, $$"""
            {
              "id": "{{RunId}}",
              "kind": "baseline",
              "title": "Baseline on tickets",
              "commandLine": "mlintern train --data data",
              "status": "succeeded",
              "createdAt": "2026-01-01T12:00:00+00:00",
              "exitCode": 0,
              "smoke": false,
              "publications": [
                {
                  "id": "0011223344556677",
                  "approvedBy": "alice",
                  "via": "editor dialog",
                  "approvedAt": "2026-01-01T13:00:00+00:00",
                  "repoId": "acme/tickets",
                  "repoType": "model",
                  "private": true,
                  "folder": "/tmp/model",
                  "fileListHash": "abc",
                  "files": 2,
                  "totalBytes": 10,
                  "commitMessage": "Upload"
                }
              ],
              "laterVersionField": { "kept": [1, 2] }
            }
            """);
    }

    [Fact]
    public void An_old_run_json_with_publications_loads_typed_and_an_update_keeps_every_other_field()
    {
        WriteOldRunJson();
        var store = new WorkspaceStore(_dir);
        var loaded = store.LoadRun(RunId)!;
        var publication = Assert.Single(loaded.Publications!);
        Assert.Equal(("acme/tickets", true, new DateTimeOffset(2026, 1, 1, 13, 0, 0, TimeSpan.Zero)), (publication.RepoId, publication.Private, publication.ApprovedAt));

        var updated = store.UpdateRun(RunId, r => r with { Error = "noted" })!;
        Assert.Equal("noted", updated.Error);
        var json = JObject.Parse(File.ReadAllText(RunJson));
        Assert.Equal("noted", (string?)json["error"]);
        Assert.Equal("succeeded", (string?)json["status"]);
        Assert.Equal("0011223344556677", (string?)json["publications"]![0]!["id"]);
        Assert.Equal(new JArray(1, 2), json["laterVersionField"]!["kept"]);
        Assert.Empty(Directory.GetFiles(Folder, "*.mlintern-tmp"));
    }

    [Fact]
    public void An_update_that_returns_null_writes_nothing_and_a_missing_run_is_null()
    {
        WriteOldRunJson();
        var before = File.ReadAllText(RunJson);
        var store = new WorkspaceStore(_dir);
        Assert.Equal("succeeded", store.UpdateRun(RunId, _ => null)!.Status);
        Assert.Equal(before, File.ReadAllText(RunJson));
        Assert.Null(store.UpdateRun("20260101-120000-0000", r => r with { Error = "x" }));
    }

    [Fact]
    public void A_held_run_lock_makes_an_update_fail_after_its_timeout_with_a_clear_error_and_change_nothing()
    {
        WriteOldRunJson();
        var before = File.ReadAllText(RunJson);
        using (RunLock.Take(Folder))
        {
            var error = Assert.Throws<RunFileException>(() => WorkspaceStore.UpdateRun(Folder, r => r with { Error = "x" }, TimeSpan.FromMilliseconds(200)));
            Assert.Contains("run.lock", error.Message, StringComparison.Ordinal);
            Assert.Contains("not changed", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, File.ReadAllText(RunJson));
        Assert.Equal("x", WorkspaceStore.UpdateRun(Folder, r => r with { Error = "x" }, TimeSpan.FromMilliseconds(200))!.Error);
    }

    [Fact]
    public void Unreadable_run_json_is_a_clear_error_and_stays_as_it_was()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(RunJson, "{ \"id\": ");
        var error = Assert.Throws<RunFileException>(() => WorkspaceStore.UpdateRun(Folder, r => r with { Error = "x" }));
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal("{ \"id\": ", File.ReadAllText(RunJson));
    }

    [Fact]
    public void Threads_adding_publications_at_once_lose_none()
    {
        WriteOldRunJson();
        const int Threads = 8, Each = 15;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (var i = 0; i < Each; i++)
            {
                var approval = new PublishApproval($"{t:x2}{i:x2}", "bob", "test", DateTimeOffset.UtcNow, "acme/x", "model", false, "/tmp/m", "h", 1, 1, "m");
                WorkspaceStore.UpdateRun(Folder, r => r with { Publications = [.. r.Publications ?? [], approval] });
            }
        });

        var ids = WorkspaceStore.ReadRun(Folder)!.Publications!.Select(p => p.Id).ToHashSet();
        Assert.Equal(1 + (Threads * Each), ids.Count);
        Assert.Contains("0011223344556677", ids);
        Assert.Equal(RunStatus.Succeeded, WorkspaceStore.ReadRun(Folder)!.Status);
    }

    [Fact]
    public void The_cache_keeps_under_its_limit_by_dropping_the_least_recently_used_entries()
    {
        var store = new WorkspaceStore(_dir, cacheLimitBytes: 3 * 4096);
        var rows = new[] { new float[1024] }; // one entry: 4 kB
        string Key(int i) => new string((char)('a' + i), 64);
        string Entry(int i) => Path.Combine(store.EmbeddingsFolder, Key(i) + ".f32");
        for (var i = 0; i < 3; i++)
        {
            store.WriteEmbeddings(Key(i), rows, 1024);
            File.SetLastWriteTimeUtc(Entry(i), DateTime.UtcNow.AddMinutes(i - 10));
        }

        // Reading the oldest entry makes it the most recently used; a head-search entry counts against the same limit.
        Assert.NotNull(store.ReadEmbeddings(Key(0), 1, 1024));
        store.WriteHeadSearch(Key(3), new byte[4096]);

        Assert.True(File.Exists(Entry(0)), "a read counts as a use");
        Assert.False(File.Exists(Entry(1)), "the least recently used entry goes");
        Assert.True(File.Exists(Entry(2)));
        Assert.True(File.Exists(Path.Combine(store.HeadSearchFolder, Key(3) + ".bin")));
        Assert.True(Directory.EnumerateFiles(store.CacheFolder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) <= store.CacheLimitBytes);
    }

    [Fact]
    public void An_entry_larger_than_the_limit_is_kept_and_another_writers_temporary_file_is_left_alone()
    {
        var store = new WorkspaceStore(_dir, cacheLimitBytes: 1024);
        Directory.CreateDirectory(store.EmbeddingsFolder);
        var inFlight = Path.Combine(store.EmbeddingsFolder, new string('f', 64) + ".f32.0123.mlintern-tmp");
        File.WriteAllBytes(inFlight, new byte[8192]);
        var key = new string('b', 64);

        store.WriteEmbeddings(key, [new float[1024]], 1024);

        Assert.NotNull(store.ReadEmbeddings(key, 1, 1024));
        Assert.True(File.Exists(inFlight));
        Assert.Null(store.ReadEmbeddings("../../x", 1, 1024));
    }
}
