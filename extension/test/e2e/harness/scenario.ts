// A scenario is a named list of steps run against one code-server and one browser page.
// Every step is timed and screenshotted into .e2e/artifacts/<scenario>/NN-<step>.png;
// a failing step is screenshotted as NN-<step>-FAILED.png.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { CodeServer } from './codeServer';
import { Workbench } from './workbench';

export interface ScenarioSetup {
  /** User settings besides the quiet defaults. */
  readonly settings?: Record<string, unknown>;
  readonly extensions?: readonly string[];
  readonly workspaceTrust?: boolean;
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  setup(): Promise<ScenarioSetup> | ScenarioSetup;
  run(ctx: ScenarioContext): Promise<void>;
  /** Removes what setup() made (e.g. a temporary workspace); told whether the run passed. */
  cleanup?(passed: boolean): Promise<void> | void;
}

export class ScenarioContext {
  private stepNumber = 0;

  constructor(
    readonly scenario: Scenario,
    readonly codeServer: CodeServer,
    readonly workbench: Workbench,
    readonly artifactsDir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** A line in the run's output under the current step (what a scenario learnt, e.g. expectations). */
  note(line: string): void {
    this.log(`       ${line}`);
  }

  get page() {
    return this.workbench.page;
  }

  async step<T>(title: string, body: () => Promise<T> | T): Promise<T> {
    const n = String(++this.stepNumber).padStart(2, '0');
    const file = `${n}-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60)}`;
    const started = Date.now();
    try {
      const result = await body();
      await this.workbench.screenshot(path.join(this.artifactsDir, `${file}.png`)).catch(() => undefined);
      this.log(`  ok   ${n} ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return result;
    } catch (e) {
      await this.workbench.screenshot(path.join(this.artifactsDir, `${file}-FAILED.png`)).catch(() => undefined);
      this.log(`  FAIL ${n} ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      throw e;
    }
  }
}

export interface ScenarioResult {
  readonly name: string;
  readonly passed: boolean;
  readonly seconds: number;
  readonly error?: string;
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Runs one scenario on a fresh code-server and page; always stops code-server. */
export async function runScenario(
  scenario: Scenario,
  browser: Browser,
  artifactsRoot: string,
  log: (line: string) => void,
  timeoutMs: number,
): Promise<ScenarioResult> {
  const started = Date.now();
  const artifactsDir = path.join(artifactsRoot, scenario.name);
  fs.rmSync(artifactsDir, { recursive: true, force: true });
  fs.mkdirSync(artifactsDir, { recursive: true });
  log(`scenario ${scenario.name}: ${scenario.title}`);
  let codeServer: CodeServer | undefined;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  let timer: NodeJS.Timeout | undefined;
  let passed = false;
  try {
    const setup = await scenario.setup();
    codeServer = await CodeServer.start({ name: scenario.name, ...setup });
    log(`  code-server on port ${codeServer.port}, pid ${codeServer.pid}, run folder ${codeServer.runDir}`);
    const page = await context.newPage();
    const ctx = new ScenarioContext(scenario, codeServer, new Workbench(page), artifactsDir, log);
    await Promise.race([
      scenario.run(ctx),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`scenario ${scenario.name} took longer than ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    passed = true;
    return { name: scenario.name, passed: true, seconds: (Date.now() - started) / 1000 };
  } catch (e) {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    log(`  ${error.split('\n').join('\n  ')}`);
    if (codeServer) {
      log(`  code-server log: ${codeServer.logFile}`);
      log(`  extension logs: ${path.join(codeServer.runDir, 'user-data', 'logs')}`);
    }
    return { name: scenario.name, passed: false, seconds: (Date.now() - started) / 1000, error };
  } finally {
    if (timer) clearTimeout(timer);
    await context.close().catch(() => undefined);
    await codeServer?.stop();
    // A passing run leaves only its screenshots; a failing one keeps its logs to read.
    if (passed && codeServer && !process.env.MLINTERN_E2E_KEEP) fs.rmSync(codeServer.runDir, { recursive: true, force: true });
    await scenario.cleanup?.(passed);
  }
}
