// Caret markers in fixtures: a comment line whose carets mark columns on the nearest code line
// above, followed by `<rule-id>: <message>` (or `todo <rule-id>` for a known miss). JSON has no
// comments, so `<file>.expected` beside it lists `line:col-endcol <rule-id>: <message>` instead.
import path from 'node:path';

export interface Marker { line: number; col: number; endCol: number; ruleId: string; message?: string; todo: boolean; markerLine?: number }

export function commentToken(file: string): string | undefined {
  if (/\.(ya?ml)$/i.test(file) || /(^|\/)\.env(\.[\w.-]+)?$/.test(file)) return '#';
  if (/\.(js|mjs|cjs|ts|mts|cts|jsx|tsx)$/.test(file)) return '//';
  return undefined;
}

const MARKER = /^(\s*)(#|\/\/)(\s*)(\^+)\s+(todo\s+)?([\w-]+)(?::\s?(.*))?$/;

export function isMarkerLine(line: string): boolean {
  return MARKER.test(line);
}

export function parseMarkers(text: string): Marker[] {
  const lines = text.split('\n');
  const out: Marker[] = [];
  let lastCode = -1;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const m = MARKER.exec(line);
    if (!m) {
      lastCode = i;
      return;
    }
    const col = m[1].length + m[2].length + m[3].length;
    out.push({ line: lastCode, col, endCol: col + m[4].length, ruleId: m[6], message: m[7]?.trim() || undefined, todo: !!m[5], markerLine: i });
  });
  return out;
}

export function parseExpected(text: string): Marker[] {
  return text.split('\n').filter((l) => l.trim()).map((l) => {
    const m = /^(\d+):(\d+)-(\d+)\s+(todo\s+)?([\w-]+)(?::\s?(.*))?$/.exec(l.trim());
    if (!m) throw new Error(`bad .expected line: ${l}`);
    return { line: +m[1] - 1, col: +m[2] - 1, endCol: +m[3] - 1, ruleId: m[5], message: m[6]?.trim() || undefined, todo: !!m[4] };
  });
}

export function formatExpected(markers: Marker[]): string {
  return markers.map((m) => `${m.line + 1}:${m.col + 1}-${m.endCol + 1} ${m.todo ? 'todo ' : ''}${m.ruleId}${m.message ? `: ${m.message}` : ''}`).join('\n') + (markers.length ? '\n' : '');
}

/** Removes marker lines, keeping everything else byte for byte. */
export function stripMarkers(text: string): string {
  return text.split('\n').filter((l) => !isMarkerLine(l.replace(/\r$/, ''))).join('\n');
}

/** Rewrites the file's markers from actual findings; `todo` markers are kept. */
export function writeMarkers(text: string, file: string, actual: Marker[]): string {
  const token = commentToken(file)!;
  const todos = parseMarkers(text).filter((m) => m.todo);
  const lines = text.split('\n');
  const code: { text: string; orig: number }[] = [];
  lines.forEach((l, i) => { if (!isMarkerLine(l.replace(/\r$/, ''))) code.push({ text: l, orig: i }); });
  // `actual` lines refer to the file as linted (with markers); map them to original line numbers.
  const byLine = new Map<number, Marker[]>();
  for (const m of [...actual, ...todos]) {
    const arr = byLine.get(m.line) ?? [];
    arr.push(m);
    byLine.set(m.line, arr);
  }
  const out: string[] = [];
  for (const c of code) {
    out.push(c.text);
    const ms = (byLine.get(c.orig) ?? []).sort((a, b) => a.col - b.col || Number(a.todo) - Number(b.todo));
    for (const m of ms) {
      const col = Math.max(m.col, token.length);
      const pad = ' '.repeat(col - token.length);
      const carets = '^'.repeat(Math.max(1, m.endCol - col));
      out.push(`${token}${pad}${carets} ${m.todo ? 'todo ' : ''}${m.ruleId}${m.message ? `: ${m.message}` : ''}`);
    }
  }
  return out.join('\n');
}

export function fixedPath(file: string): string {
  const ext = path.extname(file);
  const base = ext ? file.slice(0, -ext.length) : file;
  return `${base}.fixed${ext}`;
}
