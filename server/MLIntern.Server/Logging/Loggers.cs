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

/// <summary>Writes log lines to stderr. Stdout belongs to the protocol and never sees a log line.</summary>
internal sealed class StderrLoggerProvider(LogLevelSwitch level) : ILoggerProvider
{
    private static readonly Lock Gate = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, level);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, LogLevelSwitch level) : ILogger
    {
        private readonly string _category = category[(category.LastIndexOf('.') + 1)..];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= level.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {Short(logLevel)} {_category}: {formatter(state, exception)}";
            if (exception is not null)
            {
                line += Environment.NewLine + exception;
            }

            lock (Gate)
            {
                Console.Error.WriteLine(line);
            }
        }
    }

    internal static string Short(LogLevel level) => level switch
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

/// <summary>
/// Sends log lines to the client as window/logMessage, so they appear in the "ML Intern" output
/// channel. Delivery is fire-and-forget: a log line never blocks or fails a request.
/// </summary>
internal sealed class ClientLoggerProvider(LogLevelSwitch level, Action<int, string> send) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, level, send);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, LogLevelSwitch level, Action<int, string> send) : ILogger
    {
        private readonly string _category = category[(category.LastIndexOf('.') + 1)..];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= level.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = $"{_category}: {formatter(state, exception)}";
            if (exception is not null)
            {
                message += Environment.NewLine + exception;
            }

            // LSP MessageType: 1 error, 2 warning, 3 info, 4 log, 5 debug.
            var type = logLevel switch
            {
                >= LogLevel.Error => 1,
                LogLevel.Warning => 2,
                LogLevel.Information => 3,
                LogLevel.Debug => 4,
                _ => 5,
            };
            send(type, message);
        }
    }
}
