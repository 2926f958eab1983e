// Runs the CLI in a temp project: in process through `runCli` (what main.ts calls; fast enough
// to run dozens of cases), or as a real process (server/src/cli/main.ts through tsx, no build).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli as runCliInProcess } from '../../server/src/cli/run';
import { rules } from '../../rules/index';
import { makeTree } from './tree';

export const REPO = path.resolve(__dirname, '..', '..');
// An absolute loader URL: the CLI runs with cwd in a temp dir, where `--import tsx` would not resolve.
const TSX_LOADER = pathToFileURL(path.join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const MAIN = path.join(REPO, 'server', 'src', 'cli', 'main.ts');

export interface CliRun { code: number | null; stdout: string; stderr: string }

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Pretend stdout is a terminal (in process only). */
  isTTY?: boolean;
}

/** The CLI in this process, with captured streams and a clean environment. */
export function runCli(args: string[], opts: RunOptions): CliRun {
  let stdout = '';
  let stderr = '';
  const code = runCliInProcess(args, {
    stdout: { write: (s: string) => { stdout += s; }, isTTY: !!opts.isTTY },
    stderr: { write: (s: string) => { stderr += s; } },
    cwd: opts.cwd,
    env: cleanEnv(opts.env),
  });
  return { code, stdout, stderr };
}

function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  const merged: Record<string, string | undefined> = {
    ...process.env,
    // A developer's terminal settings must not change what the tests see.
    NO_COLOR: undefined, FORCE_COLOR: undefined, FAASLINT_DEBUG: undefined, NODE_TEST_CONTEXT: undefined,
    ...extra,
  };
  for (const [k, v] of Object.entries(merged)) if (v !== undefined) env[k] = v;
  return env;
}

/** The real entry point in a child process: exit codes and streams as CI sees them. */
export function spawnCli(args: string[], opts: RunOptions): CliRun {
  const env = cleanEnv(opts.env);
  const r = spawnSync(process.execPath, ['--import', TSX_LOADER, MAIN, ...args], { cwd: opts.cwd, env, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temp directory holding `files` (relative path → text). */
export function makeProject(files: Record<string, string>): string {
  return makeTree(files, 'faaslint-cli-');
}

export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The rules the brief's samples exercise. */
export const CORE_RULES = ['handler-no-exec-with-event-input', 'iam-no-wildcard-action', 'secrets-no-hardcoded'];

/**
 * A `.faaslint.yaml` turning off every registered rule not in `only` (then applying `overrides`),
 * so a test of CLI mechanics does not change meaning when another rule is added.
 */
export function configYaml(only: readonly string[], overrides: Record<string, string> = {}, extra = ''): string {
  const settings: Record<string, string> = {};
  for (const r of rules) if (!only.includes(r.meta.id)) settings[r.meta.id] = 'off';
  Object.assign(settings, overrides);
  const lines = Object.entries(settings).map(([id, v]) => `  ${id}: ${v}`);
  return (lines.length ? `rules:\n${lines.join('\n')}\n` : '') + extra;
}

// Sample apps. Line/column comments say where the findings are (1-based).

/** `Action: '*'` at 9:19 (iam-no-wildcard-action). */
export const WILDCARD_SLS = `service: demo
provider:
  name: aws
  runtime: nodejs24.x
  iam:
    role:
      statements:
        - Effect: Allow
          Action: '*'
          Resource: '*'
functions:
  hello:
    handler: handler.main
    events:
      - httpApi: GET /hello
`;

export const SCOPED_SLS = WILDCARD_SLS.replace(`Action: '*'`, `Action: 'dynamodb:GetItem'`);

export const QUIET_HANDLER = `exports.main = async (event) => {
  return { statusCode: 200, body: JSON.stringify({ ok: true }) };
};
`;

/** Fake AWS access key ids (AKIA + 16 base32 characters); never printed whole. */
export const HANDLER_KEY = 'AKIAZ3MHQ7VB2XK6TRWE';
export const ENV_KEY = 'AKIA4QX7R2M3PLKDTWZN';

/** The key in code at 2:22 and an exec of event data at line 4. */
export const RISKY_HANDLER = `const { execSync } = require('child_process');
const accessKeyId = '${HANDLER_KEY}';
exports.main = async (event) => {
  execSync(\`convert \${event.pathParameters.file}\`);
  return { statusCode: 200, body: accessKeyId.length };
};
`;

/** An access key in an environment variable at 6:17. */
export const SECRET_ENV_SLS = `service: demo
provider:
  name: aws
  runtime: nodejs24.x
  environment:
    AWS_KEY_ID: ${ENV_KEY}
functions:
  hello:
    handler: handler.main
    events:
      - httpApi: GET /hello
`;
