// The CLI's configuration: `.faaslint.yaml` in the working directory (or --config FILE), then
// --rule and --exclude on top. Problems inside the file are warnings (the editor treats them the
// same way); a --config file that cannot be read, or an unknown rule on the command line, is a
// usage error.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfigFile, mergeConfig, parseConfigText, type Config, type RuleSetting } from '../engine/config';
import { UsageError } from './exit';

export interface CliConfig {
  config: Config;
  /** The file read, if any. */
  file?: string;
  /** Non-fatal problems, for stderr. */
  warnings: string[];
}

export interface ConfigInputs {
  cwd: string;
  configPath?: string;
  rules: Record<string, RuleSetting>;
  exclude: string[];
  knownRules: ReadonlySet<string>;
}

export function loadCliConfig({ cwd, configPath, rules, exclude, knownRules }: ConfigInputs): CliConfig {
  const unknownCli = Object.keys(rules).filter((id) => !knownRules.has(id));
  if (unknownCli.length > 0) {
    throw new UsageError(`unknown rule ${unknownCli.map((id) => `"${id}"`).join(', ')} in --rule (run "faaslint --list-rules")`);
  }
  const loaded = configPath ? readExplicit(path.resolve(cwd, configPath)) : loadConfigFile(cwd);
  const name = loaded.file ? path.relative(cwd, loaded.file) || loaded.file : undefined;
  const warnings = loaded.problems.map((p) => `${name}: ${p}`);
  for (const id of Object.keys(loaded.config.rules)) {
    if (!knownRules.has(id)) warnings.push(`${name}: unknown rule "${id}"`);
  }
  return { config: mergeConfig(loaded.config, { rules, exclude }), file: loaded.file, warnings };
}

function readExplicit(file: string): { config: Config; file: string; problems: string[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read config file ${file}: ${code === 'ENOENT' ? 'no such file' : code ?? (e as Error).message}`);
  }
  return parseConfigText(text, file);
}
