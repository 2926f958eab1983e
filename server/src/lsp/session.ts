// What every LSP module shares: the connection, the engine, the open buffers, what the client
// can do, and the workspace folders. Built once in server.ts.
import type { ClientCapabilities, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Config, Engine } from '../engine/index';
import type { FolderConfigs } from './folderConfigs';

export interface ClientFeatures {
  /** textDocument/diagnostic (pull); push through publishDiagnostics otherwise. */
  pullDiagnostics: boolean;
  /** workspace/diagnostic/refresh, to re-pull after a dependency changed. */
  diagnosticRefresh: boolean;
  relatedInformation: boolean;
  /** Versioned TextDocumentEdits, so an edit computed for an old version is refused. */
  documentChanges: boolean;
  workDoneProgress: boolean;
  showDocument: boolean;
  configuration: boolean;
  configurationRegistration: boolean;
  watchedFilesRegistration: boolean;
  workspaceFolders: boolean;
}

export function clientFeatures(c: ClientCapabilities | undefined): ClientFeatures {
  return {
    pullDiagnostics: !!c?.textDocument?.diagnostic,
    diagnosticRefresh: !!c?.workspace?.diagnostics?.refreshSupport,
    relatedInformation: !!c?.textDocument?.publishDiagnostics?.relatedInformation || !!c?.textDocument?.diagnostic?.relatedInformation,
    documentChanges: !!c?.workspace?.workspaceEdit?.documentChanges,
    workDoneProgress: !!c?.window?.workDoneProgress,
    showDocument: !!c?.window?.showDocument?.support,
    configuration: !!c?.workspace?.configuration,
    configurationRegistration: !!c?.workspace?.didChangeConfiguration?.dynamicRegistration,
    watchedFilesRegistration: !!c?.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    workspaceFolders: !!c?.workspace?.workspaceFolders,
  };
}

export interface Session {
  readonly connection: Connection;
  readonly engine: Engine;
  readonly documents: TextDocuments<TextDocument>;
  features: ClientFeatures;
  /** Absolute paths of the workspace folders. */
  roots: string[];
  /** The configuration of each folder (its `.faaslint.yaml` and folder settings). */
  configs: FolderConfigs;
  /** `faaslint.enable`. */
  enabled: boolean;
  /** The client URI of an engine file id: the open buffer's own URI when there is one. */
  toUri(file: string): string;
  log(message: string): void;
}

/**
 * Gives the engine the configuration of the folder `file` belongs to (or `config`): call it right
 * before each synchronous engine call, since the engine holds one configuration at a time.
 */
export function useConfigFor(s: Session, file: string, config: Config = s.configs.configFor(file)): void {
  if (s.engine.getConfig() !== config) s.engine.setConfig(config);
}
