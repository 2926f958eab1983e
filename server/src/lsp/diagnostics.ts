// Engine results → LSP diagnostics. Findings carry their rule id as `code` and a link to the rule's
// page; `data` identifies the finding (rule, offsets, document version) so a code action request
// can find its fixes again in the server's result for that version.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import type { FileResult, LocatedFinding, Problem } from '../engine/index';
import { docsUrl } from './protocol';

export const SOURCE = 'faaslint';

export interface DiagnosticData {
  ruleId: string;
  /** Offsets of the finding in the text it was computed from. */
  start: number;
  end: number;
  /** Document version the finding was computed for (null: the file on disk). */
  version: number | null;
  fixes: number;
}

export function isDiagnosticData(x: unknown): x is DiagnosticData {
  const d = x as DiagnosticData;
  return !!d && typeof d === 'object' && typeof d.ruleId === 'string' && typeof d.start === 'number' && typeof d.end === 'number';
}

export interface DiagnosticOptions {
  /** Maps an engine file id (absolute path) to the URI the client knows it by. */
  toUri: (file: string) => string;
  version: number | null;
  relatedInformation: boolean;
}

const SEVERITY: Record<string, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toSeverity(s: string): DiagnosticSeverity {
  return SEVERITY[s] ?? DiagnosticSeverity.Warning;
}

export function findingToDiagnostic(f: LocatedFinding, opts: DiagnosticOptions): Diagnostic {
  const data: DiagnosticData = { ruleId: f.ruleId, start: f.start, end: f.end, version: opts.version, fixes: f.fixes.length };
  const d: Diagnostic = {
    range: f.range,
    severity: toSeverity(f.severity),
    source: SOURCE,
    code: f.ruleId,
    codeDescription: { href: docsUrl(f.ruleId) },
    message: f.message,
    data,
  };
  if (opts.relatedInformation && f.related.length > 0) {
    d.relatedInformation = f.related.map((r): DiagnosticRelatedInformation => ({
      location: { uri: opts.toUri(r.uri), range: r.range },
      message: r.message,
    }));
  }
  return d;
}

export function problemToDiagnostic(p: Problem): Diagnostic {
  return { range: p.range, severity: toSeverity(p.severity), source: SOURCE, message: p.message };
}

export function skippedDiagnostic(reason: string): Diagnostic {
  const at = { line: 0, character: 0 };
  return {
    range: { start: at, end: at },
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    message: `faaslint did not analyse this file: ${reason}.`,
  };
}

export function resultToDiagnostics(result: FileResult, opts: DiagnosticOptions): Diagnostic[] {
  if (result.skipped) return [skippedDiagnostic(result.skipped)];
  return [...result.problems.map(problemToDiagnostic), ...result.findings.map((f) => findingToDiagnostic(f, opts))];
}
