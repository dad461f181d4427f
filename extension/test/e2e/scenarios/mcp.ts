// Scenario mcp: VS Code's own MCP client finds ML Intern's server through the extension's
// provider (contributes.mcpServerDefinitionProviders + vscode.lm.registerMcpServerDefinitionProvider),
// starts the bundled sidecar as `mlintern mcp --workspace <folder>` and discovers its five tools.
import { Scenario } from '../harness/scenario';
import { descendants } from '../harness/processes';
import { packagedExtensionSetup, removeWorkspace } from '../harness/setup';
import { makeSampleWorkspace } from '../harness/sidecar';
import { notYet, waitFor } from '../harness/wait';
import { Workbench } from '../harness/workbench';

let workspace = '';

/** "MCP: List Servers" → the ML Intern row → the action matching `action`. */
async function serverAction(wb: Workbench, action: RegExp): Promise<void> {
  await wb.runCommand('MCP: List Servers');
  if (!(await wb.pickIfOpen(/ML Intern/, { timeoutMs: 20_000 }))) throw new Error('"MCP: List Servers" opened no list');
  if (!(await wb.pickIfOpen(action, { timeoutMs: 20_000 }))) throw new Error(`no actions for the ML Intern server (looked for ${action})`);
}

export const mcp: Scenario = {
  name: 'mcp',
  title: "VS Code's MCP client starts `mlintern mcp` from the extension's provider and discovers its tools",

  setup() {
    workspace = makeSampleWorkspace();
    // The MCP commands are part of chat, which the quiet defaults turn off.
    return packagedExtensionSetup({ 'chat.disableAIFeatures': false });
  },

  cleanup(passed) {
    removeWorkspace(workspace, passed);
  },

  async run(ctx) {
    const wb = ctx.workbench;
    await ctx.step('open the sample folder; the language server runs', async () => {
      await wb.openFolder(ctx.codeServer.folderUrl(workspace));
      await wb.waitForStatusBar('ML Intern: running', { timeoutMs: 60_000 });
    });

    await ctx.step('"MCP: List Servers" lists ML Intern; Start Server runs `mlintern mcp --workspace <folder>`', async () => {
      await serverAction(wb, /Start Server/);
      const argv = await waitFor('an `mlintern mcp` process under code-server', async () => {
        // VS Code may ask once whether to trust a server: this test is the user who says yes.
        const dialog = wb.page.locator('.monaco-dialog-box').first();
        if (await dialog.isVisible().catch(() => false)) {
          const text = await dialog.innerText();
          ctx.note(`dialog: ${text.replace(/\s+/g, ' ')}`);
          const trust = wb.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button').filter({ hasText: /^Trust/ }).first();
          if ((await trust.count()) > 0) await trust.click();
          return notYet('a dialog');
        }
        const found = descendants(ctx.codeServer.pid).find((p) => p.argv.some((a) => a.endsWith('/mlintern')) && p.argv.includes('mcp'));
        return found ? found.argv : notYet('no process yet');
      }, { timeoutMs: 60_000, intervalMs: 300 });
      ctx.note(`started: ${argv.join(' ')}`);
      const at = argv.indexOf('mcp');
      if (argv[at + 1] !== '--workspace' || argv[at + 2] !== workspace) throw new Error(`unexpected arguments: ${argv.join(' ')}`);
    });

    await ctx.step("the server's output shows its five tools discovered", async () => {
      await serverAction(wb, /Show Output/);
      await wb.waitForOutput('say "Discovered 5 tools"', (t) => /Discovered 5 tools/.test(t), { timeoutMs: 60_000 });
    });
  },
};
