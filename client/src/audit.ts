// "faaslint: Audit Workspace": asks the server to audit every folder, shows its progress (file
// count, cancellable) as a notification, then the totals with a button for the Markdown report.
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { AUDIT_REQUEST, type AuditParams, type AuditResult } from '../../server/src/lsp/protocol';
import type { FindingsStatus } from './statusBar';

export class AuditCommand {
  private running = false;
  private lastReport: string | undefined;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly output: vscode.LogOutputChannel,
    private readonly status: FindingsStatus,
  ) {}

  async run(): Promise<void> {
    const client = this.client();
    if (!client || !client.isRunning()) {
      void vscode.window.showWarningMessage('faaslint: the language server is not running. See the faaslint output.');
      return;
    }
    if (this.running) {
      void vscode.window.showInformationMessage('faaslint: an audit is already running.');
      return;
    }
    if (!vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showInformationMessage('faaslint: open a folder to audit it.');
      return;
    }
    this.running = true;
    this.status.setAuditing(true);
    let result: AuditResult;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'faaslint: auditing workspace', cancellable: true },
        (progress, token) => this.request(client, progress, token),
      );
    } catch (e) {
      this.output.error(`faaslint: audit failed: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`faaslint: the audit failed: ${(e as Error).message}`);
      return;
    } finally {
      this.running = false;
      this.status.setAuditing(false);
    }
    this.lastReport = result.markdown;
    const s = result.bySeverity;
    const message =
      `faaslint${result.cancelled ? ' (cancelled)' : ''}: ${result.findings} finding${result.findings === 1 ? '' : 's'} ` +
      `in ${result.filesWithFindings} of ${result.files} file${result.files === 1 ? '' : 's'} — ${count(s.error, 'error')}, ${count(s.warning, 'warning')}, ${s.info} info.`;
    this.output.info(message);
    const choice = await vscode.window.showInformationMessage(message, 'Open Report', 'Show Problems', 'Export SARIF…');
    if (choice === 'Open Report') await this.openReport();
    else if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    else if (choice === 'Export SARIF…') await vscode.commands.executeCommand('faaslint.exportSarif');
  }

  private async request(
    client: LanguageClient,
    progress: vscode.Progress<{ message?: string; increment?: number }>,
    token: vscode.CancellationToken,
  ): Promise<AuditResult> {
    const workDoneToken = `faaslint-audit-${Date.now()}`;
    let done = 0;
    const sub = client.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
      if (v.kind === 'end') return;
      const pct = typeof v.percentage === 'number' ? v.percentage : done;
      progress.report({ message: v.message, increment: Math.max(0, pct - done) });
      done = Math.max(done, pct);
    });
    try {
      const params: AuditParams = { workDoneToken };
      return await client.sendRequest<AuditResult>(AUDIT_REQUEST, params, token);
    } finally {
      sub.dispose();
    }
  }

  private async openReport(): Promise<void> {
    if (!this.lastReport) return;
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: this.lastReport });
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => undefined);
  }
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
