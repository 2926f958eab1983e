// Driving the VS Code workbench (code-server in Chromium) the way a person does: Quick Open, the
// Explorer, the command palette, the Problems panel, the Quick Fix menu. Selectors were read off
// what VS Code 1.100 renders; every wait is on a selector or a condition, with a bounded timeout.
import type { Locator, Page } from './codeServer';
import { log, waitUntil } from './env';

/** One row of the Problems panel (tree view): a file row, a marker row or a related-information row. */
export interface ProblemRow {
  /** The row's aria-label: "Error: <message> at line L and character C. …" or "N problems in file F of folder …". */
  label: string;
  /** The row's visible text: message, `faaslint(<rule id>)`, `[Ln L, Col C]`. */
  text: string;
  level: number;
}

// The DOM is read in the page; this repo's tsconfig has no DOM lib, hence `any` there.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dom = any;

export class Workbench {
  constructor(
    readonly page: Page,
    readonly timeoutMs = 30_000,
  ) {}

  async open(url: string): Promise<void> {
    const started = Date.now();
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    log(`workbench loaded in ${Date.now() - started} ms`);
  }

  /** faaslint's status bar item: shown once the extension has activated. */
  statusItem(): Locator {
    return this.page.locator('.statusbar-item[id$="faaslint.status"]');
  }

  async waitForActivation(timeoutMs = 90_000): Promise<void> {
    const started = Date.now();
    await this.statusItem().waitFor({ timeout: timeoutMs });
    log(`faaslint status bar item after ${Date.now() - started} ms: ${await this.statusItem().getAttribute('aria-label')}`);
  }

