// Real answers of the sidecar, written by the .NET tests that received them over the pipes
// (tests/MLIntern.Server.Tests/ProtocolSamples.cs; `make test` runs those first), typed by the
// generated protocol.ts. The TypeScript tests render what the sidecar really says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Method, ResultOf } from '../../src/protocol';

const folder = join(__dirname, '..', '..', '..', 'extension', 'test', 'unit', 'samples');

/** The answer of `method` saved as `<short name><variant>.json`, e.g. sample('mlintern/preflightPublish', '-blocked'). */
export function sample<M extends Method>(method: M, variant = ''): ResultOf<M> {
  const name = method.slice('mlintern/'.length) + variant;
  try {
    return JSON.parse(readFileSync(join(folder, `${name}.json`), 'utf8')) as ResultOf<M>;
  } catch (e) {
    throw new Error(`no sidecar sample ${name}.json in ${folder}: run the .NET tests first (dotnet test tests/MLIntern.Server.Tests --filter FullyQualifiedName~ReleaseTests). ${String(e)}`);
  }
}
