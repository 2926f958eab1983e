// The VS Code side: starts the language server (dist/server.js over IPC) and adds the audit
// command, the status bar item and the output channel. Everything about findings lives in the server.
import { exportSarif } from './exportSarif';
import { IGNORE_COMMAND, ignoreMiddleware, ignoreWithReason } from './ignoreWithReason';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { AuditCommand } from './audit';
import { FindingsStatus } from './statusBar';

let client: LanguageClient | undefined;

const LANGUAGES = ['yaml', 'json', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'dotenv'];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('faaslint', { log: true });
  context.subscriptions.push(output);

  const module = context.asAbsolutePath('dist/server.js');
  // V8 lets an uncapped heap grow to several times what is live before collecting (see README, Performance).
  const maxMemoryMb = vscode.workspace.getConfiguration('faaslint').get<number>('server.maxMemoryMb', 384);
  const heapLimit = maxMemoryMb > 0 ? [`--max-old-space-size=${maxMemoryMb}`] : [];
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: heapLimit } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--enable-source-maps', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.map((language) => ({ scheme: 'file', language })),
      // .env files are plain text unless a dotenv extension is installed.
      { scheme: 'file', pattern: '**/.env' },
      { scheme: 'file', pattern: '**/.env.*' },
    ],
    // Two collections, two names: the server's pulled diagnostics (open files) land in the
    // collection named by its diagnosticProvider identifier ('faaslint'); the pushed ones (the
    // audit's, for files not open) in this one. One name for both makes VS Code warn that the
    // collection exists, and the two would overwrite each other's entries.
    diagnosticCollectionName: 'faaslint-audit',
    outputChannel: output,
    // An untrusted workspace's .faaslint.yaml is not read (see package.json capabilities).
    // A function, so a restart after the trust is granted sends the new state.
    initializationOptions: () => ({ workspaceTrusted: vscode.workspace.isTrusted }),
    middleware: ignoreMiddleware,
  };
  client = new LanguageClient('faaslint', 'faaslint', serverOptions, clientOptions);

  const status = new FindingsStatus();
  const auditCommand = new AuditCommand(() => client, output, status);
  context.subscriptions.push(
    status,
    vscode.commands.registerCommand('faaslint.auditWorkspace', () => auditCommand.run()),
    vscode.commands.registerCommand('faaslint.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('faaslint.exportSarif', () => exportSarif(context, output)),
    vscode.commands.registerCommand(IGNORE_COMMAND, (edit: vscode.WorkspaceEdit) => ignoreWithReason(edit)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // Restart so the server reads the workspace's .faaslint.yaml now that it may.
      if (client?.isRunning()) void client.restart().catch((e: Error) => output.error(`faaslint: restart failed: ${e.message}`));
    }),
  );

  try {
    await client.start();
  } catch (e) {
    output.error(`faaslint: the language server did not start: ${(e as Error).message}`);
    void vscode.window.showErrorMessage('faaslint: the language server did not start. See the faaslint output.', 'Show Output').then((b) => {
      if (b) output.show(true);
    });
  }
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
