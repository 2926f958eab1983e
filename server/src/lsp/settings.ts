// Editor settings (`faaslint.*` via workspace/configuration) layered over the `.faaslint.yaml` of
// each workspace folder: every folder of a multi-root workspace gets its own configuration.
// A client that never answers must not stall linting: the request races a timeout and the
// defaults win.
import type { Connection } from 'vscode-languageserver/node';
import { loadConfigFile, mergeConfig, normalizeConfig, DEFAULT_CONFIG, type Config } from '../engine/index';
import { FolderConfigs } from './folderConfigs';
import { pathToUri } from './uris';

export interface EditorSettings {
  enable: boolean;
  /** Raw `rules` / `exclude` as the editor sent them; validated by normalizeConfig. */
  rules?: unknown;
  exclude?: unknown;
}

export const DEFAULT_SETTINGS: EditorSettings = { enable: true };
export const CONFIGURATION_TIMEOUT_MS = 1500;

export interface FetchedSettings {
  /** The window's settings (user and workspace level). */
  settings: EditorSettings;
  /** Per workspace folder (folder-level settings of a multi-root workspace), by root path. */
  byRoot: Map<string, EditorSettings>;
  timedOut: boolean;
}

/** Asks for `faaslint.*` once for the window and once per folder (scopeUri), in one request. */
export async function fetchSettings(connection: Connection, roots: string[], timeoutMs = CONFIGURATION_TIMEOUT_MS): Promise<FetchedSettings> {
  const defaults = (timedOut: boolean): FetchedSettings => ({ settings: DEFAULT_SETTINGS, byRoot: new Map(), timedOut });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  try {
    const items = [{ section: 'faaslint' }, ...roots.map((r) => ({ scopeUri: pathToUri(r), section: 'faaslint' }))];
    const raw: unknown = await Promise.race([connection.workspace.getConfiguration(items), timeout]);
    if (raw === 'timeout') return defaults(true);
    const answers: unknown[] = Array.isArray(raw) ? raw : [raw];
    const settings = parseSettings(answers[0]);
    // A client that answers fewer items (or nothing useful per folder) leaves folders on the window's settings.
    const byRoot = new Map(roots.map((r, i) => [r, answers[i + 1] && typeof answers[i + 1] === 'object' ? parseSettings(answers[i + 1]) : settings]));
    return { settings, byRoot, timedOut: false };
  } catch {
    return defaults(false);
  } finally {
    clearTimeout(timer);
  }
}

export function parseSettings(raw: unknown): EditorSettings {
  if (!raw || typeof raw !== 'object') return DEFAULT_SETTINGS;
  const r = raw as Record<string, unknown>;
  return { enable: r.enable !== false, rules: r.rules, exclude: r.exclude };
}

export interface BuiltConfigs { configs: FolderConfigs; problems: string[] }

/**
 * For each folder: defaults ← its `.faaslint.yaml` (skipped in an untrusted workspace) ← its
 * editor settings. Files outside every folder: defaults ← the window's settings.
 * Problems are prefixed with where they come from, for the log.
 */
export function buildConfigs(roots: string[], fetched: Pick<FetchedSettings, 'settings' | 'byRoot'>, readWorkspaceConfig: boolean): BuiltConfigs {
  const problems = new Set<string>();
  const editorLayer = (settings: EditorSettings): Partial<Config> => {
    const editorProblems: string[] = [];
    const editor = normalizeConfig({ rules: settings.rules ?? {}, exclude: settings.exclude ?? [] }, editorProblems);
    for (const p of editorProblems) problems.add(`settings faaslint.${p}`);
    // Only what the editor actually sets may override the file (maxFileSize is not an editor setting).
    return { rules: editor.rules, exclude: editor.exclude };
  };
  const base = (): Config => ({ ...DEFAULT_CONFIG, rules: {}, exclude: [] });
  const byRoot = new Map<string, Config>();
  for (const root of roots) {
    let config = base();
    if (readWorkspaceConfig) {
      const loaded = loadConfigFile(root);
      for (const p of loaded.problems) problems.add(`${loaded.file ?? root}: ${p}`);
      if (loaded.file) config = mergeConfig(config, loaded.config);
    }
    byRoot.set(root, mergeConfig(config, editorLayer(fetched.byRoot.get(root) ?? fetched.settings)));
  }
  const outside = mergeConfig(base(), editorLayer(fetched.settings));
  return { configs: new FolderConfigs(outside, byRoot), problems: [...problems] };
}
