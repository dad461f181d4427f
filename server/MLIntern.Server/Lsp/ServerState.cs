using Microsoft.Extensions.Logging;
using MLIntern.Server.Logging;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Lsp;

/// <summary>What the handlers share: lifecycle, client capabilities, settings, and the way out to the client.</summary>
internal sealed class ServerState(LogLevelSwitch logLevel, ILoggerFactory loggers)
{
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LogLevelSwitch LogLevel { get; } = logLevel;

    public ILoggerFactory Loggers { get; } = loggers;

    public volatile bool Initialized;

    /// <summary>MLINTERN_TEST_HOOKS=1: the test-only method mlintern/_test/block, and the first progress report held until cancelled (WorkDoneProgress).</summary>
    public bool TestHooks { get; init; }

    /// <summary>How long a request of ours (workspace/applyEdit, window/workDoneProgress/create) waits for the client's answer: a minute, or MLINTERN_TEST_CLIENT_TIMEOUT_MS with the test hooks on.</summary>
    public TimeSpan ClientRequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>1 once a progress report was held for the test hooks.</summary>
    public int ProgressHeld;

    public volatile bool ShutdownRequested;

    /// <summary>True when the client takes versioned edits (documentChanges); VS Code does.</summary>
    public bool ClientSupportsDocumentChanges { get; set; }

    public JObject ClientCapabilities { get; set; } = [];

    /// <summary>The position encoding agreed at initialize (utf-16 unless the client offers only utf-8 or utf-32).</summary>
    public PositionEncoding PositionEncoding { get; set; }

    /// <summary>True when the client takes CodeAction literals (codeActionLiteralSupport); without it code actions are answered as Commands.</summary>
    public bool ClientSupportsCodeActionLiterals => ClientCapabilities.SelectToken("textDocument.codeAction.codeActionLiteralSupport") is JObject;

    /// <summary>
    /// True when the client pulls diagnostics (textDocument.diagnostic): the server declares
    /// diagnosticProvider, answers textDocument/diagnostic and publishes nothing.
    /// </summary>
    public bool ClientPullsDiagnostics => ClientCapabilities.SelectToken("textDocument.diagnostic") is JObject;

    /// <summary>True when a pulling client takes workspace/diagnostic/refresh (VS Code does).</summary>
    public bool ClientSupportsDiagnosticRefresh => ClientCapabilities.SelectToken("workspace.diagnostics.refreshSupport") is JValue { Value: true };

    /// <summary>True when the client answers workspace/configuration (VS Code, eglot, neovim, Helix do).</summary>
    public bool ClientSupportsConfiguration => ClientCapabilities.SelectToken("workspace.configuration") is JValue { Value: true };

    private int _configurationPullFailed;

    /// <summary>Set once a workspace/configuration pull went unanswered: the server does not ask again.</summary>
    public bool ConfigurationPullFailed => Volatile.Read(ref _configurationPullFailed) != 0;

    /// <summary>Records that a pull went unanswered; true only for the first caller, so two pulls in flight log it once.</summary>
    public bool MarkConfigurationPullFailed() => Interlocked.Exchange(ref _configurationPullFailed, 1) == 0;

    /// <summary>True when the client takes server-initiated progress (window/workDoneProgress/create); VS Code does.</summary>
    public bool ClientSupportsWorkDoneProgress => ClientCapabilities.SelectToken("window.workDoneProgress") is JValue { Value: true };

    /// <summary>Running work the client may cancel through window/workDoneProgress/cancel, by progress token.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, CancellationTokenSource> CancellableProgress { get; } = new(StringComparer.Ordinal);

    public IClient Client { get; set; } = NullClient.Instance;

    /// <summary>The whole "mlintern" settings section as the editor last sent it (rule selection reads select/ignore/severity).</summary>
    public JObject? Settings { get; set; }

    /// <summary>The "mlintern.data" settings (data check thresholds, text/label column).</summary>
    public JObject? DataSettings { get; set; }

    public Task<int> Exit => _exit.Task;

    public void RequestExit(int code) => _exit.TrySetResult(code);

    /// <summary>Reads the settings object the extension sends (section "mlintern") and applies what it knows.</summary>
    public void ApplySettings(JToken? settings)
    {
        // Settings of any other shape (an array, a scalar) are not ours: they change nothing, and they throw nothing.
        var section = (settings as JObject)?["mlintern"] as JObject ?? settings as JObject;
        Settings = section ?? Settings;
        DataSettings = section?["data"] as JObject ?? DataSettings;
        if (section?["logLevel"] is JValue { Value: string level } && LogLevelSwitch.Parse(level) is { } parsed)
        {
            LogLevel.Minimum = parsed;
        }
    }
}

/// <summary>Messages from the server to the client.</summary>
internal interface IClient
{
    Task NotifyAsync(string method, object parameters);

    Task<T> RequestAsync<T>(string method, object parameters, CancellationToken cancellationToken);
}

internal sealed class NullClient : IClient
{
    public static readonly NullClient Instance = new();

    public Task NotifyAsync(string method, object parameters) => Task.CompletedTask;

    public Task<T> RequestAsync<T>(string method, object parameters, CancellationToken cancellationToken) =>
        Task.FromException<T>(new InvalidOperationException("no client connected"));
}
