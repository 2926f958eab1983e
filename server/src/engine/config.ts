// Configuration: `.faaslint.yaml` at the workspace root (shared by the CLI and the editor) merged
// with editor settings. Unknown keys and bad values are reported, never fatal.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Severity } from '../../../rules/api';

export type RuleSetting = Severity | 'off';

export interface Config {
  rules: Record<string, RuleSetting>;
  exclude: string[];
  /** Files larger than this many bytes are skipped with a reason. */
  maxFileSize: number;
  /**
   * Per-file analysis time limit in milliseconds of CPU time spent in rules: past it the
   * remaining rules are skipped and the file reports "analysis stopped" (2000 when absent).
   */
  maxAnalysisMs?: number;
}

export const DEFAULT_CONFIG: Config = { rules: {}, exclude: [], maxFileSize: 2 * 1024 * 1024, maxAnalysisMs: 2000 };
export const CONFIG_FILE = '.faaslint.yaml';
const SETTINGS = new Set<string>(['error', 'warning', 'info', 'off']);

export interface LoadedConfig { config: Config; file?: string; problems: string[] }

export function normalizeConfig(raw: unknown, problems: string[] = []): Config {
  const cfg: Config = { ...DEFAULT_CONFIG, rules: {}, exclude: [] };
  if (raw == null) return cfg;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('configuration must be a mapping');
    return cfg;
  }
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!['rules', 'exclude', 'maxFileSize', 'maxAnalysisMs'].includes(key)) problems.push(`unknown option "${key}"`);
  }
  if (r.rules && typeof r.rules === 'object') {
    for (const [id, v] of Object.entries(r.rules as Record<string, unknown>)) {
      if (typeof v === 'string' && SETTINGS.has(v)) cfg.rules[id] = v as RuleSetting;
      else problems.push(`rules.${id}: expected one of error, warning, info, off`);
    }
  }
  if (Array.isArray(r.exclude)) cfg.exclude = r.exclude.filter((x): x is string => typeof x === 'string');
  if (typeof r.maxFileSize === 'number' && r.maxFileSize > 0) cfg.maxFileSize = r.maxFileSize;
  if (typeof r.maxAnalysisMs === 'number' && r.maxAnalysisMs > 0) cfg.maxAnalysisMs = r.maxAnalysisMs;
  return cfg;
}

export function loadConfigFile(root: string): LoadedConfig {
  const file = path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { config: normalizeConfig(undefined), problems: [] };
  }
  return parseConfigText(text, file);
}

/** A `.faaslint.yaml`'s text as a config; a syntax error is a problem, never an exception. */
export function parseConfigText(text: string, file: string): LoadedConfig & { file: string } {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    problems.push(`cannot parse: ${(e as Error).message.split('\n')[0]}`);
  }
  return { config: normalizeConfig(raw, problems), file, problems };
}

/** Later layers win: defaults ← file ← editor settings. */
export function mergeConfig(base: Config, over: Partial<Config>): Config {
  return {
    rules: { ...base.rules, ...(over.rules ?? {}) },
    exclude: [...base.exclude, ...(over.exclude ?? [])],
    maxFileSize: over.maxFileSize ?? base.maxFileSize,
    maxAnalysisMs: over.maxAnalysisMs ?? base.maxAnalysisMs,
  };
}
