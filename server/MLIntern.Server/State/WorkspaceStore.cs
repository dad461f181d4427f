using MLIntern.Training.Plans;
using MLIntern.Training.Runs;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace MLIntern.Server.State;

/// <summary>
/// The `.mlintern/` folder of a workspace, and the one reader and writer of what is in it: plans
/// (`plans/&lt;id&gt;.md` + `.json`) and runs (`runs/&lt;id&gt;/run.json` with the run's publish
/// approvals, metrics.jsonl, stdout.log, eval.json, predictions.jsonl, model.bin). Every file is
/// replaced whole through a temporary file of its own (<see cref="AtomicFile"/>); run.json changes
/// only as a function of its current content under the run's lock (<see cref="RunLock"/>), which the
/// `train --run` child takes too, so concurrent updates of different fields all survive.
/// Creating a run folder goes through the approval gate: <see cref="CreateRun"/> is the only way a
/// run.json comes into being.
/// </summary>
internal sealed class WorkspaceStore(string workspace, long? cacheLimitBytes = null)
{
    public const string RunFile = "run.json";

    /// <summary>
    /// How large `.mlintern/cache` may grow (default 1 GiB; `MLINTERN_CACHE_LIMIT_MB` sets another): after
    /// each write the least recently used entries go until the folder fits. A read counts as a use.
    /// </summary>
    public long CacheLimitBytes { get; } = cacheLimitBytes ?? DefaultCacheLimit();
    public const string EvalFile = "eval.json";

