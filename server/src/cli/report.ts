// The CLI's view of an audit: every file read, its findings (with a stable fingerprint), parse
// problems and skip reasons, plus the counts every format prints. Formats only render this.
import { createHash } from 'node:crypto';
import type { RuleMeta, Severity } from '../../../rules/api';
import { maskSecret } from '../../../rules/secrets/mask';
import type { FileResult, LocatedFinding, Problem } from '../engine/engine';
import type { RuleSetting } from '../engine/config';
import { portablePath } from './paths';

export interface ReportFinding extends LocatedFinding {
  /** Stable across runs and line moves: hash of rule id, file and the trimmed line text, plus an occurrence index. */
  fingerprint: string;
}

export interface ReportFile {
  /** Absolute path. */
  file: string;
  kind: string;
  findings: ReportFinding[];
  problems: Problem[];
  skipped?: string;
}

export interface Counts {
  error: number;
  warning: number;
  info: number;
  /** Findings with at least one fix. */
  fixable: number;
  /** Parse problems (and rule failures) reported by the engine. */
  problems: number;
  /** Files read (skipped ones included). */
  files: number;
  skipped: number;
}

export interface Report {
  cwd: string;
  files: ReportFile[];
  counts: Counts;
  /** Every registered rule, in registry order (SARIF rule indices refer to it). */
  rules: readonly RuleMeta[];
  /** Effective per-rule settings from config and --rule. */
  ruleSettings: Record<string, RuleSetting>;
}

export interface BuildOptions {
  cwd: string;
  rules: readonly RuleMeta[];
  ruleSettings: Record<string, RuleSetting>;
  /** Report errors only. */
  quiet: boolean;
  /** The text of a 0-based line of a file, for fingerprints (never printed). */
  lineText(file: string, line: number): string | undefined;
}

export function buildReport(results: Iterable<FileResult>, opts: BuildOptions): Report {
  const counts: Counts = { error: 0, warning: 0, info: 0, fixable: 0, problems: 0, files: 0, skipped: 0 };
  const files: ReportFile[] = [];
  for (const r of results) {
    counts.files++;
    if (r.skipped) counts.skipped++;
    const keep = (s: Severity) => !opts.quiet || s === 'error';
    const seen = new Map<string, number>();
    const findings = r.findings.filter((f) => keep(f.severity)).map((f): ReportFinding => {
      const hash = lineHash(f.ruleId, portablePath(r.file, opts.cwd), opts.lineText(r.file, f.range.start.line) ?? '');
      const n = (seen.get(hash) ?? 0) + 1;
      seen.set(hash, n);
      return { ...f, fingerprint: `${hash}:${n}` };
    });
    const problems = r.problems.filter((p) => keep(p.severity)).map((p) => ({ ...p, message: safeProblemMessage(p.message) }));
    for (const f of findings) {
      counts[f.severity]++;
      if (f.fixes.length > 0) counts.fixable++;
    }
    counts.problems += problems.length;
    files.push({ file: r.file, kind: r.kind, findings, problems, skipped: r.skipped });
  }
  return { cwd: opts.cwd, files, counts, rules: opts.rules, ruleSettings: opts.ruleSettings };
}

export function allFindings(report: Report): ReportFinding[] {
  return report.files.flatMap((f) => f.findings);
}

function lineHash(ruleId: string, file: string, line: string): string {
  return createHash('sha256').update(`${ruleId}\0${file}\0${line.trim()}`).digest('hex').slice(0, 32);
}

/**
 * Parser messages are not written by our rules, so they are not pre-masked: keep the first line
 * (later lines can quote source) and mask long quoted tokens, which is where a key would appear.
 */
export function safeProblemMessage(message: string): string {
  const first = message.split(/\r?\n/)[0];
  return first.replace(/(['"`])([^'"`\s]{16,})\1/g, (_m, q: string, token: string) => `${q}${maskSecret(token)}${q}`);
}

export function plural(n: number, word: string, many = word + 's'): string {
  return `${n} ${n === 1 ? word : many}`;
}
