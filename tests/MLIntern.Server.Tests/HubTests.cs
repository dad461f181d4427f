using MLIntern.Data.Hub;
using MLIntern.Server.Cli;
using MLIntern.Server.Engine;
using MLIntern.Server.Hub;
using Newtonsoft.Json.Linq;
using Parquet;
using Parquet.Schema;

namespace MLIntern.Server.Tests;

/// <summary>
/// `mlintern datasets search|info|download` against loopback stand-ins for the Hub API, the dataset
/// viewer API and the file server. Each answer follows a public document, named where it is set up:
/// the Hub API reference (https://huggingface.co/docs/hub/api: `GET /api/datasets`, `GET /api/datasets/{repo_id}`)
/// and the dataset viewer guides (https://huggingface.co/docs/dataset-viewer: valid, splits, info,
/// first_rows, statistics, parquet).
/// </summary>
public sealed class HubTests : IDisposable
{
    private const string Id = "acme/tickets";
    private const string Token = "hf_standin_secret_token_123";
    private const string Sha = "1a2b3c4d5e6f7081928374655647382910abcdef";

    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-hub-").FullName;
    private readonly HubStandIn _hub = new();
    private readonly HubStandIn _viewer = new();
    private readonly HubStandIn _files = new();
    private readonly byte[] _train = ParquetBytes(Enumerable.Range(0, 60).Select(i => ($"ticket number {i} about my order", i % 3 == 0 ? "refund" : "track")).ToList());
    private readonly byte[] _test = ParquetBytes([("where is my parcel", "track"), ("money back please", "refund")]);

    public HubTests()
    {
        // Hub API reference, GET /api/datasets/{repo_id}: id, sha, lastModified, gated, private, tags, cardData, downloads, likes.
        _hub.OnJson($"/api/datasets/{Id}", $$"""
            {"_id":"x","id":"{{Id}}","author":"acme","sha":"{{Sha}}","lastModified":"2025-03-01T10:00:00.000Z","private":false,"gated":false,
             "disabled":false,"downloads":4321,"likes":12,
             "tags":["task_categories:text-classification","language:en","size_categories:n<1K","format:parquet"],
             "cardData":{"task_categories":["text-classification"],"language":["en"]},
             "siblings":[{"rfilename":"README.md"},{"rfilename":"data/train-00000-of-00001.parquet"}]}
            """);
        // Dataset viewer "Check dataset validity": /is-valid answers preview, viewer, search, filter, statistics.
        _viewer.OnJson("/is-valid", """{"preview":true,"viewer":true,"search":true,"filter":true,"statistics":true}""");
        // Dataset viewer "List splits and subsets": /splits answers splits[] of {dataset, config, split}, pending, failed.
        _viewer.OnJson("/splits", $$"""
            {"splits":[{"dataset":"{{Id}}","config":"default","split":"train"},{"dataset":"{{Id}}","config":"default","split":"test"}],"pending":[],"failed":[]}
            """);
        // Dataset viewer "Get dataset information": /info answers dataset_info (description, features, splits{name: num_bytes, num_examples}) and partial.
        _viewer.OnJson("/info", """
            {"dataset_info":{"description":"Support tickets with their intent.","features":{"text":{"dtype":"string","_type":"Value"},"intent":{"dtype":"string","_type":"Value"}},
             "splits":{"train":{"name":"train","num_bytes":5120,"num_examples":60,"dataset_name":"tickets"},"test":{"name":"test","num_bytes":80,"num_examples":2,"dataset_name":"tickets"}}},"partial":false}
            """);
        // Dataset viewer "Preview a dataset": /first-rows answers features[] {feature_idx, name, type} and rows[] {row_idx, row, truncated_cells}.
        _viewer.OnJson("/first-rows", $$"""
            {"dataset":"{{Id}}","config":"default","split":"train",
             "features":[{"feature_idx":0,"name":"text","type":{"dtype":"string","_type":"Value"} },{"feature_idx":1,"name":"intent","type":{"dtype":"string","_type":"Value"} }],
             "rows":[{"row_idx":0,"row":{"text":"ticket number 0 about my order","intent":"refund"},"truncated_cells":[]},
                     {"row_idx":1,"row":{"text":"ticket number 1 about my order","intent":"track"},"truncated_cells":[]}],"truncated":false}
            """);
        // Dataset viewer "Explore statistics over split data": /statistics answers num_examples, statistics[] {column_name, column_type, column_statistics}, partial.
        _viewer.OnJson("/statistics", """
            {"num_examples":60,"statistics":[
              {"column_name":"intent","column_type":"string_label","column_statistics":{"nan_count":0,"nan_proportion":0,"n_unique":3,"frequencies":{"track":40,"refund":17,"escalate":3}}},
              {"column_name":"text","column_type":"string_text","column_statistics":{"nan_count":0,"nan_proportion":0,"min":29,"max":31,"mean":30.1,"median":30,"std":0.5,"histogram":{"hist":[60],"bin_edges":[29,31]}}}],
             "partial":false}
            """);
        // Dataset viewer "List Parquet files": /parquet answers parquet_files[] {dataset, config, split, url, filename, size}, pending, failed, partial.
        ServeParquet(_train.Length, _test.Length);
        _files.On("/datasets/acme/tickets/resolve/refs/convert/parquet/default/train/0000.parquet", r => StandInResponse.File(_train, r));
        _files.On("/datasets/acme/tickets/resolve/refs/convert/parquet/default/test/0000.parquet", r => StandInResponse.File(_test, r));
    }

