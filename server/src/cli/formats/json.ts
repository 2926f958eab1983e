// The machine format. Its shape is a contract: `version` changes whenever a field is removed or
// changes meaning (new fields may be added without a bump). Lines and columns are 1-based,
// columns count UTF-16 code units, and `end` is exclusive. Paths are relative to the working
// directory with `/` separators (absolute when outside it). Rule `data` is deliberately not
// included: it can carry raw values the message masks.
import type { Severity } from '../../../../rules/api';
import type { Range } from '../../engine/engine';
import { asPath, portablePath } from '../paths';
import type { Report } from '../report';
import { TOOL_NAME, TOOL_VERSION } from '../version';

export const JSON_FORMAT_VERSION = 1;

export interface JsonPosition { line: number; column: number }
export interface JsonRange { start: JsonPosition; end: JsonPosition }

export interface JsonReport {
  /** Version of this shape. */
  version: typeof JSON_FORMAT_VERSION;
  tool: { name: string; version: string };
  /** Every file read, in the order they were linted. */
  files: JsonFile[];
  /** Every finding, grouped by file in `files` order, then by position. */
  findings: JsonFinding[];
  summary: JsonSummary;
}

export interface JsonFile {
  file: string;
  /** template | handler | dotenv | none */
  kind: string;
  findings: number;
  /** Why the file was not analysed (too large, binary, unreadable). */
  skipped?: string;
  /** Parse problems: the file was analysed as far as it could be parsed. */
  problems: { severity: 'error' | 'warning' | 'info'; message: string; range: JsonRange }[];
}

export interface JsonFinding {
  file: string;
  ruleId: string;
  severity: Severity;
  message: string;
  /** The rule's message id (stable, for tools that match on the kind of finding). */
  messageId: string;
  range: JsonRange;
  /** Fixes the editor offers, preferred first. */
  fixes: { title: string; kind: 'safe' | 'suggestion' }[];
  /** Other places that explain the finding (possibly in other files). */
  related: { file: string; message: string; range: JsonRange }[];
  /** Stable identity of the finding across runs (rule, file, line text, occurrence). */
  fingerprint: string;
  /** Link to the rule's documentation. */
  docs: string;
}

export interface JsonSummary {
  files: number;
  skipped: number;
  findings: number;
  error: number;
  warning: number;
  info: number;
  fixable: number;
  problems: number;
}

export function toJsonReport(report: Report, docsUrl: (ruleId: string) => string): JsonReport {
  const rel = (file: string) => portablePath(asPath(file), report.cwd);
  const n = report.counts;
  return {
    version: JSON_FORMAT_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    files: report.files.map((f): JsonFile => ({
      file: rel(f.file),
      kind: f.kind,
      findings: f.findings.length,
      ...(f.skipped ? { skipped: f.skipped } : {}),
      problems: f.problems.map((p) => ({ severity: p.severity, message: p.message, range: oneBased(p.range) })),
    })),
    findings: report.files.flatMap((f) => f.findings.map((x): JsonFinding => ({
      file: rel(f.file),
      ruleId: x.ruleId,
      severity: x.severity,
      message: x.message,
      messageId: x.messageId,
      range: oneBased(x.range),
      fixes: x.fixes.map((fx) => ({ title: fx.title, kind: fx.kind })),
      related: x.related.map((r) => ({ file: rel(r.uri), message: r.message, range: oneBased(r.range) })),
      fingerprint: x.fingerprint,
      docs: docsUrl(x.ruleId),
    }))),
    summary: {
      files: n.files, skipped: n.skipped, findings: n.error + n.warning + n.info,
      error: n.error, warning: n.warning, info: n.info, fixable: n.fixable, problems: n.problems,
    },
  };
}

export function formatJson(report: Report, docsUrl: (ruleId: string) => string): string {
  return JSON.stringify(toJsonReport(report, docsUrl), null, 2) + '\n';
}

function oneBased(r: Range): JsonRange {
  return {
    start: { line: r.start.line + 1, column: r.start.character + 1 },
    end: { line: r.end.line + 1, column: r.end.character + 1 },
  };
}
