// "faaslint: Export SARIF…": runs the bundled CLI (the same engine) over each workspace folder,
// from that folder so its own `.faaslint.yaml` applies, and writes one SARIF 2.1.0 log (one run
// per folder) where the user chooses.
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

interface SarifLog { $schema?: string; version: string; runs: unknown[] }

export async function exportSarif(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<void> {
  const folders = vscode.workspace.workspaceFolders?.filter((f) => f.uri.scheme === 'file') ?? [];
  if (!folders.length) {
    void vscode.window.showInformationMessage('faaslint: open a folder to export its findings.');
    return;
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folders[0].uri, 'faaslint.sarif'),
    filters: { SARIF: ['sarif', 'json'] },
    title: 'faaslint: export findings as SARIF',
  });
  if (!target) return;
  const cli = context.asAbsolutePath('dist/cli.js');
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'faaslint-sarif-'));
  try {
    // As in the editor: an untrusted workspace's .faaslint.yaml is not read (an empty config instead).
    const config = vscode.workspace.isTrusted ? [] : ['--config', path.join(scratch, 'empty.faaslint.yaml')];
    if (config.length) await fs.writeFile(config[1], '');
    const logs = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'faaslint: exporting SARIF' }, () =>
      Promise.all(folders.map((f, i) => runCli(cli, f.uri.fsPath, path.join(scratch, `${i}.sarif`), config))),
    );
    const merged: SarifLog = { ...logs[0], runs: logs.flatMap((l) => l.runs) };
    await vscode.workspace.fs.writeFile(target, Buffer.from(JSON.stringify(merged, null, 2) + '\n'));
    output.info(`faaslint: wrote ${target.fsPath} (${folders.length} folder${folders.length === 1 ? '' : 's'})`);
    void vscode.window.showInformationMessage(`faaslint: wrote ${vscode.workspace.asRelativePath(target)}`, 'Open').then((b) => {
      if (b) void vscode.window.showTextDocument(target);
    });
  } catch (e) {
    output.error(`faaslint: SARIF export failed: ${(e as Error).message}`);
    void vscode.window.showErrorMessage('faaslint: the SARIF export failed. See the faaslint output.');
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

/** One folder's SARIF log from the CLI (exit code 1 only means "findings"). */
function runCli(cli: string, folder: string, out: string, extra: string[]): Promise<SarifLog> {
  const args = [cli, '.', '--format', 'sarif', '--output', out, '--fail-on', 'none', ...extra];
  return new Promise((resolve, reject) => {
    // process.execPath is VS Code's runtime; ELECTRON_RUN_AS_NODE makes it plain Node.
    execFile(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, cwd: folder, maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (err && (err as { code?: unknown }).code !== 1) {
        reject(new Error(`${folder}: ${stderr || err.message}`));
        return;
      }
      fs.readFile(out, 'utf8').then((text) => resolve(JSON.parse(text) as SarifLog), reject);
    });
  });
}