  /** Clicks a top-level entry in the Explorer and waits for its editor tab. */
  async openFromExplorer(name: string): Promise<void> {
    await this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`).click();
    await this.waitForEditor(name);
  }

  /** Ctrl+P, types the name, waits for the file to be the focused result, opens it. */
  async quickOpen(name: string): Promise<void> {
    await this.pick('Control+P', name, name);
    await this.waitForEditor(name);
  }

  async waitForEditor(name: string): Promise<void> {
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor({ state: 'visible' });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
  }

  /** F1, types the command's title, waits for it to be the focused result, runs it. */
  async runCommand(title: string): Promise<void> {
    await this.pick('F1', `>${title}`, title);
  }

  /**
   * Opens a quick pick with `key`, types `value`, waits until the focused row shows `rowText` and
   * accepts it with Enter. Results arrive in batches (recently opened, then file search) and the
   * list re-renders in between, so a located row can be replaced under a click: the keyboard
   * acts on whatever is focused when Enter lands, which is checked first.
   */
  private async pick(key: string, value: string, rowText: string): Promise<void> {
    await this.page.keyboard.press(key);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(value);
    const focused = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused').filter({ hasText: rowText });
    for (let attempt = 1; ; attempt++) {
      await focused.first().waitFor({ state: 'visible' });
      await this.page.keyboard.press('Enter');
      try {
        await input.waitFor({ state: 'hidden', timeout: 5_000 });
        return;
      } catch (e) {
        if (attempt >= 3) throw e;
        log(`quick pick "${value}": still open after Enter, trying again`);
      }
    }
  }

  /** Puts the cursor at line:column in the active editor (Ctrl+G). */
  async goToLine(line: number, column: number): Promise<void> {
    // Focus the editor through its tab: a click in the text would move the cursor first, and
    // each cursor move schedules an automatic code action request (see openQuickFix).
    await this.page.locator('.tabs-container .tab.active .label-name').first().click();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await this.page.locator('.statusbar-item[id="status.editor.selection"]').filter({ hasText: `Ln ${line}, Col ${column}` }).waitFor();
  }

  /** Opens the Problems panel (Ctrl+Shift+M toggles it, so only when it is not showing). */
  async showProblems(): Promise<void> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible' });
  }

  /** Sets the Problems panel's filter box (empty string clears it). */
  async filterProblems(text: string): Promise<void> {
    await this.showProblems();
    const input = this.page.locator('.viewpane-filter input[aria-label="Filter Problems"]');
    await input.fill(text);
    await waitUntil(`the Problems filter to read "${text}"`, async () => (await this.page.evaluate((v: string) => {
      const el = (globalThis as Dom).document.querySelector('.viewpane-filter input[aria-label="Filter Problems"]');
      return el?.value === v;
    }, text)), 5_000, 50);
  }

  /** The rows the Problems panel renders now (with a filter set, all of them fit on screen). */
  async problemRows(): Promise<ProblemRow[]> {
    return this.page.evaluate(() => {
      const d = (globalThis as Dom).document;
      return [...d.querySelectorAll('.markers-panel .monaco-list-row')].map((r: Dom) => ({
        label: r.getAttribute('aria-label') ?? '',
        text: (r.innerText ?? '').replace(/\s+/g, ' ').trim(),
        level: Number(r.getAttribute('aria-level') ?? 0),
      }));
    });
  }

  /**
   * Filters the Problems panel by `filter` and waits until its rows satisfy `check` (which returns
   * true, or a string saying what is still missing). Returns the rows it accepted.
   */
  async waitForProblems(filter: string, what: string, check: (rows: ProblemRow[]) => true | string, timeoutMs = this.timeoutMs): Promise<ProblemRow[]> {
    await this.filterProblems(filter);
    let lastRows: ProblemRow[] = [];
    let lastWhy = '';
    try {
      return await waitUntil(
        what,
        async () => {
          lastRows = await this.problemRows();
          // The panel applies a new filter after a debounce: rows that do not match are the old filter's.
          const ok = filterApplied(lastRows, filter) ? check(lastRows) : `the filter "${filter}" to take effect`;
          if (ok === true) return lastRows;
          lastWhy = ok;
          return undefined;
        },
        timeoutMs,
        250,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}\n  still: ${lastWhy}\n  rows with filter "${filter}":\n${lastRows.map((r) => `    [${r.level}] ${r.text}`).join('\n') || '    (none)'}`);
    }
  }

  /** Filters the Problems panel and waits for its "No results found with provided filter criteria." */
  async expectNoProblems(filter: string, timeoutMs = this.timeoutMs): Promise<void> {
    await this.filterProblems(filter);
    await this.page.locator('.markers-panel .message-box-container').filter({ hasText: /No results found/ }).waitFor({ state: 'visible', timeout: timeoutMs });
    const rows = await this.problemRows();
    if (rows.some((r) => r.level >= 1 && r.label)) {
      throw new Error(`expected no problems matching "${filter}", got:\n${rows.map((r) => `  ${r.text}`).join('\n')}`);
    }
  }

  /**
   * Starts recording, in the page, the texts of notification toasts and of faaslint's status bar
   * item as they appear, so a progress notification that comes and goes is still seen.
   */
  async recordNotifications(): Promise<void> {
    // A string, not a function: tsx's transform would wrap named inner functions in a helper the page lacks.
    await this.page.evaluate(RECORD_NOTIFICATIONS);
  }

  async recordedNotifications(): Promise<string[]> {
    return this.page.evaluate(() => [...((globalThis as Dom).__faaslintSeen ?? [])] as string[]);
  }

  /**
   * Ctrl+. at the cursor, once VS Code's automatic code action request for the cursor's line has
   * answered (the lightbulb shows on that line), and waits for the Quick Fix menu.
   *
   * Why the wait: VS Code (CodeActionModel, 1.100) schedules an automatic request 250 ms after
   * every cursor move or change of the file's diagnostics, and when it fires while an invoked
   * (Ctrl+.) request is still pending, it cancels that request 500 ms later; the controller then
   * reports the cancelled request as "No code actions available". On a loaded machine the
   * invoked request can take that long. Pressing Ctrl+. only once the lightbulb for the cursor's
   * line is shown means no automatic request is pending. A change of diagnostics can still land
   * in between (VS Code re-pulls a file's diagnostics when its tab becomes visible again), so
   * one more attempt is allowed when VS Code shows that message; the server itself answered
   * (test/lsp.test.ts checks code actions asked while a linked file changes).
   */
  async openQuickFix(): Promise<void> {
    const menu = this.page.locator('.action-widget .monaco-list-row.action').first();
    for (let attempt = 1; ; attempt++) {
      await waitUntil('the lightbulb on the cursor\'s line', () => this.page.evaluate(LIGHTBULB_ON_CURSOR_LINE) as Promise<boolean>, this.timeoutMs, 100);
      await this.page.keyboard.press('Control+.');
      const shown = await menu.waitFor({ state: 'visible', timeout: 8_000 }).then(() => true, () => false);
      if (shown) return;
      const message = await this.page.locator('.monaco-editor-overlaymessage').first().innerText({ timeout: 1_000 }).catch(() => '');
      if (attempt >= 2) throw new Error(`no Quick Fix menu after ${attempt} attempts${message ? `; VS Code said: ${message}` : ''}`);
      log(`Ctrl+.: no menu (${message || 'no message'}); VS Code cancelled the request, asking again`);
      await this.page.keyboard.press('Escape');
    }
  }

  /**
   * With the Quick Fix menu open, moves the focus to the action whose title matches and applies it
   * with Enter (the menu's pointer block swallows the first click). Returns every title offered.
   */
  async applyCodeAction(title: RegExp): Promise<string[]> {
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    await rows.first().waitFor({ state: 'visible' });
    const titles = (await rows.allInnerTexts()).map((t) => t.trim());
    const index = titles.findIndex((t) => title.test(t));
    if (index < 0) throw new Error(`no code action matches ${title}; offered: ${titles.join(' | ')}`);
    for (let i = 0; i <= titles.length; i++) {
      const focused = (await this.page.locator('.action-widget .monaco-list-row.action.focused').getAttribute('aria-label')) ?? '';
      if (title.test(focused)) {
        await this.page.keyboard.press('Enter');
        await this.page.locator('.action-widget').waitFor({ state: 'hidden' });
        return titles;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`could not move the focus to ${title}; offered: ${titles.join(' | ')}`);
  }

  toast(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  }
}

