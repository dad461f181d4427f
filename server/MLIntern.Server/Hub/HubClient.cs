using System.Net;
using System.Net.Http.Headers;
using MLIntern.Data.Hub;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Hub;

/// <summary>What went wrong talking to the Hub, so a caller can act on it (retry later, ask for a token) without reading the message.</summary>
internal enum HubFailure
{
    Unauthorized,
    Forbidden,
    NotFound,
    RateLimited,
    Timeout,
    Unreachable,
    ServerError,
    BadAnswer,
    Offline,
    Incomplete,
    Settings,
}

/// <summary>A failure with the message a user sees. Messages name the data set and the host, never the token or a header.</summary>
internal sealed class HubException(HubFailure failure, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public HubFailure Failure { get; } = failure;

    /// <summary>From a 429's `Retry-After`, when it had one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>A search of the Hub's data sets (`GET /api/datasets`).</summary>
internal sealed record HubSearch(string? Query, string? Task = null, string? Language = null, string? License = null, string Sort = "downloads", int Limit = 20);

/// <summary>
/// The Hub API (`/api/datasets`, `/api/datasets/{id}`) and the dataset viewer API (`/is-valid`,
/// `/splits`, `/info`, `/first-rows`, `/statistics`, `/parquet`) over HTTP, with a timeout per
/// request and a clear <see cref="HubException"/> for each status a user can do something about.
/// The token goes only to the configured Hub and viewer hosts (a file URL on another host gets none,
/// and HttpClient drops it on a redirect).
/// </summary>
internal sealed class HubClient : IDisposable
{
    /// <summary>A JSON answer larger than this is refused (a search of 100 full entries is well under it).</summary>
    private const int MaxJsonBytes = 32 << 20;

    private readonly HubSettings _settings;
    private readonly HttpClient _http;

    public HubClient(HubSettings settings, HttpMessageHandler? handler = null)
    {
        _settings = settings;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, ConnectTimeout = settings.Timeout })
        {
            // Each request has its own deadline (and a download one per read), so the client's own is off.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("mlintern", typeof(HubClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    public HubSettings Settings => _settings;

    public void Dispose() => _http.Dispose();

    public async Task<IReadOnlyList<HubDatasetSummary>> SearchAsync(HubSearch search, CancellationToken cancellationToken)
    {
        var query = new List<(string, string)>();
        if (!string.IsNullOrWhiteSpace(search.Query))
        {
            query.Add(("search", search.Query));
        }

        foreach (var (prefix, value) in new[] { ("task_categories", search.Task), ("language", search.Language), ("license", search.License) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Add(("filter", $"{prefix}:{value}"));
            }
        }

        query.Add(("sort", search.Sort));
        query.Add(("direction", "-1"));
        query.Add(("limit", Math.Clamp(search.Limit, 1, 100).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        query.Add(("full", "true"));
        var json = await GetJsonAsync(Url(_settings.Endpoint, "api/datasets", query), "the Hub", null, cancellationToken);
        return json is JArray items
            ? [.. items.OfType<JObject>().Select(HubJson.Summary).OfType<HubDatasetSummary>()]
            : throw BadAnswer("the Hub", "a search answer that is not a list");
    }

    /// <summary>The Hub's entry of one data set (`GET /api/datasets/{id}`): its card data, revision and gating.</summary>
    public async Task<HubDatasetSummary> DatasetAsync(string id, CancellationToken cancellationToken)
    {
        var json = await GetJsonAsync(new Uri(_settings.Endpoint, "api/datasets/" + EscapeId(id)), "the Hub", id, cancellationToken);
        return json is JObject o && HubJson.Summary(o) is { } summary ? summary : throw BadAnswer("the Hub", $"no data set entry for {id}");
    }

    /// <summary>One dataset viewer endpoint's answer (`/splits?dataset=…` and the like).</summary>
    public Task<JToken> ViewerAsync(string endpoint, string id, CancellationToken cancellationToken, string? config = null, string? split = null)
    {
        var query = new List<(string, string)> { ("dataset", id) };
        if (config is not null)
        {
            query.Add(("config", config));
        }

        if (split is not null)
        {
            query.Add(("split", split));
        }

        return GetJsonAsync(Url(_settings.ViewerEndpoint, endpoint, query), "the dataset viewer", id, cancellationToken);
    }

    public async Task<(IReadOnlyList<HubParquetFile> Files, bool Partial)> ParquetFilesAsync(string id, CancellationToken cancellationToken)
    {
        var json = await ViewerAsync("parquet", id, cancellationToken);
        return HubJson.ParquetFiles(json) ?? throw BadAnswer("the dataset viewer", $"no list of Parquet files for {id}");
    }

    /// <summary>
    /// Downloads <paramref name="file"/> into <paramref name="destination"/> through a `.part` file
    /// beside it: a `.part` left by a cut download is resumed with a `Range` request, and the file
    /// is moved into place only when it has exactly the size the viewer listed.
    /// </summary>
    /// <param name="progress">Bytes on disk so far, called after each read.</param>
    public async Task DownloadAsync(string id, HubParquetFile file, string destination, Action<long>? progress, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(destination);
        var part = destination + ".part";
        if (File.Exists(destination) && new FileInfo(destination).Length == file.Size)
        {
            progress?.Invoke(file.Size);
            return;
        }

        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (have > file.Size)
        {
            File.Delete(part);
            have = 0;
        }

        if (!Uri.TryCreate(file.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw BadAnswer("the dataset viewer", $"a Parquet file URL that is not http(s) for {id}");
        }

        var overflow = false;
        if (have < file.Size)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (have > 0)
            {
                request.Headers.Range = new RangeHeaderValue(have, null);
            }

            using var response = await SendAsync(request, "the Hub", id, cancellationToken);
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                File.Delete(part);
                throw new HubException(HubFailure.Incomplete, $"{name}: {url.Host} cannot resume the partial download (416); it was removed. Run the same command again to download it from the start.");
            }

            var append = have > 0 && response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
            if (!append)
            {
                have = 0;
            }

            await using (var output = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            await using (var input = await response.Content.ReadAsStreamAsync(cancellationToken))
            {
                var buffer = new byte[1 << 16];
                while (true)
                {
                    int read;
                    using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        idle.CancelAfter(_settings.Timeout);
                        try
                        {
                            read = await input.ReadAsync(buffer, idle.Token);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                            throw new HubException(HubFailure.Incomplete, $"{name}: no data from {url.Host} for {Seconds(_settings.Timeout)}; the download stopped at {have:N0} of {file.Size:N0} bytes. Run the same command again to resume from there.");
                        }
                        catch (Exception e) when (e is IOException or HttpRequestException)
                        {
                            throw new HubException(HubFailure.Incomplete, $"{name}: the connection to {url.Host} was cut at {have:N0} of {file.Size:N0} bytes. Run the same command again to resume from there.");
                        }
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    if (have + read > file.Size)
                    {
                        overflow = true;
                        break;
                    }

                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    have += read;
                    progress?.Invoke(have);
                }
            }
        }

        var length = new FileInfo(part).Length;
        if (overflow || length > file.Size)
        {
            File.Delete(part);
            throw new HubException(HubFailure.Incomplete, $"{name}: {url.Host} sent more than the {file.Size:N0} bytes the dataset viewer lists; the partial file was removed. Run the same command again.");
        }

        if (length < file.Size)
        {
            throw new HubException(HubFailure.Incomplete, $"{name}: the download ended at {length:N0} of {file.Size:N0} bytes. Run the same command again to resume from there.");
        }

        File.Move(part, destination, overwrite: true);
    }

    private async Task<JToken> GetJsonAsync(Uri url, string who, string? id, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_settings.Timeout);
        try
        {
            using var response = await SendAsync(request, who, id, deadline.Token);
            if (response.Content.Headers.ContentLength > MaxJsonBytes)
            {
                throw BadAnswer(who, $"an answer of {response.Content.Headers.ContentLength:N0} bytes (more than ML Intern reads)");
            }

            var text = await response.Content.ReadAsStringAsync(deadline.Token);
            try
            {
                return JToken.Parse(text);
            }
            catch (Newtonsoft.Json.JsonException)
            {
                throw BadAnswer(who, "an answer that is not JSON");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HubException(HubFailure.Timeout, $"no answer from {who} ({url.Host}) within {Seconds(_settings.Timeout)}; set MLINTERN_HUB_TIMEOUT (seconds) to wait longer");
        }
    }

    /// <summary>Sends with the token when the host is the Hub's or the viewer's; a failing status becomes its <see cref="HubException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string who, string? id, CancellationToken cancellationToken)
    {
        if (_settings.Problem is { } problem)
        {
            throw new HubException(HubFailure.Settings, problem + "; nothing was sent.");
        }

        if (_settings.Offline)
        {
            throw new HubException(HubFailure.Offline, "HF_HUB_OFFLINE is set: ML Intern does not contact the Hub. Unset it to search, inspect or download data sets.");
        }

        if (_settings.Token is { } token && request.RequestUri is { } target && (SameHost(target, _settings.Endpoint) || SameHost(target, _settings.ViewerEndpoint)))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                // The exception's message names the host and the socket error; it never carries headers.
                throw new HubException(HubFailure.Unreachable, $"cannot reach {who} at {request.RequestUri?.Host}:{request.RequestUri?.Port}: {e.HttpRequestError}");
            }

            if (response.IsSuccessStatusCode || (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && request.Headers.Range is not null))
            {
                return response;
            }

            using (response)
            {
                var failure = Failure(response, who, id);
                // A short rate limit is waited out (the Hub says how long); a long one, or a third in a row, is the user's to decide.
                if (failure is { Failure: HubFailure.RateLimited, RetryAfter: { } wait } && wait <= MaxRetryWait && attempt < MaxRetries)
                {
                    await Task.Delay(wait, cancellationToken);
                    request = Again(request);
                    continue;
                }

                throw failure;
            }
        }
    }

    /// <summary>The longest `Retry-After` a request waits out by itself before sending again.</summary>
    internal static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(5);

    /// <summary>How many times a rate-limited request is sent again.</summary>
    internal const int MaxRetries = 2;

    /// <summary>A request can be sent once; the retry is a copy (these requests carry no body).</summary>
    private static HttpRequestMessage Again(HttpRequestMessage sent)
    {
        var copy = new HttpRequestMessage(sent.Method, sent.RequestUri) { Version = sent.Version };
        foreach (var header in sent.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        sent.Dispose();
        return copy;
    }

    private HubException Failure(HttpResponseMessage response, string who, string? id)
    {
        var subject = id is null ? who : $"{id} on {who}";
        var page = id is null ? _settings.Endpoint.ToString() : new Uri(_settings.Endpoint, "datasets/" + id).ToString();
        var tokenNote = _settings.Token is null
            ? "no token was sent: set HF_TOKEN or log in with `hf auth login`"
            : $"the token from {_settings.TokenSource} was sent";
        var status = (int)response.StatusCode;
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new HubException(HubFailure.Unauthorized,
                $"{subject}: not authorized (401) — the data set is private or gated and {tokenNote}. If it is gated, accept the terms on the Hub at {page}."),
            HttpStatusCode.Forbidden => new HubException(HubFailure.Forbidden,
                $"{subject}: access refused (403) — the data set is gated: accept the terms on the Hub at {page} with the account of your token, or use a token with read access ({tokenNote})."),
            HttpStatusCode.NotFound => new HubException(HubFailure.NotFound,
                id is null ? $"{who}: not found (404)" : $"{subject}: not found (404) — check the id; a private data set is also not found when {(_settings.Token is null ? "no token is sent" : "the token cannot read it")}."),
            HttpStatusCode.TooManyRequests => RateLimited(response, subject),
            _ when status >= 500 => new HubException(HubFailure.ServerError, $"{subject}: the server failed ({status}); try again later."),
            _ => new HubException(HubFailure.BadAnswer, $"{subject}: unexpected answer {status}."),
        };
    }

    private static HubException RateLimited(HttpResponseMessage response, string subject)
    {
        TimeSpan? wait = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
            _ => null,
        };
        var when = wait is { } w ? $"try again in {Seconds(w)}" : "try again later";
        return new HubException(HubFailure.RateLimited, $"{subject}: too many requests (429) — the Hub is rate limiting; {when}. A token (HF_TOKEN) raises the limit.", wait);
    }

    private static HubException BadAnswer(string who, string what) => new(HubFailure.BadAnswer, $"{who} sent {what}");

    private static bool SameHost(Uri a, Uri b) =>
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port && a.Scheme == b.Scheme;

    private static string Seconds(TimeSpan span) => $"{Math.Ceiling(span.TotalSeconds):0} s";

    /// <summary>"org/name" stays one path with its slash; each part is escaped.</summary>
    private static string EscapeId(string id) => string.Join("/", id.Split('/').Select(Uri.EscapeDataString));

    private static Uri Url(Uri root, string path, IEnumerable<(string Key, string Value)> query) =>
        new(root, path + "?" + string.Join("&", query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value))));
}
