// Runs the end-to-end scenarios in a real VS Code (code-server) driven by Debian's
// Chromium through playwright-core. Usage: node out/test/e2e/run.js [scenario ...]
// Exits non-zero when a scenario fails; prints what each failed wait was waiting for.
import * as fs from 'node:fs';
import { chromium } from 'playwright-core';
import { artifactsDir, chromiumPath, codeServerBin, requireFile } from './harness/paths';
import { chromiumArgs, runScenario, Scenario, ScenarioResult } from './harness/scenario';
import { agent, agentGuided } from './scenarios/agent';
import { agentDownload } from './scenarios/agentDownload';
import { askForFix } from './scenarios/askForFix';
import { assistant } from './scenarios/assistant';
import { datasetView } from './scenarios/datasetView';
import { evaluation } from './scenarios/evaluation';
import { fixAll } from './scenarios/fixAll';
import { foundation } from './scenarios/foundation';
import { hubDatasets } from './scenarios/hubDatasets';
import { mcp } from './scenarios/mcp';
import { notebook } from './scenarios/notebook';
import { sidecarErrors } from './scenarios/sidecarErrors';
import { training } from './scenarios/training';
import { slurm } from './scenarios/slurm';
import { untrustedWorkspace } from './scenarios/untrustedWorkspace';

const scenarios: Scenario[] = [foundation, sidecarErrors, untrustedWorkspace, fixAll, askForFix, assistant, datasetView, training, slurm, evaluation, notebook, hubDatasets, mcp, agent, agentGuided, agentDownload];
const scenarioTimeoutMs = Number(process.env.MLINTERN_E2E_SCENARIO_TIMEOUT_MS ?? 240_000);

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !scenarios.some((s) => s.name === w));
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const selected = wanted.length > 0 ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;
  requireFile(chromiumPath, 'run scripts/e2e-setup.sh (apt-get install chromium)');
  requireFile(codeServerBin, 'run scripts/e2e-setup.sh');
  fs.mkdirSync(artifactsDir, { recursive: true });

  const started = Date.now();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of selected) {
      results.push(await runScenario(scenario, browser, artifactsDir, (line) => console.log(line), scenarioTimeoutMs));
    }
  } finally {
    await browser.close();
  }
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  console.log('');
  for (const r of results) console.log(`${r.passed ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)`);
  console.log(`screenshots: ${artifactsDir}/<scenario>/`);
  console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
