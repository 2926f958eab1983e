// What the docs should be (a map of files to contents) and how the tree differs from it.
import fs from 'node:fs';
import path from 'node:path';
import type { RuleMeta } from '../../rules/api';
import { collectExamples } from './examples';
import { renderConfigSchema, SCHEMA_PATH } from './schema';
import { renderSdkCoverage, SDK_COVERAGE_PATH } from './sdk-coverage';
import { GENERATED_MARK, README_END, README_START, renderIndex, renderReadmeTable, renderRulePage, replaceReadmeTable } from './render';

export const DOCS_DIR = 'docs/rules';

export interface DocsPlan {
  /** Path relative to the root (with `/`) → expected content. */
  files: Map<string, string>;
  /** Generated pages on disk that no rule produces any more. */
  remove: string[];
  /** Problems that stop the README from being updated. */
  errors: string[];
  /** Worth saying, not failing for. */
  warnings: string[];
}

export function planDocs(root: string, metas: readonly RuleMeta[]): DocsPlan {
  const files = new Map<string, string>();
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const meta of metas) {
    const ruleDir = path.join(root, 'rules', meta.id);
    const docsFile = path.join(ruleDir, 'docs.md');
    const docsMd = fs.existsSync(docsFile) ? fs.readFileSync(docsFile, 'utf8') : undefined;
    if (docsMd === undefined) warnings.push(`rules/${meta.id}/docs.md is missing: the page says so`);
    const examples = collectExamples(path.join(ruleDir, 'fixtures'), meta);
    files.set(`${DOCS_DIR}/${meta.id}.md`, renderRulePage(meta, docsMd, examples));
  }
  files.set(`${DOCS_DIR}/README.md`, renderIndex(metas));
  files.set(SCHEMA_PATH, renderConfigSchema(metas));
  files.set(SDK_COVERAGE_PATH, renderSdkCoverage());

  const readmePath = path.join(root, 'README.md');
  if (!fs.existsSync(readmePath)) {
    errors.push(`README.md not found: cannot update the rules table`);
  } else {
    const readme = fs.readFileSync(readmePath, 'utf8');
    const next = replaceReadmeTable(readme, renderReadmeTable(metas));
    if (next === undefined) errors.push(`README.md lacks the ${README_START} … ${README_END} markers (in that order): cannot update the rules table`);
    else files.set('README.md', next);
  }

  const remove: string[] = [];
  const docsDir = path.join(root, DOCS_DIR);
  if (fs.existsSync(docsDir)) {
    for (const name of fs.readdirSync(docsDir).sort()) {
      const rel = `${DOCS_DIR}/${name}`;
      if (!name.endsWith('.md') || files.has(rel)) continue;
      // Only pages we generated: a hand-written file in docs/rules/ is left alone.
      if (fs.readFileSync(path.join(docsDir, name), 'utf8').startsWith(GENERATED_MARK)) remove.push(rel);
    }
  }
  return { files, remove, errors, warnings };
}

/** Files whose content differs from the plan, or that should not exist. */
export function staleFiles(root: string, plan: DocsPlan): string[] {
  const stale: string[] = [];
  for (const [rel, content] of plan.files) {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) stale.push(`${rel} (missing)`);
    else if (fs.readFileSync(abs, 'utf8') !== content) stale.push(`${rel} (out of date)`);
  }
  for (const rel of plan.remove) stale.push(`${rel} (no such rule any more)`);
  return stale;
}

/** Writes changed files and removes obsolete pages; returns what changed. */
export function writeDocs(root: string, plan: DocsPlan): string[] {
  const changed: string[] = [];
  for (const [rel, content] of plan.files) {
    const abs = path.join(root, rel);
    if (fs.existsSync(abs) && fs.readFileSync(abs, 'utf8') === content) continue;
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
    changed.push(rel);
  }
  for (const rel of plan.remove) {
    fs.rmSync(path.join(root, rel));
    changed.push(`${rel} (removed)`);
  }
  return changed;
}
