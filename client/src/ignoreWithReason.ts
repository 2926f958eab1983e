// "Ignore <rule> on this line": the server's action inserts `faaslint-ignore <rule> -- reason`;
// in VS Code we ask for the reason first, so every suppression says why.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

export const IGNORE_COMMAND = 'faaslint.ignoreWithReason';

/** Turns the server's ignore actions into a command that asks for the reason, then edits. */
export const ignoreMiddleware: Middleware = {
  async provideCodeActions(document, range, context, token, next) {
    const actions = await next(document, range, context, token);
    return actions?.map((a) => {
      if (!(a instanceof vscode.CodeAction) || !a.edit || !/faaslint-ignore/.test(a.title + JSON.stringify(a.edit.entries()))) return a;
      const edit = a.edit;
      a.edit = undefined;
      a.command = { title: a.title, command: IGNORE_COMMAND, arguments: [edit] };
      return a;
    });
  },
};

export async function ignoreWithReason(edit: vscode.WorkspaceEdit): Promise<void> {
  const reason = await vscode.window.showInputBox({
    title: 'faaslint: why is this finding acceptable here?',
    prompt: 'The reason is kept in the comment, for reviewers.',
    placeHolder: 'e.g. test-mode key, reviewed 2026-11',
    validateInput: (v) => (v.trim() ? undefined : 'A reason is required'),
  });
  if (!reason) return;
  const out = new vscode.WorkspaceEdit();
  for (const [uri, edits] of edit.entries()) {
    for (const e of edits) out.replace(uri, e.range, e.newText.replace(/-- reason(\r?\n)?$/, (_m, eol: string | undefined) => `-- ${reason.trim().replace(/\r?\n/g, ' ')}${eol ?? ''}`));
  }
  await vscode.workspace.applyEdit(out);
}
