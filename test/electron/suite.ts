// Runs inside desktop VS Code's extension host with the examples/ workspace open.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

async function waitFor<T>(what: string, get: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'faaslint');
  assert.ok(ext, 'the extension is installed');
  const [folder] = vscode.workspace.workspaceFolders ?? [];
  const sls = vscode.Uri.joinPath(folder.uri, 'serverless.yml');
  const doc = await vscode.workspace.openTextDocument(sls);
  await vscode.window.showTextDocument(doc);
  assert.ok(ext.isActive || (await ext.activate(), true));

  const wildcard = await waitFor('the s3:* diagnostic', () =>
    vscode.languages.getDiagnostics(sls).find((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'iam-no-wildcard-action' && doc.getText(d.range).includes('s3:*')));

  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', sls, wildcard.range, vscode.CodeActionKind.QuickFix.value);
  const fix = actions.find((a) => a.isPreferred && a.edit);
  assert.ok(fix?.edit, 'a preferred fix with an edit');
  await vscode.workspace.applyEdit(fix.edit);
  assert.match(doc.getText(), /Action: \['s3:GetObject', 's3:PutObject'\]/);
  await waitFor('the s3:* diagnostic to go away', () =>
    vscode.languages.getDiagnostics(sls).some((d) => doc.getText(d.range).includes('s3:*')) ? undefined : true);
}
