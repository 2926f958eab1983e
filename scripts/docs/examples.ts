// Picks a rule's documentation examples from its fixtures: files where the rule fires (shown with
// their caret markers, which say exactly what is flagged and why) and files where it stays quiet,
// plus the diff to the `.fixed` file when the rule fixes it. The marker grammar is the fixture
// runner's, imported so the two cannot drift.
import fs from 'node:fs';
import path from 'node:path';
import type { RuleMeta, Target } from '../../rules/api';
import { classifyPath } from '../../server/src/engine/classify';
import { commentToken, fixedPath, isMarkerLine, parseExpected, parseMarkers, stripMarkers, type Marker } from '../../test/support/markers';
import { unifiedDiff } from './diff';
import { redactSecrets } from './redact';

export const MAX_FLAGGED = 3;
export const MAX_QUIET = 2;
/** Longer files are shown as windows around the flagged lines. */
const MAX_LINES = 60;
const CONTEXT = 6;

export interface Example {
  /** Path relative to the fixtures folder, with `/`. */
  file: string;
  lang: string;
  flagged: boolean;
  /** The fixture as shown: this rule's markers kept, other markers removed, long files cut. */
  code: string;
  /** Findings listed under the code when the format has no comments (JSON `.expected`). */
  findings: { line: number; column: number; message?: string }[];
  /** Unified diff from the file to its `.fixed` version. */
  fixDiff?: string;
}

export function collectExamples(fixturesDir: string, meta: RuleMeta): Example[] {
  if (!fs.existsSync(fixturesDir)) return [];
  const flagged: Example[] = [];
  const quiet: Example[] = [];
  for (const rel of listFiles(fixturesDir)) {
    if (/\.fixed(\.[^./]+)?$/.test(rel) || rel.endsWith('.expected')) continue;
    const target = targetOf(rel);
    if (!target || !meta.targets.includes(target)) continue;
    const abs = path.join(fixturesDir, rel);
    const isSecretsRule = (id: string) => id.startsWith('secrets-');
    const text = redactSecrets(fs.readFileSync(abs, 'utf8').replace(/\r\n/g, '\n'), isSecretsRule);
    const token = commentToken(rel);
    const expectedFile = abs + '.expected';
    const markers = (token ? parseMarkers(text) : fs.existsSync(expectedFile) ? parseExpected(fs.readFileSync(expectedFile, 'utf8')) : [])
      .filter((m) => m.ruleId === meta.id && !m.todo);
    const isFlagged = markers.length > 0;
    if (isFlagged ? flagged.length >= MAX_FLAGGED : quiet.length >= MAX_QUIET) continue;
    const fixed = fixedPath(abs);
    const fixDiff = isFlagged && fs.existsSync(fixed)
      ? unifiedDiff(stripMarkers(text), redactSecrets(fs.readFileSync(fixed, 'utf8').replace(/\r\n/g, '\n'))) || undefined
      : undefined;
    const example: Example = {
      file: rel.split(path.sep).join('/'),
      lang: fenceLanguage(rel),
      flagged: isFlagged,
      code: displayCode(text, markers, meta.id, token),
      findings: token ? [] : markers.map((m) => ({ line: m.line + 1, column: m.col + 1, message: m.message })),
      ...(fixDiff ? { fixDiff } : {}),
    };
    (isFlagged ? flagged : quiet).push(example);
  }
  return [...flagged, ...quiet];
}

function targetOf(rel: string): Target | undefined {
  switch (classifyPath(rel)) {
    case 'yaml':
    case 'json':
      return 'template';
    case 'handler':
      return 'handler';
    case 'dotenv':
      return 'dotenv';
    default:
      return undefined;
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  // Byte order, not locale order: the same on every machine.
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Keeps this rule's markers; drops other rules' markers and `todo` (known-miss) markers. */
function displayCode(text: string, markers: Marker[], ruleId: string, token: string | undefined): string {
  const lines = text.replace(/\n+$/, '').split('\n');
  const keep = lines.map((l) => {
    if (!token || !isMarkerLine(l)) return true;
    const m = parseMarkers(l)[0];
    return !!m && m.ruleId === ruleId && !m.todo;
  });
  const shown = lines.map((l, i) => ({ text: l, i })).filter((_, i) => keep[i]);
  if (shown.length <= MAX_LINES) return shown.map((l) => l.text).join('\n');

  // Anchor on the flagged code lines (and their markers), or the top of a quiet file.
  const anchors = new Set<number>();
  for (const m of markers) {
    anchors.add(m.line);
    if (m.markerLine !== undefined) anchors.add(m.markerLine);
  }
  const near = (i: number) => [...anchors].some((a) => Math.abs(a - i) <= CONTEXT);
  const visible = anchors.size > 0 ? shown.filter((l) => near(l.i)) : shown.slice(0, MAX_LINES);
  const ellipsis = token ? `${token} …` : '…';
  const out: string[] = [];
  let prev = -1;
  for (const l of visible) {
    const idx = shown.indexOf(l);
    if (idx !== prev + 1) out.push(ellipsis);
    out.push(l.text);
    prev = idx;
  }
  if (prev !== shown.length - 1) out.push(ellipsis);
  return out.join('\n');
}

export function fenceLanguage(file: string): string {
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  if (/\.json$/i.test(file)) return 'json';
  if (/\.[cm]?js$/.test(file)) return 'js';
  if (/\.[cm]?ts$/.test(file)) return 'ts';
  if (/(^|[\\/])\.env(\.[\w.-]+)?$/.test(file)) return 'dotenv';
  return 'text';
}