/** The lightbulb is visible and on (or, when that line's start is taken, next to) the cursor's line. */
const LIGHTBULB_ON_CURSOR_LINE = `(() => {
  const editor = document.querySelector('.editor-instance .monaco-editor.focused') || document.querySelector('.editor-instance .monaco-editor');
  const bulb = editor && editor.querySelector('.lightBulbWidget');
  const cursor = editor && editor.querySelector('.cursors-layer .cursor');
  if (!bulb || !cursor || bulb.offsetParent === null) return false;
  const b = bulb.getBoundingClientRect(), c = cursor.getBoundingClientRect();
  if (b.height === 0 || c.height === 0) return false;
  return Math.abs((b.top + b.height / 2) - (c.top + c.height / 2)) <= c.height * 1.5;
})()`;

const RECORD_NOTIFICATIONS = `(() => {
  const seen = (globalThis.__faaslintSeen = []);
  const note = () => {
    for (const el of document.querySelectorAll('.notification-toast, .statusbar-item[id$="faaslint.status"]')) {
      const kind = el.classList.contains('notification-toast') ? 'toast' : 'status';
      const text = (kind + ': ' + (el.innerText || el.textContent || '') + ' ' + (el.getAttribute('aria-label') || '')).replace(/\\s+/g, ' ').trim();
      if (!seen.includes(text)) seen.push(text);
    }
  };
  if (globalThis.__faaslintObserver) globalThis.__faaslintObserver.disconnect();
  globalThis.__faaslintObserver = new MutationObserver(note);
  globalThis.__faaslintObserver.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  note();
})()`;

/** Rows of the Problems panel that are diagnostics (not file headers or related information) whose source is faaslint(rule). */
export function markers(rows: ProblemRow[], rule?: string): ProblemRow[] {
  // The source and code render as `faaslint(rule)`; the parentheses come from CSS, not the text.
  const source = new RegExp(`\\bfaaslint\\W*${rule ? rule.replace(/[-]/g, '\\-') : '[a-z]'}`);
  return rows.filter((r) => /^(Error|Warning|Info)/.test(r.label) && source.test(r.text));
}

/** Whether every marker row matches `filter` in its own text or its file's name (the filter took effect). */
function filterApplied(rows: ProblemRow[], filter: string): boolean {
  const f = filter.toLowerCase();
  if (!f) return true;
  let file = '';
  for (const r of rows) {
    if (r.level === 1) file = r.label.toLowerCase();
    else if (r.level === 2 && !file.includes(f) && !`${r.label} ${r.text}`.toLowerCase().includes(f)) return false;
  }
  return true;
}

/** File header rows: "N problems in file <name> of folder …". */
export function fileRows(rows: ProblemRow[]): string[] {
  return rows.map((r) => /problems? in file (\S+)/.exec(r.label)?.[1]).filter((x): x is string => !!x);
}
