// Bundles the extension (and, with --tests, the unit and end-to-end tests) with esbuild.
// The extension becomes one CommonJS file, dist/extension.js, with `vscode` left external
// because VS Code provides it at run time. Type checking is `npm run typecheck` (tsc).
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const tests = args.has('--tests');
const root = new URL('..', import.meta.url).pathname;

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  // Webview style sheets and page scripts are bundled as text (extension/src/webview/assets.d.ts).
  loader: { '.css': 'text', '.page.js': 'text' },
};

if (tests) {
  const unitDir = join(root, 'extension/test/unit');
  const unitTests = readdirSync(unitDir).filter((f) => f.endsWith('.test.ts')).map((f) => join(unitDir, f));
  // Unit tests run in plain Node: importing `vscode` from logic under test is a bug, and
  // leaving it external makes such an import fail loudly at run time.
  await build({ ...common, entryPoints: unitTests, outdir: join(root, 'out/test/unit'), external: ['vscode'] });
  await build({
    ...common,
    entryPoints: [join(root, 'extension/test/e2e/run.ts')],
    outdir: join(root, 'out/test/e2e'),
    external: ['playwright-core'],
  });
} else {
  await build({
    ...common,
    entryPoints: [join(root, 'extension/src/extension.ts')],
    outfile: join(root, 'dist/extension.js'),
    external: ['vscode'],
    minify: production,
  });
}
