// Status bar item: faaslint's current finding counts (from the diagnostics VS Code holds, so it
// reflects both live linting and the last audit); clicking it audits the workspace.
import * as vscode from 'vscode';

export class FindingsStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('faaslint.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;
  private timer: NodeJS.Timeout | undefined;
  private auditing = false;

  constructor() {
    this.item.name = 'faaslint';
    this.item.command = 'faaslint.auditWorkspace';
    this.subscription = vscode.languages.onDidChangeDiagnostics(() => this.schedule());
    this.update();
    this.item.show();
  }

  setAuditing(on: boolean): void {
    this.auditing = on;
    this.update();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 250);
  }

  private update(): void {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const d of diagnostics) {
        if (d.source !== 'faaslint' || d.code === undefined) continue;
        if (d.severity === vscode.DiagnosticSeverity.Error) counts.error++;
        else if (d.severity === vscode.DiagnosticSeverity.Warning) counts.warning++;
        else counts.info++;
      }
    }
    const icon = this.auditing ? '$(sync~spin)' : '$(shield)';
    this.item.text = `${icon} faaslint $(error) ${counts.error} $(warning) ${counts.warning}${counts.info ? ` $(info) ${counts.info}` : ''}`;
    this.item.tooltip = this.auditing
      ? 'faaslint: auditing the workspace…'
      : `faaslint: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info in the Problems panel. Click to audit the workspace.`;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.item.dispose();
  }
}
