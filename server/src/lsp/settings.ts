// Editor settings (`faaslint.*` via workspace/configuration) layered over the `.faaslint.yaml` of
// each workspace folder. A client that never answers must not stall linting: the request races
// a timeout and the defaults win.
import type { Connection } from 'vscode-languageserver/node';
import { loadConfigFile, mergeConfig, normalizeConfig, DEFAULT_CONFIG, type Config } from '../engine/index';

export interface EditorSettings {
  enable: boolean;
  /** Raw `rules` / `exclude` as the editor sent them; validated by normalizeConfig. */
  rules?: unknown;
  exclude?: unknown;
}

export const DEFAULT_SETTINGS: EditorSettings = { enable: true };
export const CONFIGURATION_TIMEOUT_MS = 1500;

export async function fetchSettings(connection: Connection, timeoutMs = CONFIGURATION_TIMEOUT_MS): Promise<{ settings: EditorSettings; timedOut: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  try {
    const raw: unknown = await Promise.race([connection.workspace.getConfiguration('faaslint'), timeout]);
    if (raw === 'timeout') return { settings: DEFAULT_SETTINGS, timedOut: true };
    return { settings: parseSettings(raw), timedOut: false };
  } catch {
    return { settings: DEFAULT_SETTINGS, timedOut: false };
  } finally {
    clearTimeout(timer);
  }
}

export function parseSettings(raw: unknown): EditorSettings {
  if (!raw || typeof raw !== 'object') return DEFAULT_SETTINGS;
  const r = raw as Record<string, unknown>;
  return { enable: r.enable !== false, rules: r.rules, exclude: r.exclude };
}

export interface BuiltConfig { config: Config; problems: string[] }

/**
 * defaults ← `.faaslint.yaml` of each folder (skipped in an untrusted workspace) ← editor settings.
 * Problems are prefixed with where they come from, for the log.
 */
export function buildConfig(roots: string[], settings: EditorSettings, readWorkspaceConfig: boolean): BuiltConfig {
  const problems: string[] = [];
  let config: Config = { ...DEFAULT_CONFIG, rules: {}, exclude: [] };
  if (readWorkspaceConfig) {
    for (const root of roots) {
      const loaded = loadConfigFile(root);
      for (const p of loaded.problems) problems.push(`${loaded.file ?? root}: ${p}`);
      if (loaded.file) config = mergeConfig(config, loaded.config);
    }
  }
  const editorProblems: string[] = [];
  const editor = normalizeConfig({ rules: settings.rules ?? {}, exclude: settings.exclude ?? [] }, editorProblems);
  for (const p of editorProblems) problems.push(`settings faaslint.${p}`);
  // Only what the editor actually sets may override the file (maxFileSize is not an editor setting).
  config = mergeConfig(config, { rules: editor.rules, exclude: editor.exclude });
  return { config, problems };
}
