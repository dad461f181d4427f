// "ML Intern: Open the Sample Project…" (the walkthrough's first step): the sidecar writes its seeded
// support-ticket project (`mlintern sample DIR`: a data set and a training script with bugs) into a
// new folder the user places, which then opens. Nothing else is written.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as api from './vscodeapi';

export const SampleFolderName = 'mlintern-sample';

export async function openSampleProject(executable: () => string | undefined, log: api.LogOutputChannel): Promise<void> {
  const exe = executable();
  if (!exe) {
    void api.showErrorMessage('ML Intern: the sidecar is not running, so it cannot write the sample (see ML Intern: Show Logs).');
    return;
  }
  const parent = await api.showOpenFolderDialog('Create the Sample Here');
  if (!parent) return;
  let dir = path.join(parent, SampleFolderName);
  for (let n = 2; fs.existsSync(dir); n++) dir = path.join(parent, `${SampleFolderName}-${n}`);
  log.info(`Writing the sample project into ${dir}.`);
  try {
    await new Promise<void>((resolve, reject) =>
      execFile(exe, ['sample', dir], { timeout: 60_000 }, (error, _stdout, stderr) => (error ? reject(new Error(stderr.trim() || error.message)) : resolve())),
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log.error(`mlintern sample ${dir}: ${message}`);
    void api.showErrorMessage(`ML Intern could not write the sample: ${message}`);
    return;
  }
  await api.openFolder(dir);
}