    public void Dispose()
    {
        _hub.Dispose();
        _viewer.Dispose();
        _files.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private HubSettings Settings(string? token = Token, double timeoutSeconds = 10) => new()
    {
        Endpoint = _hub.Url,
        ViewerEndpoint = _viewer.Url,
        Token = token,
        TokenSource = token is null ? null : "HF_TOKEN",
        CacheDirectory = Path.Combine(_dir, "cache"),
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
    };

    private void ServeParquet(long trainSize, long testSize)
    {
        var root = _files.Url.ToString().TrimEnd('/');
        _viewer.OnJson("/parquet", $$"""
            {"parquet_files":[
              {"dataset":"{{Id}}","config":"default","split":"test","url":"{{root}}/datasets/acme/tickets/resolve/refs%2Fconvert%2Fparquet/default/test/0000.parquet","filename":"0000.parquet","size":{{testSize}}},
              {"dataset":"{{Id}}","config":"default","split":"train","url":"{{root}}/datasets/acme/tickets/resolve/refs%2Fconvert%2Fparquet/default/train/0000.parquet","filename":"0000.parquet","size":{{trainSize}}}],
             "pending":[],"failed":[],"partial":false}
            """);
    }

    private static (int Code, string Out, string Err) Run(Func<TextWriter, TextWriter, Task<int>> command)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = command(output, errors).GetAwaiter().GetResult();
        return (code, output.ToString(), errors.ToString());
    }

    internal static byte[] ParquetBytes(IReadOnlyList<(string Text, string Intent)> rows)
    {
        var text = new DataField<string>("text");
        var intent = new DataField<string>("intent");
        using var stream = new MemoryStream();
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(text, intent), stream).GetAwaiter().GetResult();
        using (var group = writer.CreateRowGroup())
        {
            group.WriteAsync(text, rows.Select(r => r.Text).ToArray()).GetAwaiter().GetResult();
            group.WriteAsync(intent, rows.Select(r => r.Intent).ToArray()).GetAwaiter().GetResult();
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return stream.ToArray();
    }

    [Fact]
    public void Search_sends_the_query_and_filters_and_lists_each_result()
    {
        // Hub API reference, GET /api/datasets: a list of entries with id, tags, downloads, lastModified (cardData with full=true).
        _hub.OnJson("/api/datasets", """
            [{"id":"acme/tickets","sha":"abc","lastModified":"2025-03-01T10:00:00.000Z","downloads":4321,"likes":3,"private":false,"gated":"manual",
              "tags":["task_categories:text-classification","language:en","license:mit","size_categories:1K<n<10K"]},
             {"id":"other/reviews","downloads":12,"tags":["task_categories:text-classification","language:de"]}]
            """);
        var (code, output, _) = Run((o, e) => DatasetsCommand.SearchAsync(Settings(), new HubSearch("tickets", "text-classification", "en", "mit", "likes", 5), "text", o, e, default));

        Assert.Equal(0, code);
        var request = Assert.Single(_hub.Requests, r => r.Path == "/api/datasets");
        Assert.Equal(["tickets"], request.Values("search"));
        Assert.Equal(["task_categories:text-classification", "language:en", "license:mit"], request.Values("filter"));
        Assert.Equal(["likes"], request.Values("sort"));
        Assert.Equal(["5"], request.Values("limit"));
        Assert.Equal(["true"], request.Values("full"));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^acme/tickets\s+text-classification\s+en\s+mit\s+4,321\s+1K<n<10K\s+2025-03-01$", lines[1]);
        Assert.Matches(@"^other/reviews\s+text-classification\s+de\s+-\s+12\s+-\s+-$", lines[2]);
    }

    [Fact]
    public void Search_json_is_the_summaries_with_gating_read_from_the_answer()
    {
        _hub.OnJson("/api/datasets", """[{"id":"acme/tickets","gated":"manual","tags":["license:mit"]},{"id":"open/set","gated":false}]""");
        var (code, output, _) = Run((o, e) => DatasetsCommand.SearchAsync(Settings(), new HubSearch(null), "json", o, e, default));
        Assert.Equal(0, code);
        var results = JArray.Parse(output);
        Assert.Equal("manual", (string?)results[0]["gated"]);
        Assert.Equal("mit", (string?)results[0]["license"]);
        Assert.Equal("none", (string?)results[1]["gated"]);
        Assert.Empty(_hub.Requests.Single().Values("search"));
    }

