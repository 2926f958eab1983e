// Code actions for the findings under the cursor: the rule's fixes (the first one preferred),
// "ignore on this line" (a suppression comment with a reason to fill in), "open documentation";
// and, as a source action, "fix all safe problems in this file".
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyPath, type LocatedEdit, type LocatedFinding } from '../engine/index';
import { findingToDiagnostic, isDiagnosticData, SOURCE } from './diagnostics';
import { CODE_ACTION_FIX_ALL_KIND, SERVER_COMMANDS } from './protocol';
import type { LintEntry } from './liveLint';

export const FIX_ALL_TITLE = 'Fix all safe faaslint problems in this file';

export interface CodeActionContextInput {
  params: CodeActionParams;
  doc: TextDocument;
  entry: LintEntry;
  toUri: (file: string) => string;
  /** Version of an open buffer, null for a file only on disk. */
  versionOf: (uri: string) => number | null;
  documentChanges: boolean;
  relatedInformation: boolean;
}

export function codeActions(input: CodeActionContextInput): CodeAction[] {
  const { params, doc, entry } = input;
  const only = Array.isArray(params.context?.only) ? params.context.only : undefined;
  const wanted = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
  const contextDiags = (Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : []).filter((d) => d?.source === SOURCE);
  const diagnosticFor = (f: LocatedFinding): Diagnostic | undefined => contextDiags.find((d) => matches(d, f, entry.version));
  const toDiagnostic = (f: LocatedFinding) => findingToDiagnostic(f, { toUri: input.toUri, version: entry.version, relatedInformation: input.relatedInformation });

  const actions: CodeAction[] = [];
  if (wanted(CodeActionKind.QuickFix)) {
    const candidates = entry.result.findings.filter((f) => intersects(f.range, params.range) || diagnosticFor(f));
    const ignores: CodeAction[] = [];
    const docs = new Map<string, CodeAction>();
    const ignored = new Set<string>();
    const comment = commentPrefix(entry.file);
    for (const f of candidates) {
      const diagnostic = diagnosticFor(f) ?? toDiagnostic(f);
      f.fixes.forEach((fix, i) => {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: i === 0,
          edit: workspaceEdit(fix.edits, input),
        });
      });
      const line = f.range.start.line;
      if (comment && !ignored.has(`${f.ruleId}:${line}`)) {
        ignored.add(`${f.ruleId}:${line}`);
        ignores.push({
          title: `Ignore ${f.ruleId} on this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: workspaceEdit([ignoreEdit(doc, line, f.ruleId, comment, entry.file)], input),
        });
      }
      if (!docs.has(f.ruleId)) {
        docs.set(f.ruleId, {
          title: `Open documentation for ${f.ruleId}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: `Open documentation for ${f.ruleId}`, command: SERVER_COMMANDS.openRuleDocs, arguments: [f.ruleId] },
        });
      }
    }
    actions.push(...ignores, ...docs.values());
  }
  if (wanted(CODE_ACTION_FIX_ALL_KIND)) {
    const edits = safeFixesOfFile(entry.result.findings, entry.file);
    if (edits.length > 0) {
      actions.push({ title: FIX_ALL_TITLE, kind: CODE_ACTION_FIX_ALL_KIND, edit: workspaceEdit(edits, input) });
    }
  }
  return actions;
}

/** The first safe fix of each finding, if it stays in this file and overlaps no fix taken before. */
export function safeFixesOfFile(findings: readonly LocatedFinding[], file: string): LocatedEdit[] {
  const taken: LocatedEdit[] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.kind === 'safe');
    if (!fix || fix.edits.length === 0 || fix.edits.some((e) => e.file !== file)) continue;
    if (fix.edits.some((e) => taken.some((t) => conflicts(e, t)))) continue;
    taken.push(...fix.edits);
  }
  return taken;
}

function conflicts(a: LocatedEdit, b: LocatedEdit): boolean {
  // Two insertions at one offset have no defined order, so they conflict too.
  return a.start === b.start || (a.start < b.end && b.start < a.end);
}

function commentPrefix(file: string): string | undefined {
  switch (classifyPath(file)) {
    case 'yaml':
    case 'dotenv':
      return '#';
    case 'handler':
      return '//';
    default:
      return undefined; // JSON has no comments (templates use Metadata.faaslint.ignore)
  }
}

/** `<indent># faaslint-ignore <rule> -- reason` on its own line above the finding. */
export function ignoreEdit(doc: TextDocument, line: number, ruleId: string, comment: string, file: string): LocatedEdit {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(text)![0];
  const eol = doc.getText().includes('\r\n') ? '\r\n' : '\n';
  const at = { line, character: 0 };
  const offset = doc.offsetAt(at);
  return { file, start: offset, end: offset, range: { start: at, end: at }, newText: `${indent}${comment} faaslint-ignore ${ruleId} -- reason${eol}` };
}

function workspaceEdit(edits: readonly LocatedEdit[], input: CodeActionContextInput): WorkspaceEdit {
  const byUri = new Map<string, TextEdit[]>();
  for (const e of edits) {
    const uri = input.toUri(e.file);
    let list = byUri.get(uri);
    if (!list) byUri.set(uri, (list = []));
    list.push({ range: e.range, newText: e.newText });
  }
  if (input.documentChanges) {
    return {
      documentChanges: [...byUri].map(([uri, list]) => ({ textDocument: { uri, version: input.versionOf(uri) }, edits: list })),
    };
  }
  return { changes: Object.fromEntries(byUri) };
}

function matches(d: Diagnostic, f: LocatedFinding, version: number | null): boolean {
  if (d.code !== f.ruleId) return false;
  // Same version: the offsets in `data` identify the finding exactly; otherwise compare ranges.
  if (isDiagnosticData(d.data) && d.data.version === version) return d.data.start === f.start && d.data.end === f.end;
  return sameRange(d.range, f.range);
}

function sameRange(a: Range | undefined, b: Range): boolean {
  return !!a && a.start?.line === b.start.line && a.start?.character === b.start.character && a.end?.line === b.end.line && a.end?.character === b.end.character;
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Closed ranges touch or overlap (a cursor at either end of a finding counts). */
function intersects(a: Range, b: Range | undefined): boolean {
  if (!b?.start || !b?.end) return false;
  return !before(a.end, b.start) && !before(b.end, a.start);
}
