using MLIntern.Data.Checks;
using MLIntern.Server.State;

namespace MLIntern.Server.Encoder;

/// <summary>
/// The embedding function MLD007's paraphrase part gets when it is opted in (`mlintern.data.paraphraseOverlap`,
/// `paraphrase-overlap` in pyproject.toml, `check --paraphrases`): the built-in encoder, loaded on the first
/// call and kept for the process, with embeddings cached by content in the workspace's
/// `.mlintern/cache/embeddings` (the nearest folder above the data holding `.mlintern/`). Without the opt-in
/// nothing calls <see cref="For"/>, so the model is never loaded. Embeddings run one list at a time.
/// </summary>
internal static class ParaphraseEmbedding
{
    private static readonly Lazy<BuiltInEncoder> Encoder = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static int loads;
    private static int calls;

    /// <summary>How many times this process loaded the encoder for the data checks (0 or 1); for tests.</summary>
    public static int Loads => Volatile.Read(ref loads);

    /// <summary>How many lists of texts the data checks asked to embed (cached or not); for tests: without the opt-in it does not move.</summary>
    public static int Calls => Volatile.Read(ref calls);

    /// <summary>The embedding function for the data set of <paramref name="dataPath"/>; <paramref name="say"/> gets progress lines.</summary>
    public static TextEmbedder For(string dataPath, Action<string>? say = null)
    {
        var store = WorkspaceOf(dataPath) is { } root ? new WorkspaceStore(root) : null;
        return (texts, cancellationToken) =>
        {
            Interlocked.Increment(ref calls);
            Gate.Wait(cancellationToken);
            try
            {
                return Encoder.Value.Embed(store, texts, say ?? (_ => { }), cancellationToken);
            }
            finally
            {
                Gate.Release();
            }
        };
    }

    /// <summary>The nearest folder at or above the data (a file's folder, or the data set's folder) that holds `.mlintern/`, or null (then nothing is cached).</summary>
    public static string? WorkspaceOf(string dataPath)
    {
        var full = Path.GetFullPath(dataPath);
        for (var folder = Directory.Exists(full) ? full : Path.GetDirectoryName(full); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (Directory.Exists(Path.Combine(folder, ".mlintern")))
            {
                return folder;
            }
        }

        return null;
    }

    private static BuiltInEncoder Load()
    {
        Interlocked.Increment(ref loads);
        return new BuiltInEncoder();
    }
}
