// One table each for the names other parts of the system rely on: command ids and
// settings must match package.json, the client id names the `<id>.trace.server` setting.

export const ExtensionName = 'ML Intern';
export const ClientId = 'mlintern';
export const ConfigSection = 'mlintern';

export const Commands = {
  restartServer: 'mlintern.restartServer',
  showLogs: 'mlintern.showLogs',
} as const;

/** Setting keys, relative to the `mlintern` section. */
export const Settings = {
  serverPath: 'server.path',
  logLevel: 'logLevel',
} as const;

/** The sidecar's executable name, as published by `npm run build:server`. */
export const ServerExecutable = 'mlintern';

/** Where the sidecar sits relative to the extension's folder, in order of preference. */
export const BundledServerPath = ['dist', 'server', ServerExecutable] as const;
export const DevServerPath = ['server', 'MLIntern.Server', 'bin', 'Debug', 'net10.0', ServerExecutable] as const;

/** The data-file extensions the sidecar checks (MLD rules). */
export const DataFileGlob = '**/*.{csv,tsv,jsonl}';
