// Desktop VS Code suite (activation, diagnostics, one fix), for machines that can download VS Code:
// `npm run test:electron`. Not run in CI here, where only the npm registry is reachable; the same
// behaviour is proven in code-server by test/e2e/vscode.e2e.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-electron-'));
  // The suite runs inside the extension host: bundle it to CommonJS with `vscode` external.
  await build({ entryPoints: [path.join(__dirname, 'suite.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['vscode'], outfile: path.join(out, 'suite.js') });
  const workspace = path.join(out, 'workspace');
  fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(out, 'suite.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
