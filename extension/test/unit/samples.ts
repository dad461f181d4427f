// Real answers of the sidecar, written by the server tests that received them
// (tests/MLIntern.Server.Tests/ProtocolSamples.cs; `make test` runs those first).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Method, NotificationParams, ResultOf } from '../../src/protocol';

const folder = join(process.cwd(), 'extension', 'test', 'unit', 'samples');

function read(name: string): unknown {
  try {
    return JSON.parse(readFileSync(join(folder, `${name}.json`), 'utf8'));
  } catch (e) {
    throw new Error(`no sample ${name}.json in ${folder}: run the server tests first (dotnet test tests/MLIntern.Server.Tests). ${String(e)}`);
  }
}

/** The answer a server test received for `method` (the file is named after the method, with an optional `-variant`). */
export function sample<M extends Method>(method: M, variant?: string): ResultOf<M> {
  return read(method.slice('mlintern/'.length) + (variant ? `-${variant}` : '')) as ResultOf<M>;
}

/** A notification a server test received. */
export function sampleNotification<N extends keyof NotificationParams>(method: N): NotificationParams[N] {
  return read(method.slice('mlintern/'.length)) as NotificationParams[N];
}
