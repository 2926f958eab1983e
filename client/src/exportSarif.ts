// "faaslint: Export SARIF…": runs the bundled CLI (the same engine) over the workspace folders
// and writes SARIF 2.1.0 where the user chooses.
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';

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
  const args = [cli, ...folders.map((f) => f.uri.fsPath), '--format', 'sarif', '--output', target.fsPath, '--fail-on', 'none'];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'faaslint: exporting SARIF' }, () =>
    new Promise<void>((resolve) => {
      // process.execPath is VS Code's runtime; ELECTRON_RUN_AS_NODE makes it plain Node.
      execFile(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, cwd: folders[0].uri.fsPath, maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
        if (err && (err as { code?: unknown }).code !== 1) {
          output.error(`faaslint: SARIF export failed: ${stderr || err.message}`);
          void vscode.window.showErrorMessage('faaslint: the SARIF export failed. See the faaslint output.');
        } else {
          output.info(`faaslint: wrote ${target.fsPath}`);
          void vscode.window.showInformationMessage(`faaslint: wrote ${vscode.workspace.asRelativePath(target)}`, 'Open').then((b) => {
            if (b) void vscode.window.showTextDocument(target);
          });
        }
        resolve();
      });
    }),
  );
}
