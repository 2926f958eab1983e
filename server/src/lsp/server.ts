// Wires the engine to an LSP connection: capabilities, document sync, diagnostics (pull when the
// client can, push otherwise), code actions, hovers, commands, settings and the workspace audit.
// Every handler tolerates malformed params and URIs it does not know: it answers empty, never throws.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import path from 'node:path';
import { version } from '../../../package.json';
import { Engine, CONFIG_FILE } from '../engine/index';
import { AuditRunner } from './auditRequest';
import { codeActions } from './codeActions';
import { hoverFor } from './hover';
import { TemplateIndexer } from './indexer';
import { LiveLinter } from './liveLint';
import { AUDIT_REQUEST, CODE_ACTION_FIX_ALL_KIND, SERVER_COMMANDS, docsUrl, type AuditParams } from './protocol';
import { clientFeatures, type Session } from './session';
import { FolderConfigs } from './folderConfigs';
import { buildConfigs, fetchSettings, DEFAULT_SETTINGS } from './settings';
import { pathToUri, uriToPath } from './uris';

export interface ServerOptions {
  /** How long to wait for workspace/configuration before using defaults. */
  configurationTimeoutMs?: number;
}

export function startServer(connection: Connection, opts: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const engine = new Engine();
  const session: Session = {
    connection,
    engine,
    documents,
    features: clientFeatures(undefined),
    roots: [],
    configs: FolderConfigs.single(engine.getConfig()),
    enabled: true,
    toUri: (file) => linter.uriOf(file) ?? pathToUri(file),
    log: (message) => connection.console.log(message),
  };
  const linter = new LiveLinter(session);
  const auditRunner = new AuditRunner(session, linter);
  const indexer = new TemplateIndexer(session);
  /** `.faaslint.yaml` is read only in trusted workspaces (the client says which). */
  let trusted = true;
  let lastProblems = '';

  const guard = <T>(what: string, fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      session.log(`${what} failed: ${(e as Error)?.message ?? e}`);
      return fallback;
    }
  };

  async function reloadConfig(): Promise<void> {
    const roots = [...session.roots];
    const fetched = session.features.configuration
      ? await fetchSettings(connection, roots, opts.configurationTimeoutMs)
      : { settings: DEFAULT_SETTINGS, byRoot: new Map(), timedOut: false };
    if (fetched.timedOut) session.log('workspace/configuration got no answer in time: using default settings');
    const built = buildConfigs(roots, fetched, trusted);
    session.configs = built.configs;
    session.enabled = fetched.settings.enable;
    const problems = built.problems.join('\n');
    if (problems && problems !== lastProblems) {
      for (const p of built.problems) session.log(`configuration: ${p}`);
      connection.window.showWarningMessage(`faaslint: configuration problems (see the faaslint output): ${built.problems[0]}`);
    }
    lastProblems = problems;
  }

  async function reindex(): Promise<void> {
    const n = await indexer.run();
    if (n === undefined) return; // superseded
    session.log(`indexed ${n} template${n === 1 ? '' : 's'} in ${session.roots.length} folder${session.roots.length === 1 ? '' : 's'}`);
    linter.relintAll();
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    session.features = clientFeatures(params?.capabilities);
    session.roots = rootsOf(params);
    trusted = (params?.initializationOptions as { workspaceTrusted?: unknown } | undefined)?.workspaceTrusted !== false;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CODE_ACTION_FIX_ALL_KIND] },
        hoverProvider: true,
        executeCommandProvider: { commands: [SERVER_COMMANDS.openRuleDocs, SERVER_COMMANDS.audit] },
        ...(session.features.pullDiagnostics
          ? { diagnosticProvider: { identifier: 'faaslint', interFileDependencies: true, workspaceDiagnostics: false } }
          : {}),
        ...(session.features.workspaceFolders ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: 'faaslint', version },
    };
  });

  connection.onInitialized(async () => {
    const f = session.features;
    if (f.configurationRegistration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: 'faaslint' }).catch(() => undefined);
    }
    if (f.watchedFilesRegistration) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.{yml,yaml,json,js,mjs,cjs,ts,mts,cts}' }, { globPattern: '**/.env*' }, { globPattern: `**/${CONFIG_FILE}` }],
        })
        .catch(() => undefined);
    }
    if (f.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((x) => uriToPath(x.uri)));
        const added = e.added.map((x) => uriToPath(x.uri)).filter((x): x is string => !!x);
        session.roots = [...session.roots.filter((r) => !removed.has(r)), ...added];
        void reloadConfig().then(reindex);
      });
    }
    await reloadConfig();
    linter.setReady();
    void reindex();
  });

  connection.onDidChangeConfiguration(() => {
    void reloadConfig().then(() => {
      linter.relintAll();
      return reindex();
    });
  });

  connection.onDidChangeWatchedFiles((params) => {
    const files = (Array.isArray(params?.changes) ? params.changes : []).map((c) => uriToPath(c?.uri)).filter((x): x is string => !!x);
    if (files.length === 0) return;
    const configChanged = files.some((f) => path.basename(f) === CONFIG_FILE && session.roots.includes(path.dirname(f)));
    guard('watched files', undefined, () => linter.filesChanged(files));
    if (configChanged) void reloadConfig().then(() => linter.relintAll());
  });

  documents.onDidOpen((e) => guard('open', undefined, () => linter.opened(e.document)));
  documents.onDidChangeContent((e) => guard('change', undefined, () => linter.changed(e.document)));
  documents.onDidSave((e) => guard('save', undefined, () => linter.saved(e.document)));
  documents.onDidClose((e) => guard('close', undefined, () => linter.closed(e.document)));

  connection.languages.diagnostics.on(async (params, token) => {
    try {
      return await linter.pull(params, token);
    } catch (e) {
      if (e instanceof ResponseError) throw e; // cancellation
      session.log(`diagnostics failed: ${(e as Error)?.message ?? e}`);
      return { kind: 'full', items: [] };
    }
  });

  connection.onCodeAction((params) =>
    guard('code actions', [], () => {
      const uri = params?.textDocument?.uri;
      const doc = typeof uri === 'string' ? documents.get(uri) : undefined;
      const entry = doc && linter.entry(doc.uri);
      if (!doc || !entry || !params.range) return [];
      return codeActions({
        params,
        doc,
        entry,
        toUri: session.toUri,
        versionOf: (u) => documents.get(u)?.version ?? null,
        documentChanges: session.features.documentChanges,
        relatedInformation: session.features.relatedInformation,
      });
    }),
  );

  connection.onHover((params) =>
    guard('hover', null, () => {
      const uri = params?.textDocument?.uri;
      const entry = typeof uri === 'string' && documents.get(uri) ? linter.entry(uri) : undefined;
      return entry ? hoverFor(entry.result.findings, params.position, engine.ruleList) : null;
    }),
  );

  connection.onExecuteCommand(async (params, token) => {
    const args = Array.isArray(params?.arguments) ? params.arguments : [];
    switch (params?.command) {
      case SERVER_COMMANDS.openRuleDocs: {
        const id = args[0];
        if (typeof id !== 'string' || !/^[\w-]+$/.test(id)) return null;
        const url = docsUrl(id);
        if (session.features.showDocument) await connection.window.showDocument({ uri: url, external: true }).catch(() => undefined);
        else connection.window.showInformationMessage(`faaslint: documentation for ${id}: ${url}`);
        return null;
      }
      case SERVER_COMMANDS.audit:
        return auditRunner.run(undefined, token);
      default:
        return null;
    }
  });

  connection.onRequest(AUDIT_REQUEST, (params: AuditParams | undefined, token) => auditRunner.run(params, token));

  documents.listen(connection);
  connection.listen();
}

function rootsOf(params: InitializeParams | undefined): string[] {
  const fromFolders = (params?.workspaceFolders ?? []).map((f) => uriToPath(f?.uri)).filter((x): x is string => !!x);
  if (fromFolders.length > 0) return fromFolders;
  const root = uriToPath(params?.rootUri) ?? (typeof params?.rootPath === 'string' ? path.resolve(params.rootPath) : undefined);
  return root ? [root] : [];
}
