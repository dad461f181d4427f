// Turns the `mlintern` settings into what the sidecar is told. Pure, unit-tested.

export const LogLevels = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LogLevels)[number];
export const DefaultLogLevel: LogLevel = 'info';

export function parseLogLevel(value: unknown): LogLevel {
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if ((LogLevels as readonly string[]).includes(lower)) {
      return lower as LogLevel;
    }
    // Accept the spellings people carry over from other tools.
    if (lower === 'warning') return 'warn';
    if (lower === 'verbose') return 'trace';
  }
  return DefaultLogLevel;
}

/** The settings as the extension reads them, before validation. */
export interface RawSettings {
  readonly serverPath?: unknown;
  readonly logLevel?: unknown;
}

export interface ServerSettings {
  readonly serverPath: string | undefined;
  readonly logLevel: LogLevel;
}

export function readServerSettings(raw: RawSettings): ServerSettings {
  const serverPath = typeof raw.serverPath === 'string' && raw.serverPath.trim() !== '' ? raw.serverPath.trim() : undefined;
  return { serverPath, logLevel: parseLogLevel(raw.logLevel) };
}

/** Sent as `initialize`'s `initializationOptions`. */
export interface InitializationOptions {
  readonly logLevel: LogLevel;
  readonly clientVersion: string;
}

export function initializationOptions(settings: ServerSettings, clientVersion: string): InitializationOptions {
  return { logLevel: settings.logLevel, clientVersion };
}

/** A change to any of these needs a new sidecar process; the rest is sent as didChangeConfiguration. */
export function needsRestart(before: ServerSettings, after: ServerSettings): boolean {
  return before.serverPath !== after.serverPath;
}
