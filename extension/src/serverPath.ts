// Finds the sidecar executable. Pure: the file system is passed in, so the order of
// preference is unit-tested without VS Code.
import * as path from 'node:path';
import { BundledServerPath, DevServerPath } from './constants';

export type ServerPathSource = 'setting' | 'bundled' | 'development';

export interface ResolvedServerPath {
  readonly path: string;
  readonly source: ServerPathSource;
}

export interface ServerPathInputs {
  /**
   * Value of `mlintern.server.path`; ignored when empty. In an untrusted workspace VS Code
   * itself drops the workspace's value (the setting is a restricted configuration).
   */
  readonly configuredPath: string | undefined;
  readonly extensionPath: string;
  readonly isExecutableFile: (candidate: string) => boolean;
}

export class ServerNotFoundError extends Error {
  constructor(readonly searched: readonly string[]) {
    super(
      `The ML Intern sidecar was not found. Looked for: ${searched.join(', ')}. ` +
        `Set "mlintern.server.path" to the absolute path of the "mlintern" executable.`,
    );
    this.name = 'ServerNotFoundError';
  }
}

/**
 * The setting wins when it is set; then the build bundled in the .vsix; then a development
 * build in the repository (the extension run from a checkout). A configured path that does not exist is an error rather
 * than a silent fallback, so a typo does not run some other build.
 */
export function resolveServerPath(inputs: ServerPathInputs): ResolvedServerPath {
  const configured = inputs.configuredPath?.trim();
  if (configured) {
    if (!path.isAbsolute(configured)) {
      throw new Error(`"mlintern.server.path" must be an absolute path, got "${configured}".`);
    }
    if (!inputs.isExecutableFile(configured)) {
      throw new ServerNotFoundError([configured]);
    }
    return { path: configured, source: 'setting' };
  }
  const candidates: [string, ServerPathSource][] = [
    [path.join(inputs.extensionPath, ...BundledServerPath), 'bundled'],
    [path.join(inputs.extensionPath, ...DevServerPath), 'development'],
  ];
  for (const [candidate, source] of candidates) {
    if (inputs.isExecutableFile(candidate)) {
      return { path: candidate, source };
    }
  }
  throw new ServerNotFoundError(candidates.map(([candidate]) => candidate));
}
