// Lints a fixture directory the way a workspace is linted: markers stripped (line numbers mapped
// back), templates indexed first so handlers and templates link.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, audit, applyEdits, selectFixes, type FileResult, type FileEdit } from '../../server/src/engine/index';
import { isMarkerLine } from './markers';

export const FIXTURE_DATE = new Date('2026-11-22T00:00:00Z');

export interface LintedFile {
  /** Path relative to the fixture dir. */
  rel: string;
  /** The fixture as committed (with markers). */
  original: string;
  /** The text that was linted (markers removed). */
  linted: string;
  /** linted line → original line */
  lineMap: number[];
  result: FileResult;
}

export function isFixtureSource(rel: string): boolean {
  return !/\.fixed(\.[^./]+)?$/.test(rel) && !rel.endsWith('.expected');
}

export function listDir(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

export function stripWithMap(text: string): { linted: string; lineMap: number[] } {
  const lines = text.split('\n');
  const kept: string[] = [];
  const lineMap: number[] = [];
  lines.forEach((l, i) => {
    if (!isMarkerLine(l.replace(/\r$/, ''))) {
      kept.push(l);
      lineMap.push(i);
    }
  });
  return { linted: kept.join('\n'), lineMap };
}

/** Copies `files` (rel → text) into a fresh temp dir and audits it. */
export function lintTexts(files: Map<string, string>): Map<string, FileResult> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-fx-'));
  try {
    for (const [rel, text] of files) {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), text);
    }
    // Fixtures see a fixed date so date-dependent findings do not drift.
    const engine = new Engine({ now: FIXTURE_DATE });
    const out = new Map<string, FileResult>();
    for (const r of audit(engine, [tmp])) out.set(path.relative(tmp, r.file), r);
    return out;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function lintFixtureDir(dir: string): LintedFile[] {
  const texts = new Map<string, string>();
  const meta = new Map<string, { original: string; lineMap: number[] }>();
  for (const rel of listDir(dir).filter(isFixtureSource)) {
    const original = fs.readFileSync(path.join(dir, rel), 'utf8');
    const { linted, lineMap } = stripWithMap(original);
    texts.set(rel, linted);
    meta.set(rel, { original, lineMap });
  }
  const results = lintTexts(texts);
  return [...texts.keys()].map((rel) => ({
    rel,
    original: meta.get(rel)!.original,
    linted: texts.get(rel)!,
    lineMap: meta.get(rel)!.lineMap,
    result: results.get(rel) ?? { file: rel, kind: 'none', findings: [], problems: [], dependsOn: [] },
  }));
}

/**
 * Applies the preferred fix of every finding, re-linting between passes until none is left to
 * apply (fixes that touch the same place wait for the next pass). Returns the changed texts.
 */
export function applyPreferredFixes(files: LintedFile[]): Map<string, string> {
  const texts = new Map(files.map((f) => [f.rel, f.linted]));
  let results = new Map(files.map((f) => [f.rel, f.result]));
  const changed = new Set<string>();
  for (let pass = 0; pass < 10; pass++) {
    const fixes: { edits: FileEdit[] }[] = [];
    for (const [rel, r] of results) {
      const root = r.file.slice(0, r.file.length - rel.length);
      for (const finding of r.findings) {
        const fix = finding.fixes[0];
        if (fix) fixes.push({ edits: fix.edits.map((e) => ({ ...e, file: e.file.startsWith(root) ? e.file.slice(root.length) : e.file })) });
      }
    }
    const { perFile, applied } = selectFixes(fixes);
    if (!applied) break;
    for (const [rel, edits] of perFile) {
      if (!texts.has(rel)) continue;
      texts.set(rel, applyEdits(texts.get(rel)!, edits));
      changed.add(rel);
    }
    results = lintTexts(texts);
  }
  return new Map([...changed].map((rel) => [rel, texts.get(rel)!]));
}
