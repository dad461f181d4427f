using Microsoft.Extensions.Logging;

namespace MLIntern.Server.Logging;

/// <summary>The minimum level every logger of the process honours; the editor changes it at run time.</summary>
internal sealed class LogLevelSwitch
{
    public LogLevel Minimum { get; set; } = LogLevel.Information;

    /// <summary>Reads the extension's setting values (trace, debug, info, warn, error, off).</summary>
    public static LogLevel? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "trace" or "verbose" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "off" or "none" => LogLevel.None,
        _ => null,
    };
}

/// <summary>
/// A logger provider that formats each entry as one message ("Category: text", the exception on the
/// following lines) and hands it to a sink, honouring the shared <see cref="LogLevelSwitch"/>.
/// </summary>
internal sealed class MessageLoggerProvider(LogLevelSwitch level, Action<LogLevel, string, string> sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName[(categoryName.LastIndexOf('.') + 1)..], level, sink);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, LogLevelSwitch level, Action<LogLevel, string, string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= level.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var text = formatter(state, exception);
                sink(logLevel, category, exception is null ? text : text + Environment.NewLine + exception);
            }
        }
    }
}

/// <summary>The two places log lines go: stderr (stdout belongs to the protocol) and the client's output channel.</summary>
internal static class LogSinks
{
    private static readonly Lock Gate = new();

    public static ILoggerProvider Stderr(LogLevelSwitch level) => new MessageLoggerProvider(level, (logLevel, category, message) =>
    {
        lock (Gate)
        {
            Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {Short(logLevel)} {category}: {message}");
        }
    });

    /// <summary>window/logMessage; LSP MessageType: 1 error, 2 warning, 3 info, 4 log, 5 debug. Delivery never blocks a request.</summary>
    public static ILoggerProvider Client(LogLevelSwitch level, Action<int, string> send) => new MessageLoggerProvider(level, (logLevel, category, message) =>
        send(
            logLevel switch
            {
                >= LogLevel.Error => 1,
                LogLevel.Warning => 2,
                LogLevel.Information => 3,
                LogLevel.Debug => 4,
                _ => 5,
            },
            $"{category}: {message}"));

    private static string Short(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "    ",
    };
}
