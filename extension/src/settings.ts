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

/** The data settings the sidecar reads under `mlintern.data` (DataSettingKeys in MLIntern.Data). */
export const DataSettingKeys = {
  textColumn: 'string',
  labelColumn: 'string',
  maxExamples: 'number',
  imbalanceRatio: 'number',
  minClassExamples: 'number',
  nearDuplicateThreshold: 'number',
  maxTextChars: 'number',
  maxLabelClasses: 'number',
  paraphraseOverlap: 'boolean',
} as const;
export type DataSettingKey = keyof typeof DataSettingKeys;

/**
 * The compute settings the sidecar reads under `mlintern.compute` (ComputeSettings.cs): the
 * budget (a value of 0 means no limit), the hardware plans assume, and prices per hardware id.
 */
export const ComputeSettingKeys = {
  maxHours: 'number',
  maxCostUsd: 'number',
  hardware: 'string',
  prices: 'prices',
  targets: 'targets',
  hfJobsPrices: 'prices',
} as const;
export type ComputeSettingKey = keyof typeof ComputeSettingKeys;
export const HardwareIds = ['cpu', 't4', 'a10g', 'a100', 'h100'] as const;

export interface ComputeSettings {
  readonly maxHours?: number;
  readonly maxCostUsd?: number;
  readonly hardware?: string;
  readonly prices?: Record<string, number>;
  /** Slurm / HF Jobs targets by name, each an object of scalar settings (kind, partition, gpus, time, pricePerGpuHour, flavor, timeout, …); the sidecar validates them. */
  readonly targets?: Record<string, Record<string, string | number | boolean>>;
  /** HF Jobs price per hour by flavor, over the built-in table. */
  readonly hfJobsPrices?: Record<string, number>;
}

/**
 * The LLM assistant's settings, sent under `mlintern.assistant` (Assist/AssistantSettings.cs): an
 * OpenAI-compatible endpoint and model. The API key is never a setting: `apiKeyVariable` names the
 * environment variable the sidecar reads it from.
 */
export interface AssistantSettings {
  readonly endpoint?: string;
  readonly model?: string;
  readonly apiKeyVariable?: string;
  readonly timeoutSeconds?: number;
  readonly contextLines?: number;
}

/** The keys of `mlintern.assistant.*`. */
export const AssistantSettingKeys = ['endpoint', 'model', 'apiKeyVariable', 'timeoutSeconds', 'contextLines'] as const;

function assistantSettings(value: Readonly<Record<string, unknown>> | undefined): AssistantSettings {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const positive = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  const result: { -readonly [K in keyof AssistantSettings]: AssistantSettings[K] } = {};
  const endpoint = text(value?.endpoint);
  if (endpoint !== undefined) result.endpoint = endpoint;
  const model = text(value?.model);
  if (model !== undefined) result.model = model;
  const variable = text(value?.apiKeyVariable);
  if (variable !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) result.apiKeyVariable = variable;
  const timeout = positive(value?.timeoutSeconds);
  if (timeout !== undefined) result.timeoutSeconds = timeout;
  const lines = typeof value?.contextLines === 'number' && Number.isInteger(value.contextLines) && value.contextLines >= 0 ? value.contextLines : undefined;
  if (lines !== undefined) result.contextLines = lines;
  return result;
}

export const SeverityLevels = ['error', 'warning', 'info', 'hint'] as const;
export type SeverityLevel = (typeof SeverityLevels)[number];

/** The settings as the extension reads them, before validation. */
export interface RawSettings {
  readonly serverPath?: unknown;
  readonly logLevel?: unknown;
  readonly select?: unknown;
  readonly ignore?: unknown;
  readonly severity?: unknown;
  /**
   * Only the data settings someone set (user, workspace or folder), not their defaults: the
   * sidecar applies the editor's values over pyproject.toml's, so sending a default would
   * silently override a project's `[tool.mlintern]` value.
   */
  readonly data?: Readonly<Record<string, unknown>>;
  /** Likewise only the compute settings someone set: pyproject.toml's [tool.mlintern.compute] applies otherwise. */
  readonly compute?: Readonly<Record<string, unknown>>;
  /** The `mlintern.assistant` section. */
  readonly assistant?: Readonly<Record<string, unknown>>;
}

/** The `mlintern` section as the sidecar is told it (initializationOptions and didChangeConfiguration). */
export interface SidecarSettings {
  readonly logLevel: LogLevel;
  readonly select: string[];
  readonly ignore: string[];
  readonly severity: Record<string, SeverityLevel>;
  readonly data: Partial<Record<DataSettingKey, string | number | boolean>>;
  readonly compute: ComputeSettings;
  readonly assistant: AssistantSettings;
}

