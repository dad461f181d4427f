namespace MLIntern.Server.Hub;

/// <summary>
/// Where the Hugging Face Hub, its dataset viewer and the local Hub cache are, and the token, read
/// the way huggingface_hub reads them: `HF_ENDPOINT` (default https://huggingface.co), `HF_TOKEN`
/// then the token file (`HF_TOKEN_PATH`, default `$HF_HOME/token`), `HF_HUB_CACHE` (default
/// `$HF_HOME/hub`), `HF_HOME` (default `$XDG_CACHE_HOME/huggingface` or ~/.cache/huggingface),
/// `HF_HUB_OFFLINE`. The viewer has no huggingface_hub variable, so ML Intern adds
/// `MLINTERN_HF_VIEWER_ENDPOINT` (default https://datasets-server.huggingface.co), and
/// `MLINTERN_HUB_TIMEOUT` (seconds, default 30) for each request.
/// </summary>
/// <remarks>The token is never printed: <see cref="ToString"/> leaves it out, and nothing else reads it but the request that carries it.</remarks>
internal sealed class HubSettings
{
    public const string DefaultEndpoint = "https://huggingface.co";
    public const string DefaultViewerEndpoint = "https://datasets-server.huggingface.co";

    private const long MaxTokenFileBytes = 4096;

    public required Uri Endpoint { get; init; }

    public required Uri ViewerEndpoint { get; init; }

    public string? Token { get; init; }

    /// <summary>Where the token came from ("HF_TOKEN", "the token file"), for messages that must not show it.</summary>
    public string? TokenSource { get; init; }

    public required string CacheDirectory { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool Offline { get; init; }

    /// <summary>Why the environment's endpoints cannot be used (an HF_ENDPOINT that is not an http(s) URL); every request then fails with it rather than falling back to the public Hub.</summary>
    public string? Problem { get; init; }

    public static HubSettings FromEnvironment() => From(Environment.GetEnvironmentVariable);

    /// <summary>The Hub cache folder alone (no token read): what the script checks resolve `load_dataset("org/name")` in.</summary>
    public static string CacheDirectoryFrom(Func<string, string?> env) => NonEmpty(env("HF_HUB_CACHE")) ?? Path.Combine(Home(env), "hub");

    private static string Home(Func<string, string?> env) => NonEmpty(env("HF_HOME"))
        ?? Path.Combine(NonEmpty(env("XDG_CACHE_HOME")) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "huggingface");

    public static HubSettings From(Func<string, string?> env)
    {
        var home = Home(env);
        string? token = NonEmpty(env("HF_TOKEN"));
        var source = token is null ? null : "HF_TOKEN";
        if (token is null)
        {
            var file = NonEmpty(env("HF_TOKEN_PATH")) ?? Path.Combine(home, "token");
            try
            {
                // A token is under a hundred characters; a big file at that path is not a token file and is not read.
                token = new FileInfo(file) is { Exists: true, Length: <= MaxTokenFileBytes } ? NonEmpty(File.ReadAllText(file).Trim()) : null;
                source = token is null ? null : "the token file";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                token = null;
            }
        }

        var timeout = double.TryParse(env("MLINTERN_HUB_TIMEOUT"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(30);
        var problems = new List<string>();
        return new HubSettings
        {
            Endpoint = BaseUri("HF_ENDPOINT", env("HF_ENDPOINT"), DefaultEndpoint, problems),
            ViewerEndpoint = BaseUri("MLINTERN_HF_VIEWER_ENDPOINT", env("MLINTERN_HF_VIEWER_ENDPOINT"), DefaultViewerEndpoint, problems),
            Problem = problems.Count == 0 ? null : string.Join("; ", problems),
            Token = token,
            TokenSource = source,
            CacheDirectory = CacheDirectoryFrom(env),
            Timeout = timeout,
            Offline = NonEmpty(env("HF_HUB_OFFLINE")) is "1" or "true" or "TRUE" or "yes" or "ON" or "on",
        };
    }

    public override string ToString() =>
        $"hub {Endpoint}, viewer {ViewerEndpoint}, cache {CacheDirectory}, token {(Token is null ? "none" : "from " + TokenSource)}";

    private static Uri BaseUri(string variable, string? value, string fallback, List<string> problems)
    {
        var text = NonEmpty(value) ?? fallback;
        if (Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        problems.Add($"{variable} is not an http(s) URL: '{text}'");
        return new Uri(fallback + "/");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
