// code-server (VS Code 1.100 as a web app, with the normal Node extension host) on loopback with a
// throwaway profile, and Debian's Chromium driven by playwright-core from the e2e cache dir.
// Recipe: shared/notes/vscode-e2e.md; installed by scripts/e2e/install.sh.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CACHE, freePort, log, requireInstalled, run, startDetached, stopDetached, tempDir, waitUntil } from './env';

// ---- the small part of playwright-core's API these tests use (it is not a project dependency,
// so its own .d.ts files are not visible to `npm run typecheck`) ----
export interface Locator {
  click(options?: { timeout?: number; button?: 'left' | 'right'; force?: boolean; position?: { x: number; y: number } }): Promise<void>;
  dblclick(options?: { timeout?: number }): Promise<void>;
  hover(options?: { timeout?: number }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  press(key: string, options?: { timeout?: number }): Promise<void>;
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  isVisible(): Promise<boolean>;
  count(): Promise<number>;
  first(): Locator;
  last(): Locator;
  nth(index: number): Locator;
  filter(options: { hasText?: string | RegExp; has?: Locator }): Locator;
  locator(selector: string): Locator;
  innerText(options?: { timeout?: number }): Promise<string>;
  inputValue(options?: { timeout?: number }): Promise<string>;
  textContent(options?: { timeout?: number }): Promise<string | null>;
  allInnerTexts(): Promise<string[]>;
  getAttribute(name: string, options?: { timeout?: number }): Promise<string | null>;
}
export interface Page {
  goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' }): Promise<unknown>;
  locator(selector: string): Locator;
  keyboard: {
    press(key: string, options?: { delay?: number }): Promise<void>;
    type(text: string, options?: { delay?: number }): Promise<void>;
    insertText(text: string): Promise<void>;
  };
  screenshot(options: { path: string; fullPage?: boolean; timeout?: number }): Promise<unknown>;
  evaluate<T, A = undefined>(fn: string | ((arg: A) => T | Promise<T>), arg?: A): Promise<T>;
  waitForFunction<A>(fn: (arg: A) => unknown, arg?: A, options?: { timeout?: number; polling?: number | 'raf' }): Promise<unknown>;
  setDefaultTimeout(ms: number): void;
  on(event: 'console' | 'pageerror', listener: (e: { text?: () => string; message?: string; type?: () => string }) => void): void;
  close(): Promise<void>;
}
interface Browser {
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}
interface PlaywrightCore {
  chromium: { launch(options: { executablePath: string; headless?: boolean; args?: string[]; timeout?: number }): Promise<Browser> };
}

export const CHROMIUM = process.env.FAASLINT_E2E_CHROMIUM || '/usr/bin/chromium';

export function codeServerBin(): string {
  return requireInstalled('code-server', path.join(CACHE, 'node_modules', 'code-server', 'out', 'node', 'entry.js'));
}

export function loadPlaywright(): PlaywrightCore {
  requireInstalled('playwright-core', path.join(CACHE, 'node_modules', 'playwright-core', 'package.json'));
  requireInstalled('Chromium', CHROMIUM);
  return createRequire(path.join(CACHE, 'package.json'))('playwright-core') as PlaywrightCore;
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  process: ChildProcess;
}

/** Settings that keep the workbench free of things that come and go (welcome pages, tips, chat, trust). */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.editor.enablePreview': false,
  'workbench.problems.defaultViewMode': 'table',
  'security.workspace.trust.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'files.autoSave': 'off',
  'editor.lightbulb.enabled': 'on',
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
};

function baseArgs(dirs: { userDataDir: string; extensionsDir: string; configFile: string }): string[] {
  return [
    '--config',
    dirs.configFile,
    '--user-data-dir',
    dirs.userDataDir,
    '--extensions-dir',
    dirs.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
  ];
}

function childEnv(home: string): NodeJS.ProcessEnv {
  // code-server writes its default config and state under the XDG folders: keep them throwaway too.
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data'), XDG_CACHE_HOME: path.join(home, 'cache') };
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.NODE_OPTIONS;
  return env;
}

/** Installs the .vsix into a throwaway extensions dir and starts code-server on a free loopback port. */
export async function startCodeServer(opts: { vsix: string; workspace: string }): Promise<CodeServer> {
  const entry = codeServerBin();
  const home = tempDir('code-server');
  const userDataDir = path.join(home, 'user-data');
  const extensionsDir = path.join(home, 'extensions');
  const configFile = path.join(home, 'config.yaml');
  const logFile = path.join(home, 'code-server.log');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  // FAASLINT_E2E_TRACE=1: every LSP message in the faaslint output (copied with the logs on failure).
  const settings = process.env.FAASLINT_E2E_TRACE ? { ...USER_SETTINGS, 'faaslint.trace.server': 'verbose' } : USER_SETTINGS;
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const port = await freePort();
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = childEnv(home);
  const args = baseArgs({ userDataDir, extensionsDir, configFile });

  const out = run(process.execPath, [entry, ...args, '--install-extension', opts.vsix], { env, timeoutMs: 120_000 });
  if (!/successfully installed/i.test(out)) throw new Error(`--install-extension did not report success:\n${out}`);
  const listed = run(process.execPath, [entry, ...args, '--list-extensions', '--show-versions'], { env, timeoutMs: 60_000 });
  if (!/^faaslint\.faaslint@/m.test(listed)) throw new Error(`faaslint is not among the installed extensions:\n${listed}`);

  const child = startDetached(
    process.execPath,
    [
      entry,
      ...args,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      opts.workspace,
    ],
    { env, cwd: home, logFile },
  );
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  await waitUntil(
    'code-server to answer /healthz',
    async () => {
      if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      return res.ok;
    },
    60_000,
    250,
  ).catch((e) => {
    void stopDetached(child);
    throw e;
  });
  log(`code-server listening on ${url} after ${Date.now() - started} ms (user data: ${userDataDir})`);
  return { url, port, userDataDir, extensionsDir, logFile, process: child };
}

export async function stopCodeServer(cs: CodeServer | undefined): Promise<void> {
  if (cs) await stopDetached(cs.process);
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = loadPlaywright();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-features=Translate,OptimizationHints,MediaRouter',
    ],
  });
}