export interface ServerSettings {
  readonly serverPath: string | undefined;
  readonly logLevel: LogLevel;
  readonly sidecar: SidecarSettings;
}

function codes(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string').map((v) => v.trim().toUpperCase()).filter((v) => v !== '');
}

function severities(value: unknown): Record<string, SeverityLevel> {
  const result: Record<string, SeverityLevel> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return result;
  for (const [code, level] of Object.entries(value)) {
    const lower = typeof level === 'string' ? level.trim().toLowerCase() : '';
    const parsed = lower === 'information' ? 'info' : lower;
    if (code.trim() !== '' && (SeverityLevels as readonly string[]).includes(parsed)) result[code.trim().toUpperCase()] = parsed as SeverityLevel;
  }
  return result;
}

function dataSettings(value: Readonly<Record<string, unknown>> | undefined): SidecarSettings['data'] {
  const result: Partial<Record<DataSettingKey, string | number | boolean>> = {};
  for (const [key, type] of Object.entries(DataSettingKeys) as [DataSettingKey, 'string' | 'number' | 'boolean'][]) {
    const v = value?.[key];
    if (type === 'string' && typeof v === 'string' && v.trim() !== '') result[key] = v.trim();
    else if (type === 'number' && typeof v === 'number' && Number.isFinite(v)) result[key] = v;
    else if (type === 'boolean' && typeof v === 'boolean') result[key] = v;
  }
  return result;
}

function computeSettings(value: Readonly<Record<string, unknown>> | undefined): ComputeSettings {
  const result: { -readonly [K in keyof ComputeSettings]: ComputeSettings[K] } = {};
  const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  const maxHours = number(value?.maxHours);
  if (maxHours !== undefined) result.maxHours = maxHours;
  const maxCostUsd = number(value?.maxCostUsd);
  if (maxCostUsd !== undefined) result.maxCostUsd = maxCostUsd;
  if (typeof value?.hardware === 'string' && value.hardware.trim() !== '') result.hardware = value.hardware.trim().toLowerCase();
  const prices = value?.prices;
  if (typeof prices === 'object' && prices !== null && !Array.isArray(prices)) {
    const table: Record<string, number> = {};
    for (const [id, price] of Object.entries(prices)) {
      const p = number(price);
      if (id.trim() !== '' && p !== undefined) table[id.trim().toLowerCase()] = p;
    }
    if (Object.keys(table).length > 0) result.prices = table;
  }
  const hf = value?.hfJobsPrices;
  if (typeof hf === 'object' && hf !== null && !Array.isArray(hf)) {
    const table: Record<string, number> = {};
    for (const [flavor, price] of Object.entries(hf)) {
      const p = number(price);
      if (flavor.trim() !== '' && p !== undefined) table[flavor.trim()] = p;
    }
    if (Object.keys(table).length > 0) result.hfJobsPrices = table;
  }
  const targets = value?.targets;
  if (typeof targets === 'object' && targets !== null && !Array.isArray(targets)) {
    const table: Record<string, Record<string, string | number | boolean>> = {};
    for (const [name, fields] of Object.entries(targets)) {
      if (name.trim() === '' || typeof fields !== 'object' || fields === null || Array.isArray(fields)) continue;
      const kept: Record<string, string | number | boolean> = {};
      for (const [key, v] of Object.entries(fields as Record<string, unknown>)) {
        if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) kept[key] = v;
      }
      table[name.trim()] = kept;
    }
    if (Object.keys(table).length > 0) result.targets = table;
  }
  return result;
}

export function readServerSettings(raw: RawSettings): ServerSettings {
  const serverPath = typeof raw.serverPath === 'string' && raw.serverPath.trim() !== '' ? raw.serverPath.trim() : undefined;
  const logLevel = parseLogLevel(raw.logLevel);
  return {
    serverPath,
    logLevel,
    sidecar: { logLevel, select: codes(raw.select), ignore: codes(raw.ignore), severity: severities(raw.severity), data: dataSettings(raw.data), compute: computeSettings(raw.compute), assistant: assistantSettings(raw.assistant) },
  };
}

/** Sent as `initialize`'s `initializationOptions`: the section the sidecar reads, and who we are. */
export interface InitializationOptions extends SidecarSettings {
  readonly clientVersion: string;
}

export function initializationOptions(settings: ServerSettings, clientVersion: string): InitializationOptions {
  return { ...settings.sidecar, clientVersion };
}

/** A change to any of these needs a new sidecar process; the rest is sent as didChangeConfiguration. */
export function needsRestart(before: ServerSettings, after: ServerSettings): boolean {
  return before.serverPath !== after.serverPath;
}