    /// <summary>The one serializer setting for the files on disk (camel-case names, enums as strings, nulls left out).</summary>
    public static readonly JsonSerializerSettings Json = new()
    {
        ContractResolver = new DefaultContractResolver { NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false } },
        Converters = { new StringEnumConverter(new CamelCaseNamingStrategy()) },
        Formatting = Formatting.Indented,
        NullValueHandling = NullValueHandling.Ignore,
        DateParseHandling = DateParseHandling.DateTimeOffset,
    };

    private static readonly JsonSerializer Serializer = JsonSerializer.Create(Json);

    /// <summary>run.json's field names as <see cref="RunRecord"/> knows them; any other field in a file is kept as it is.</summary>
    private static readonly HashSet<string> RunFields = [.. ((JsonObjectContract)Serializer.ContractResolver.ResolveContract(typeof(RunRecord))).Properties.Select(p => p.PropertyName!)];

    public string Workspace { get; } = Path.GetFullPath(workspace);

    public string PlansFolder => Path.Combine(Workspace, ".mlintern", "plans");

    public string RunsFolder => Path.Combine(Workspace, ".mlintern", "runs");

    /// <summary>Embeddings of the built-in encoder, one file per content hash of the texts (and the model).</summary>
    public string CacheFolder => Path.Combine(Workspace, ".mlintern", "cache");

    public string EmbeddingsFolder => Path.Combine(CacheFolder, "embeddings");

    /// <summary>Cached embeddings for a key (hex), or null when there are none or the file is damaged.</summary>
    public float[][]? ReadEmbeddings(string key, int count, int dimension)
    {
        var path = Path.Combine(EmbeddingsFolder, key + ".f32");
        if (!IsHexKey(key) || !File.Exists(path) || new FileInfo(path).Length != (long)count * dimension * sizeof(float))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        Touch(path);
        var result = new float[count][];
        for (var i = 0; i < count; i++)
        {
            result[i] = new float[dimension];
            Buffer.BlockCopy(bytes, i * dimension * sizeof(float), result[i], 0, dimension * sizeof(float));
        }

        return result;
    }

    /// <summary>Stores embeddings under a key (little-endian float32, row after row), atomically.</summary>
    public void WriteEmbeddings(string key, float[][] embeddings, int dimension)
    {
        Directory.CreateDirectory(EmbeddingsFolder);
        var bytes = new byte[embeddings.Length * dimension * sizeof(float)];
        for (var i = 0; i < embeddings.Length; i++)
        {
            Buffer.BlockCopy(embeddings[i], 0, bytes, i * dimension * sizeof(float), dimension * sizeof(float));
        }

        var path = Path.Combine(EmbeddingsFolder, key + ".f32");
        AtomicFile.WriteAllBytes(path, bytes);
        TrimCache(path);
    }

    /// <summary>The encoder head's cross-validated search outcomes, one file per key (EncoderBaseline.SearchKey).</summary>
    public string HeadSearchFolder => Path.Combine(CacheFolder, "head-search");

    /// <summary>The stored search outcome under a key (hex), or null when there is none or the key is not hex.</summary>
    public byte[]? ReadHeadSearch(string key)
    {
        if (!IsHexKey(key))
        {
            return null;
        }

        var path = Path.Combine(HeadSearchFolder, key + ".bin");
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        Touch(path);
        return bytes;
    }

    /// <summary>Stores a search outcome under a key (hex), atomically.</summary>
    public void WriteHeadSearch(string key, byte[] bytes)
    {
        if (!IsHexKey(key))
        {
            throw new ArgumentException($"'{key}' is not a cache key");
        }

        Directory.CreateDirectory(HeadSearchFolder);
        var path = Path.Combine(HeadSearchFolder, key + ".bin");
        AtomicFile.WriteAllBytes(path, bytes);
        TrimCache(path);
    }

    /// <summary>
    /// Removes the least recently used cache entries (by last write time: a read touches it) until the
    /// cache fits <see cref="CacheLimitBytes"/>; the entry just written stays even when it alone is larger.
    /// An entry another process removed or holds is skipped. Returns the files removed.
    /// </summary>
    public IReadOnlyList<string> TrimCache(string? keep = null)
    {
        var removed = new List<string>();
        if (!Directory.Exists(CacheFolder))
        {
            return removed;
        }

        var entries = new DirectoryInfo(CacheFolder).EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => !IsInFlight(f))
            .OrderBy(f => f.LastWriteTimeUtc)
            .ToList();
        var total = entries.Sum(f => f.Length);
        foreach (var entry in entries)
        {
            if (total <= CacheLimitBytes)
            {
                break;
            }

            if (keep is not null && string.Equals(entry.FullName, Path.GetFullPath(keep), StringComparison.Ordinal))
            {
                continue;
            }

            var length = entry.Length;
            try
            {
                entry.Delete();
                total -= length;
                removed.Add(entry.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone already, or in use: the next write tries again.
            }
        }

        return removed;
    }

    // Another writer's temporary file (AtomicFile) is not an entry yet; one an hour old was left by a crash.
    private static bool IsInFlight(FileInfo file) =>
        file.Name.EndsWith(".mlintern-tmp", StringComparison.Ordinal) && file.LastWriteTimeUtc > DateTime.UtcNow.AddHours(-1);

    private static void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only cache still reads; it only ages sooner.
        }
    }

    private static long DefaultCacheLimit() =>
        long.TryParse(Environment.GetEnvironmentVariable("MLINTERN_CACHE_LIMIT_MB"), out var mb) && mb > 0 ? mb * 1024 * 1024 : 1L << 30;

    private static bool IsHexKey(string key) => key.Length is > 0 and <= 128 && key.All(char.IsAsciiHexDigitLower);

    public string PlanJsonPath(string planId) => Path.Combine(PlansFolder, planId + ".json");

    public string PlanMarkdownPath(string planId) => Path.Combine(PlansFolder, planId + ".md");

    public string RunFolder(string runId) => RunIds.IsValid(runId) ? Path.Combine(RunsFolder, runId) : throw new ArgumentException($"'{runId}' is not a run id");

    public void SavePlan(TrainingPlan plan)
    {
        Directory.CreateDirectory(PlansFolder);
        AtomicFile.WriteAllText(PlanJsonPath(plan.Id), JsonConvert.SerializeObject(plan, Json) + "\n");
        AtomicFile.WriteAllText(PlanMarkdownPath(plan.Id), PlanMarkdown.Render(plan));
    }

    /// <summary>The plan saved under an id, or null. A plan whose content no longer matches its hash still loads; the gate refuses it.</summary>
    public TrainingPlan? LoadPlan(string planId)
    {
        if (!RunIds.IsValid(planId) || !File.Exists(PlanJsonPath(planId)))
        {
            return null;
        }

        return JsonConvert.DeserializeObject<TrainingPlan>(File.ReadAllText(PlanJsonPath(planId)), Json);
    }

    /// <summary>Creates the run folder of an approved plan, with the plan's command (see the overload).</summary>
    public RunRecord CreateRun(TrainingPlan plan, Approval? approval, bool smoke) =>
        CreateRun(plan, approval, _ => plan.CommandFor(smoke), smoke);

    /// <summary>
    /// Creates the run folder with run.json for an approved plan. Asks the gate first and throws
    /// <see cref="ApprovalRefusedException"/> when it refuses: no folder, no run. The approval is
    /// recorded signed, with a fresh one-time nonce (<see cref="ApprovalSeal"/>): this is the one
    /// place a run approval gets the signature the executor checks. The command must be the one the
    /// plan runs (<see cref="TrainingPlan.CommandFor"/>).
    /// </summary>
    public RunRecord CreateRun(TrainingPlan plan, Approval? approval, Func<string, MLIntern.Training.Launch.LaunchCommand> command, bool smoke)
    {
        var decision = ApprovalGate.Check(plan, approval);
        if (!decision.Allowed)
        {
            throw new ApprovalRefusedException(decision.Reason);
        }

        var planned = plan.CommandFor(smoke);
        Approval signed;
        try
        {
            signed = ApprovalSeal.Sign(approval!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ApprovalRefusedException($"the approval cannot be signed: {e.Message}");
        }

        var now = DateTimeOffset.UtcNow;
        Directory.CreateDirectory(RunsFolder);
        string id;
        string folder;
        do
        {
            id = RunIds.New(now);
            folder = RunFolder(id);
        }
        while (!TryCreateFolder(folder));

        var launch = command(folder);
        if (!launch.SameAs(planned))
        {
            Directory.Delete(folder);
            throw new ApprovalRefusedException($"the run's command ({launch.CommandLine}) is not the plan's ({planned.CommandLine})");
        }

        var record = new RunRecord(
            id,
            plan.RunKind,
            (smoke && !plan.Smoke ? "Smoke test: " : "") + plan.Title,
            launch,
            launch.ToString(),
            new PlanReference(plan.Id, plan.Hash, PlanJsonPath(plan.Id), plan.Estimate.Flops, plan.Estimate.Hours, plan.Estimate.CostUsd, plan.OverBudget, plan.Estimate.Known),
            signed,
            RunStatus.Approved,
            now,
            Smoke: smoke || plan.Smoke);
        using (RunLock.Take(folder))
        {
            AtomicFile.WriteAllText(Path.Combine(folder, RunFile), Serialize(record, null));
        }

        return record;
    }

    public RunRecord? LoadRun(string runId) => RunIds.IsValid(runId) ? ReadRun(RunFolder(runId)) : null;

    /// <summary>Changes a run's run.json (see <see cref="UpdateRun(string, Func{RunRecord, RunRecord?}, TimeSpan?)"/>); null when there is no such run.</summary>
    public RunRecord? UpdateRun(string runId, Func<RunRecord, RunRecord?> update) =>
        RunIds.IsValid(runId) ? UpdateRun(RunFolder(runId), update, null) : null;

    /// <summary>Every run with a readable run.json, newest first (at most 500).</summary>
    public IReadOnlyList<RunRecord> ListRuns()
    {
        if (!Directory.Exists(RunsFolder))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(RunsFolder)
            .Select(Path.GetFileName)
            .OrderDescending(StringComparer.Ordinal)
            .Take(500)
            .Select(id => LoadRun(id!))
            .OfType<RunRecord>()];
    }

    /// <summary>A run folder's run.json (in .mlintern/runs/ or any folder a run was copied to), or null when it is missing or not a run record.</summary>
    /// <remarks>
    /// A run that says "running" while the process that started it is gone (killed, crashed, the
    /// machine rebooted) is ended here as failed — under the run's lock, and only if it is still so
    /// there — so every reader (listRuns, getRun, the CLI) sees the same end and none sees it hang.
    /// </remarks>
    public static RunRecord? ReadRun(string runFolder)
    {
        var path = Path.Combine(runFolder, RunFile);
        RunRecord? record;
        try
        {
            record = File.Exists(path) ? JsonConvert.DeserializeObject<RunRecord>(File.ReadAllText(path), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }

        if (record is { Status: RunStatus.Running, Process: { } process } && ProcessIdentity.IsGone(process))
        {
            try
            {
                record = UpdateRun(runFolder, EndIfProcessGone) ?? record;
            }
            catch (RunFileException)
            {
                // Held or unreadable now: the next read ends it.
            }
        }

        return record;
    }

    private static RunRecord? EndIfProcessGone(RunRecord run) =>
        run is { Status: RunStatus.Running, Process: { } process } && ProcessIdentity.IsGone(process)
            ? run with { Status = RunStatus.Failed, EndedAt = DateTimeOffset.UtcNow, Error = RunStatus.ProcessGoneError }
            : null;

    /// <summary>
    /// The one way run.json changes after it is created: under the run's lock, <paramref name="update"/>
    /// gets the record as it is on disk now and returns the new record (or null to leave it as it is);
    /// the file is replaced atomically, keeping fields this version does not know. Returns the record
    /// as it stands afterwards, or null when the folder has no run.json. Throws
    /// <see cref="RunFileException"/> when run.json is not a readable record or the lock stays taken.
    /// </summary>
    public static RunRecord? UpdateRun(string runFolder, Func<RunRecord, RunRecord?> update, TimeSpan? lockTimeout = null)
    {
        var path = Path.Combine(runFolder, RunFile);
        if (!File.Exists(path))
        {
            return null;
        }

        using var held = RunLock.Take(runFolder, lockTimeout);
        if (!File.Exists(path))
        {
            return null;
        }

        JObject raw;
        RunRecord current;
        try
        {
            var text = File.ReadAllText(path);
            using (var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None })
            {
                raw = JObject.Load(reader);
            }

            current = JsonConvert.DeserializeObject<RunRecord>(text, Json) ?? throw new JsonSerializationException("null");
        }
        catch (JsonException e)
        {
            throw new RunFileException($"{path} is not valid JSON ({e.Message}); it was not changed");
        }

        var next = update(current);
        if (next is null || ReferenceEquals(next, current))
        {
            return current;
        }

        AtomicFile.WriteAllText(path, Serialize(next, raw));
        return next;
    }

    /// <summary>run.json's text: the record, plus the fields of <paramref name="original"/> that the record does not know.</summary>
    private static string Serialize(RunRecord record, JObject? original)
    {
        var unknown = original?.Properties().Where(p => !RunFields.Contains(p.Name)).ToList() ?? [];
        if (unknown.Count == 0)
        {
            return JsonConvert.SerializeObject(record, Json) + "\n";
        }

        var json = JObject.FromObject(record, Serializer);
        foreach (var property in unknown)
        {
            json[property.Name] = property.Value.DeepClone();
        }

        return json.ToString(Formatting.Indented) + "\n";
    }

    /// <summary>A run folder's eval.json as written, or null when missing or not JSON.</summary>
    public static JObject? ReadEval(string runFolder)
    {
        var path = Path.Combine(runFolder, EvalFile);
        try
        {
            return File.Exists(path) ? JObject.Parse(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes a whole file of a run's outputs (eval.json, …) atomically.</summary>
    public void WriteRunFile(string runId, string name, string text) => AtomicFile.WriteAllText(Path.Combine(RunFolder(runId), name), text);

    /// <summary>Writes a whole file of a run's outputs (model.bin, predictions.jsonl) atomically, streamed.</summary>
    public void WriteRunFile(string runId, string name, Action<Stream> write) => AtomicFile.Write(Path.Combine(RunFolder(runId), name), write);

    /// <summary>The agent's conversations: one <c>&lt;id&gt;.jsonl</c> per session, one event per line.</summary>
    public string SessionsFolder => Path.Combine(Workspace, ".mlintern", "sessions");

    /// <summary>A session id is lowercase letters, digits and dashes (it names a file).</summary>
    public static bool IsSessionId(string? id) => id is { Length: > 0 and <= 64 } && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    public string SessionPath(string sessionId) => IsSessionId(sessionId) ? Path.Combine(SessionsFolder, sessionId + ".jsonl") : throw new ArgumentException($"'{sessionId}' is not a session id");

    /// <summary>
    /// Appends lines (JSON, no line breaks inside) to a session file, redacted once more, under the
    /// session's lock: each line is written whole in one append and flushed, so a reader never sees half
    /// of one and two writers never interleave.
    /// </summary>
    public void AppendSession(string sessionId, IEnumerable<string> lines)
    {
        var path = SessionPath(sessionId);
        Directory.CreateDirectory(SessionsFolder);
        var text = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            text.Append(MLIntern.Findings.Secrets.Redact(line.Replace('\n', ' ').Replace('\r', ' '))).Append('\n');
        }

        using var held = RunLock.TakeFile(path + ".lock");
        AtomicFile.AppendLines(path, text.ToString());
    }

    /// <summary>Replaces a session file whole (atomically, under the session's lock) with these lines, redacted.</summary>
    public void RewriteSession(string sessionId, IEnumerable<string> lines)
    {
        var path = SessionPath(sessionId);
        Directory.CreateDirectory(SessionsFolder);
        using var held = RunLock.TakeFile(path + ".lock");
        AtomicFile.WriteAllText(path, string.Concat(lines.Select(l => MLIntern.Findings.Secrets.Redact(l.Replace('\n', ' ').Replace('\r', ' ')) + "\n")));
    }

    /// <summary>A session file's complete lines (a last line without its newline, still being written, is left out); empty when there is none.</summary>
    public IReadOnlyList<string> ReadSession(string sessionId)
    {
        var path = SessionPath(sessionId);
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, new System.Text.UTF8Encoding(false));
        var text = reader.ReadToEnd();
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : [.. text[..end].Split('\n').Where(l => l.Length > 0)];
    }

    /// <summary>The ids of the workspace's sessions (at most 500, newest file first).</summary>
    public IReadOnlyList<string> ListSessions() =>
        !Directory.Exists(SessionsFolder) ? [] : [.. new DirectoryInfo(SessionsFolder).EnumerateFiles("*.jsonl")
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .Select(f => Path.GetFileNameWithoutExtension(f.Name))
            .Where(IsSessionId)
            .Take(500)];

    private static bool TryCreateFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            return false;
        }

        Directory.CreateDirectory(folder);
        return true;
    }
}

/// <summary>The approval gate said no; the message says why.</summary>
internal sealed class ApprovalRefusedException(string reason) : Exception($"launch refused: {reason}");