    [Fact]
    public void Info_shows_splits_columns_rows_the_label_class_distribution_and_warnings()
    {
        var (code, output, errors) = Run((o, e) => DatasetsCommand.InfoAsync(Settings(), Id, null, null, "text", o, e, default));

        Assert.True(code == 0, errors);
        Assert.Contains($"{Id}  revision 1a2b3c4  license none", output, StringComparison.Ordinal);
        Assert.Contains("default/train  60 rows  5 KB", output, StringComparison.Ordinal);
        Assert.Contains("default/test  2 rows", output, StringComparison.Ordinal);
        Assert.Contains("Columns: text (string), intent (string) [label]", output, StringComparison.Ordinal);
        Assert.Contains("ticket number 1 about my order", output, StringComparison.Ordinal);
        Assert.Matches(@"intent \[label\]  string_label, 3 classes\n\s+track\s+40\s+66\.7%\s+#{24}\n\s+refund\s+17\s+28\.3%\s+#{10}\n\s+escalate\s+3\s+5\.0%\s+#\n", output.ReplaceLineEndings("\n"));
        Assert.Contains("text  string_text, length 29–31, mean 30.1", output, StringComparison.Ordinal);
        Assert.Contains("! no license on the card", output, StringComparison.Ordinal);
        Assert.Contains("! 1 class of `intent` has fewer than 10 examples in train (smallest: `escalate` with 3)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("gated", output, StringComparison.Ordinal);
        // The viewer is asked about the split it chose: train of the default config.
        Assert.Equal(["train"], _viewer.Requests.Single(r => r.Path == "/statistics").Values("split"));
        Assert.Equal(["default"], _viewer.Requests.Single(r => r.Path == "/first-rows").Values("config"));
    }

    [Fact]
    public void Info_json_says_partial_statistics_gating_and_a_label_that_is_free_text()
    {
        _hub.OnJson($"/api/datasets/{Id}", $$"""{"id":"{{Id}}","sha":"{{Sha}}","gated":"auto","cardData":{"license":"cc-by-4.0"} }""");
        _viewer.OnJson("/statistics", """
            {"num_examples":1000,"statistics":[{"column_name":"intent","column_type":"string_text","column_statistics":{"nan_count":0,"nan_proportion":0,"min":3,"max":400,"mean":80,"median":60,"std":20,"histogram":{"hist":[1000],"bin_edges":[3,400]}}}],"partial":true}
            """);
        var (code, output, _) = Run((o, e) => DatasetsCommand.InfoAsync(Settings(), Id, null, null, "json", o, e, default));

        Assert.Equal(0, code);
        var json = JObject.Parse(output);
        Assert.Equal("intent", (string?)json["labelColumn"]);
        Assert.True((bool)json.SelectToken("statistics.partial")!);
        var codes = json["warnings"]!.Select(w => (string?)w["code"]).ToList();
        Assert.Equal([HubWarnings.Gated, HubWarnings.PartialStatistics, HubWarnings.LabelLooksLikeText], codes);
        Assert.Equal("cc-by-4.0", (string?)json.SelectToken("summary.license"));
    }

    [Fact]
    public void Info_keeps_what_the_hub_said_when_a_viewer_endpoint_fails()
    {
        _viewer.OnJson("/statistics", """{"error":"The response is not ready yet. Please retry later."}""", 500);
        var (code, output, errors) = Run((o, e) => DatasetsCommand.InfoAsync(Settings(), Id, null, null, "text", o, e, default));
        Assert.Equal(0, code);
        Assert.Contains("Columns: text (string), intent (string) [label]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Statistics of", output, StringComparison.Ordinal);
        Assert.Contains("warning: statistics: acme/tickets on the dataset viewer: the server failed (500)", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_goes_to_the_hub_and_the_viewer_but_not_to_another_host()
    {
        var (code, _, errors) = Run((o, e) => DatasetsCommand.DownloadAsync(Settings(), Id, null, null, "out", approve: true, "text", _dir, o, e, default));
        Assert.True(code == 0, errors);
        Assert.All(_hub.Requests, r => Assert.Equal($"Bearer {Token}", r.Headers["Authorization"]));
        Assert.All(_viewer.Requests, r => Assert.Equal($"Bearer {Token}", r.Headers["Authorization"]));
        Assert.NotEmpty(_files.Requests);
        Assert.All(_files.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization")));
    }

    public static TheoryData<int, string, string> Refusals => new()
    {
        // Hub API: a gated or private repository answers 401 without a token that may read it, 403 when the terms were not accepted.
        { 401, "not authorized (401)", "accept the terms on the Hub at " },
        { 403, "access refused (403)", "accept the terms on the Hub at " },
        { 404, "not found (404)", "check the id" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_refusal_is_a_clear_message_that_never_shows_the_token(int status, string what, string advice)
    {
        _hub.OnJson($"/api/datasets/{Id}", """{"error":"Access to dataset acme/tickets is restricted."}""", status);
        var (code, output, errors) = Run((o, e) => DatasetsCommand.InfoAsync(Settings(), Id, null, null, "text", o, e, default));

        Assert.Equal(Commands.Failure, code);
        Assert.Contains($"error: {Id} on the Hub: {what}", errors, StringComparison.Ordinal);
        Assert.Contains(advice, errors, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, errors + output, StringComparison.Ordinal);
        if (status != 404)
        {
            Assert.Contains($"{_hub.Url}datasets/{Id}", errors, StringComparison.Ordinal);
            Assert.Contains("the token from HF_TOKEN was sent", errors, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_a_token_a_401_says_how_to_give_one()
    {
        _hub.OnJson($"/api/datasets/{Id}", """{"error":"unauthorized"}""", 401);
        var (_, _, errors) = Run((o, e) => DatasetsCommand.InfoAsync(Settings(token: null), Id, null, null, "text", o, e, default));
        Assert.Contains("no token was sent: set HF_TOKEN or log in with `hf auth login`", errors, StringComparison.Ordinal);
        Assert.False(_hub.Requests.Single().Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task A_429_says_when_to_try_again_from_Retry_After()
    {
        _hub.On("/api/datasets", _ => StandInResponse.Json("""{"error":"rate limited"}""", 429, new Dictionary<string, string> { ["Retry-After"] = "7" }));
        using var client = new HubClient(Settings());
        var e = await Assert.ThrowsAsync<HubException>(() => client.SearchAsync(new HubSearch("x"), default));
        Assert.Equal(HubFailure.RateLimited, e.Failure);
        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
        Assert.Contains("too many requests (429)", e.Message, StringComparison.Ordinal);
        Assert.Contains("try again in 7 s", e.Message, StringComparison.Ordinal);
        Assert.Single(_hub.Requests); // longer than ML Intern waits by itself: the user decides
    }

    [Fact]
    public async Task A_short_429_is_waited_out_and_the_request_sent_again_with_its_token()
    {
        var calls = 0;
        _hub.On("/api/datasets", _ => Interlocked.Increment(ref calls) == 1
            ? StandInResponse.Json("""{"error":"rate limited"}""", 429, new Dictionary<string, string> { ["Retry-After"] = "1" })
            : StandInResponse.Json("[]"));
        using var client = new HubClient(Settings());
        var found = await client.SearchAsync(new HubSearch("x"), default);
        Assert.Empty(found);
        Assert.Equal(2, calls);
        Assert.All(_hub.Requests, r => Assert.Equal($"Bearer {Token}", r.Headers["Authorization"]));
    }

    [Fact]
    public async Task A_429_that_keeps_coming_is_an_error_after_two_retries()
    {
        _hub.On("/api/datasets", _ => StandInResponse.Json("""{"error":"rate limited"}""", 429, new Dictionary<string, string> { ["Retry-After"] = "0" }));
        using var client = new HubClient(Settings());
        var e = await Assert.ThrowsAsync<HubException>(() => client.SearchAsync(new HubSearch("x"), default));
        Assert.Equal(HubFailure.RateLimited, e.Failure);
        Assert.Equal(1 + HubClient.MaxRetries, _hub.Requests.Count);
    }

    [Fact]
    public void A_server_that_does_not_answer_times_out_with_the_setting_to_change()
    {
        _hub.On("/api/datasets", _ => new StandInResponse(200, [], "application/json", new Dictionary<string, string>(), Hang: true));
        var started = DateTime.UtcNow;
        var (code, _, errors) = Run((o, e) => DatasetsCommand.SearchAsync(Settings(timeoutSeconds: 1), new HubSearch("x"), "text", o, e, default));
        Assert.Equal(Commands.Failure, code);
        Assert.Contains("error: no answer from the Hub (127.0.0.1) within 1 s; set MLINTERN_HUB_TIMEOUT", errors, StringComparison.Ordinal);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public void Download_without_approval_lists_files_size_and_license_and_writes_nothing()
    {
        var (code, output, errors) = Run((o, e) => DatasetsCommand.DownloadAsync(Settings(), Id, null, null, null, approve: false, "text", _dir, o, e, default));

        Assert.Equal(Commands.Failure, code);
        Assert.Contains($"{Id}  config default  revision 1a2b3c4  license none", output, StringComparison.Ordinal);
        Assert.Contains($"Would download 2 file(s), {HubText.Bytes(_train.Length + _test.Length)} in all, into data/hub/acme/tickets:", output, StringComparison.Ordinal);
        Assert.Contains($"train-00000-of-00001.parquet  {HubText.Bytes(_train.Length)}  (train)", output, StringComparison.Ordinal);
        Assert.Contains("! no license on the card", output, StringComparison.Ordinal);
        Assert.Contains($"nothing downloaded: not approved", errors, StringComparison.Ordinal);
        Assert.Contains($"mlintern datasets download {Id} --approve", errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "data")));
        Assert.Empty(_files.Requests);
    }

    [Fact]
    public void An_approved_download_writes_the_files_and_their_provenance_and_the_folder_is_a_data_set()
    {
        var (code, output, errors) = Run((o, e) => DatasetsCommand.DownloadAsync(Settings(), Id, null, null, null, approve: true, "text", _dir, o, e, default));

        Assert.True(code == 0, errors);
        var folder = Path.Combine(_dir, "data", "hub", "acme", "tickets");
        Assert.Equal(_train, File.ReadAllBytes(Path.Combine(folder, "train-00000-of-00001.parquet")));
        Assert.Equal(_test, File.ReadAllBytes(Path.Combine(folder, "test-00000-of-00001.parquet")));
        Assert.Empty(Directory.GetFiles(folder, "*.part"));
        Assert.Contains("Downloaded 2 file(s)", output, StringComparison.Ordinal);

        var provenance = JObject.Parse(File.ReadAllText(Path.Combine(folder, HubDatasets.ProvenanceFileName)));
        Assert.Equal(Id, (string?)provenance["id"]);
        Assert.Equal(Sha, (string?)provenance["revision"]);
        Assert.Equal("default", (string?)provenance["config"]);
        Assert.Null(provenance["license"]);
        var train = provenance["files"]!.Single(f => (string?)f["split"] == "train");
        Assert.Equal(_train.Length, (long)train["size"]!);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(_train)), (string?)train["sha256"]);
        Assert.DoesNotContain(Token, File.ReadAllText(Path.Combine(folder, HubDatasets.ProvenanceFileName)), StringComparison.Ordinal);

        // The Dataset view and `inspect` read the folder as its splits.
        Assert.Equal(["train", "test"], DataSets.Discover(folder).Select(s => s.Name));
        var profile = new MLIntern.Data.Profiling.DatasetProfiler(DataSets.Discover(folder), new MLIntern.Data.Profiling.DataCheckOptions()).Run();
        Assert.Equal(60, profile.Splits.Single(s => s.Name == "train").Rows);
    }

    [Fact]
    public void A_download_cut_in_the_middle_resumes_with_a_range_request_on_the_next_run()
    {
        var cut = _train.Length / 2;
        var attempts = 0;
        _files.On("/datasets/acme/tickets/resolve/refs/convert/parquet/default/train/0000.parquet",
            r => StandInResponse.File(_train, r, cutAfter: Interlocked.Increment(ref attempts) == 1 ? cut : null));
        var folder = Path.Combine(_dir, "data", "hub", "acme", "tickets");
        var file = Path.Combine(folder, "train-00000-of-00001.parquet");

        var (code, _, errors) = Run((o, e) => DatasetsCommand.DownloadAsync(Settings(), Id, null, "train", null, approve: true, "text", _dir, o, e, default));
        Assert.Equal(Commands.Failure, code);
        Assert.Contains($"train-00000-of-00001.parquet: the connection to 127.0.0.1 was cut at {cut:N0} of {_train.Length:N0} bytes. Run the same command again to resume", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.Equal(cut, new FileInfo(file + ".part").Length);
        Assert.False(File.Exists(Path.Combine(folder, HubDatasets.ProvenanceFileName)));

        (code, _, errors) = Run((o, e) => DatasetsCommand.DownloadAsync(Settings(), Id, null, "train", null, approve: true, "text", _dir, o, e, default));
        Assert.True(code == 0, errors);
        Assert.Equal($"bytes={cut}-", _files.Requests.Last().Headers["Range"]);
        Assert.Equal(_train, File.ReadAllBytes(file));
        Assert.False(File.Exists(file + ".part"));
        Assert.False(File.Exists(Path.Combine(folder, "test-00000-of-00001.parquet")));
    }

    [Fact]
    public void A_file_shorter_than_the_viewer_lists_is_not_moved_into_place()
    {
        ServeParquet(_train.Length + 100, _test.Length);
        var (code, _, errors) = Run((o, e) => DatasetsCommand.DownloadAsync(Settings(), Id, null, "train", "out", approve: true, "text", _dir, o, e, default));
        Assert.Equal(Commands.Failure, code);
        Assert.Contains($"the download ended at {_train.Length:N0} of {_train.Length + 100:N0} bytes", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "out", "train-00000-of-00001.parquet")));
    }

    [Fact]
    public void A_file_longer_than_the_viewer_lists_is_removed()
    {
        ServeParquet(_train.Length - 100, _test.Length);
        var (code, _, errors) = Run((o, e) => DatasetsCommand.DownloadAsync(Settings(), Id, null, "train", "out", approve: true, "text", _dir, o, e, default));
        Assert.Equal(Commands.Failure, code);
        Assert.Contains($"sent more than the {_train.Length - 100:N0} bytes the dataset viewer lists", errors, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void Settings_follow_huggingface_hub_variables_and_never_print_the_token()
    {
        var home = Path.Combine(_dir, "hfhome");
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, "token"), "hf_from_file\n");
        var env = new Dictionary<string, string?> { ["HF_HOME"] = home, ["HF_ENDPOINT"] = "http://127.0.0.1:9/" };
        var settings = HubSettings.From(k => env.GetValueOrDefault(k));
        Assert.Equal("hf_from_file", settings.Token);
        Assert.Equal(Path.Combine(home, "hub"), settings.CacheDirectory);
        Assert.Equal(new Uri("http://127.0.0.1:9/"), settings.Endpoint);
        Assert.Equal(new Uri(HubSettings.DefaultViewerEndpoint + "/"), settings.ViewerEndpoint);
        Assert.DoesNotContain("hf_from_file", settings.ToString(), StringComparison.Ordinal);

        env["HF_TOKEN"] = "hf_from_env";
        env["HF_HUB_CACHE"] = "/elsewhere/hub";
        settings = HubSettings.From(k => env.GetValueOrDefault(k));
        Assert.Equal("hf_from_env", settings.Token);
        Assert.Equal("/elsewhere/hub", settings.CacheDirectory);
    }

    [Fact]
    public async Task The_executable_reads_the_endpoints_and_token_from_the_environment()
    {
        _hub.OnJson("/api/datasets", """[{"id":"acme/tickets","downloads":1}]""");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlintern.dll"));
        foreach (var arg in new[] { "datasets", "search", "tickets", "--format", "json" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["HF_ENDPOINT"] = _hub.Url.ToString();
        info.Environment["MLINTERN_HF_VIEWER_ENDPOINT"] = _viewer.Url.ToString();
        info.Environment["HF_TOKEN"] = Token;
        info.Environment["HF_HUB_OFFLINE"] = null;
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (output, errors) = (await stdout, await stderr);
        Assert.True(process.ExitCode == 0, errors);
        Assert.Equal("acme/tickets", (string?)JArray.Parse(output)[0]["id"]);
        Assert.Equal($"Bearer {Token}", _hub.Requests.Single().Headers["Authorization"]);
        Assert.DoesNotContain(Token, output + errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_card_names_the_hub_data_set_its_run_was_trained_on_from_the_provenance_file()
    {
        var workspace = Path.Combine(_dir, "ws");
        foreach (var (relative, content) in MLIntern.Server.Samples.SupportTickets.Generate().Files)
        {
            var path = Path.Combine(workspace, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        var data = Path.Combine(workspace, MLIntern.Server.Samples.SupportTickets.DataPath);
        // What a download writes beside its files (HubDatasets.DownloadAsync).
        var provenance = new Provenance("huggingface-hub", Id, Sha, "default", "mit", DateTimeOffset.UnixEpoch, false, []);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(data)!, HubDatasets.ProvenanceFileName), Newtonsoft.Json.JsonConvert.SerializeObject(provenance, MLIntern.Server.Protocol.ProtocolJson.Indented));
        var output = new StringWriter();
        var errors = new StringWriter();
        Assert.True(TrainCommand.Run(workspace, new MLIntern.Server.Runs.PlanOptions { Data = data }, new TrainCommand.ApprovalChoice(true, false, false), null, output, errors) == 0, errors.ToString());
        var runId = Path.GetFileName(output.ToString().TrimEnd().Split('\n')[^1]);

        var cardOut = new StringWriter();
        var cardErrors = new StringWriter();
        CardCommand.Run(runId, workspace, new MLIntern.Server.Release.CardOptions(Author: "Jane"), cardOut, cardErrors);
        Assert.DoesNotContain("datasets", cardErrors.ToString(), StringComparison.Ordinal);
        var readme = File.ReadAllText(cardOut.ToString().TrimEnd());
        Assert.Contains($"datasets:\n- {Id}", readme.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        // Publishing reads the same provenance: the card names the data set, so nothing is in the way of that...
        var target = new MLIntern.Server.Release.PublishTarget(MLIntern.Server.Evaluate.RunContext.Resolve(runId, workspace), "acme/tickets-clf", "model", false);
        Assert.DoesNotContain(MLIntern.Server.Release.Publisher.Check(target).Problems, p => p.Kind == "provenance");

        // ...and a card edited so it no longer says where the data came from is refused.
        var cardPath = cardOut.ToString().TrimEnd();
        File.WriteAllText(cardPath, File.ReadAllText(cardPath).ReplaceLineEndings("\n").Replace($"datasets:\n- {Id}\n", "", StringComparison.Ordinal));
        var refused = MLIntern.Server.Release.Publisher.Check(target);
        Assert.False(refused.Passed);
        var problem = Assert.Single(refused.Problems, p => p.Kind == "provenance");
        Assert.Contains($"trained on the Hub data set {Id}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_endpoint_fails_every_request_instead_of_falling_back_to_the_public_hub()
    {
        var settings = HubSettings.From(k => k == "HF_ENDPOINT" ? "ftp://mirror.example" : null);
        using var client = new HubClient(settings);
        var e = await Assert.ThrowsAsync<HubException>(() => client.SearchAsync(new HubSearch("x"), default));
        Assert.Equal(HubFailure.Settings, e.Failure);
        Assert.Contains("HF_ENDPOINT is not an http(s) URL: 'ftp://mirror.example'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_mode_contacts_nothing()
    {
        var settings = new HubSettings { Endpoint = _hub.Url, ViewerEndpoint = _viewer.Url, CacheDirectory = _dir, Offline = true };
        var (code, _, errors) = Run((o, e) => DatasetsCommand.SearchAsync(settings, new HubSearch("x"), "text", o, e, default));
        Assert.Equal(Commands.Failure, code);
        Assert.Contains("HF_HUB_OFFLINE is set", errors, StringComparison.Ordinal);
        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task The_language_server_searches_describes_plans_and_downloads_only_the_approved_plan()
    {
        _hub.OnJson("/api/datasets", """[{"id":"acme/tickets","downloads":4321,"gated":"manual","tags":["task_categories:text-classification","license:mit"]}]""");
        var env = new Dictionary<string, string>
        {
            ["HF_ENDPOINT"] = _hub.Url.ToString(),
            ["MLINTERN_HF_VIEWER_ENDPOINT"] = _viewer.Url.ToString(),
            ["HF_TOKEN"] = Token,
            ["HF_HUB_OFFLINE"] = "",
        };
        await using var client = LspClient.Start(env);
        await client.InitializeAsync();

        var search = (JObject)(await client.RequestAsync("mlintern/searchDatasets", new { query = "tickets", task = "text-classification" }))!;
        ProtocolSamples.Write("searchDatasets", search);
        Assert.Equal("acme/tickets", (string?)search.SelectToken("datasets[0].id"));
        Assert.Equal("manual", (string?)search.SelectToken("datasets[0].gated"));
        Assert.Equal(["task_categories:text-classification"], _hub.Requests.Single(r => r.Path == "/api/datasets").Values("filter"));

        var info = (JObject)(await client.RequestAsync("mlintern/datasetInfo", new { id = Id }))!;
        ProtocolSamples.Write("datasetInfo", info);
        Assert.Equal("intent", (string?)info["labelColumn"]);
        Assert.Equal(["track", "refund", "escalate"], info.SelectToken("statistics.columns[0].frequencies")!.Select(f => (string?)f["value"]));
        Assert.Contains(info["warnings"]!, w => (string?)w["code"] == HubWarnings.TinyClasses);

        var plan = (JObject)(await client.RequestAsync("mlintern/planDatasetDownload", new { id = Id, workspaceFolder = _dir }))!;
        ProtocolSamples.Write("planDatasetDownload", plan);
        Assert.Equal(_train.Length + _test.Length, (long)plan["totalBytes"]!);
        Assert.Equal(2, plan["files"]!.Count());
        Assert.Empty(_files.Requests);

        var refused = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/downloadDataset", new { id = Id, workspaceFolder = _dir, approvedHash = "0000000000000000" }));
        Assert.Equal(-32010, refused.Code);
        Assert.Contains("download refused", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_files.Requests);
        var outside = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/planDatasetDownload", new { id = Id, workspaceFolder = _dir, directory = "../elsewhere" }));
        Assert.Equal(-32602, outside.Code);

        var done = (JObject)(await client.RequestAsync("mlintern/downloadDataset", new { id = Id, workspaceFolder = _dir, approvedHash = (string?)plan["hash"] }))!;
        ProtocolSamples.Write("downloadDataset", done);
        // The e2e scenario "hub-datasets" serves this real Parquet file from its own stand-in.
        ProtocolSamples.WriteFile("hub-train.parquet", _train);
        Assert.Equal(Path.Combine(_dir, "data", "hub", "acme", "tickets"), (string?)done["directory"]);
        Assert.True(File.Exists((string?)done["provenancePath"]));
        Assert.Equal(_train, File.ReadAllBytes(Path.Combine(_dir, "data", "hub", "acme", "tickets", "train-00000-of-00001.parquet")));

        _hub.OnJson($"/api/datasets/{Id}", """{"error":"gated"}""", 403);
        var gated = await Assert.ThrowsAsync<LspErrorException>(() => client.RequestAsync("mlintern/datasetInfo", new { id = Id }));
        Assert.Contains("accept the terms on the Hub", gated.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, gated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_interns_download_runs_only_with_the_humans_approval_of_the_plan_it_showed()
    {
        string[] arguments =
        [
            $$"""{"id": "{{Id}}"}""",
            $$"""{"id": "{{Id}}", "config": "default"}""",
            $$"""{"id": "{{Id}}", "directory": "data/hub/acme/tickets"}""",
            $$"""{"id": "{{Id}}", "config": "default", "directory": "data/hub/acme/tickets"}""",
        ];
        await using var llm = new StreamingChatStandIn((turn, body) => turn < arguments.Length
            ? [StreamingChatStandIn.Call(0, $"d{turn + 1}", "download_dataset", arguments[turn])]
            : [StreamingChatStandIn.Text("downloaded")]);
        var env = new Dictionary<string, string>
        {
            ["HF_ENDPOINT"] = _hub.Url.ToString(),
            ["MLINTERN_HF_VIEWER_ENDPOINT"] = _viewer.Url.ToString(),
            ["HF_TOKEN"] = Token,
            ["HF_HUB_OFFLINE"] = "",
        };
        await using var client = LspClient.Start(env);
        await client.InitializeAsync();
        await client.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { mlintern = new { assistant = new { endpoint = llm.BaseUrl, model = "stand-in", apiKeyVariable = "MLINTERN_TEST_KEY" } } } });
        var session = (string)(await client.RequestAsync("mlintern/agentStart", new { workspaceFolder = _dir, prompt = "get the acme/tickets data set" }))!["sessionId"]!;
        var folder = Path.Combine(_dir, "data", "hub", "acme", "tickets");

        async Task<JObject> Approval(string call) =>
            (JObject)(await client.WaitForNotificationAsync("mlintern/agentEvent", e => (string?)e["kind"] == "approval" && (string?)e["approval"]!["approvalId"] == "approve-" + call, TimeSpan.FromSeconds(60)))["approval"]!;
        async Task<JObject> Answer(string call, string? token)
        {
            var respond = (JObject)(await client.RequestAsync("mlintern/agentRespond", new { workspaceFolder = _dir, sessionId = session, approvalId = "approve-" + call, approved = true, approvalToken = token }))!;
            Assert.True((bool)respond["accepted"]!, (string?)respond["reason"]);
            return (JObject)(await client.WaitForNotificationAsync("mlintern/agentEvent", e => (string?)e["kind"] == "toolResult" && (string?)e["result"]!["callId"] == call, TimeSpan.FromSeconds(60)))["result"]!;
        }

        // The approval carries the plan the editor's download dialog shows (files, size, license, hash); nothing is fetched yet.
        var first = await Approval("d1");
        Assert.Equal("download", (string?)first["kind"]);
        Assert.Equal(Id, (string?)first["download"]!["id"]);
        Assert.Equal(_train.Length + _test.Length, (long)first["download"]!["totalBytes"]!);
        var hash = (string)first["download"]!["hash"]!;
        Assert.Empty(_files.Requests);

        // No token, a forged one: refused, nothing written.
        Assert.Contains("download refused", (string?)(await Answer("d1", null))["summary"], StringComparison.Ordinal);
        await Approval("d2");
        Assert.Contains("download refused", (string?)(await Answer("d2", "0123456789abcdef"))["summary"], StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
        Assert.Empty(_files.Requests);

        // The human's approval of the plan shown: downloaded.
        Assert.Equal(hash, (string?)(await Approval("d3"))["download"]!["hash"]);
        var done = await Answer("d3", hash);
        Assert.True((bool)done["ok"]!, (string?)done["summary"]);
        Assert.Equal(_train, File.ReadAllBytes(Path.Combine(folder, "train-00000-of-00001.parquet")));
        Assert.True(File.Exists(Path.Combine(folder, HubDatasets.ProvenanceFileName)));
        var fetched = _files.Requests.Count;
        var written = File.GetLastWriteTimeUtc(Path.Combine(folder, HubDatasets.ProvenanceFileName));

        // The same approval again (a replay): refused, nothing fetched or written.
        Assert.Equal(hash, (string?)(await Approval("d4"))["download"]!["hash"]);
        var replayed = await Answer("d4", hash);
        Assert.False((bool)replayed["ok"]!);
        Assert.Contains("already used", (string?)replayed["summary"], StringComparison.Ordinal);
        Assert.Equal(fetched, _files.Requests.Count);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(folder, HubDatasets.ProvenanceFileName)));
        await client.WaitForNotificationAsync("mlintern/agentEvent", e => (string?)e["kind"] == "done", TimeSpan.FromSeconds(60));
        Assert.Empty(llm.Errors);
    }
}
