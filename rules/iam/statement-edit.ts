// Rewrites one IAM statement into several (one per resource set), in the document's own layout:
// a block YAML list item or a JSON object. Statements with other keys (Condition, Principal…) are
// left alone: splitting them would mean copying conditions we do not understand.
import type { TextEdit } from '../api';
import type { StatementModel, TemplateModel } from '../template/model';
import { keyName, pairs, spanOf, isMap } from '../template/yaml';
import { visit } from 'yaml';
import { indentStep } from '../template/edit';
import { renderArn, type ArnExpr, type ArnStyle } from '../aws/arns';

export interface NewStatement {
  actions: string[];
  /** ARNs, or the statement's current Resource items (as source text) when `keep` is set. */
  arns: ArnExpr[];
  keep?: boolean;
}

/** Statements we can rewrite: Effect, Action, Resource and an optional Sid, nothing else. */
export function canSplit(t: TemplateModel, st: StatementModel): boolean {
  if (!isMap(st.node)) return false;
  const keys = pairs(st.node, t.doc).map(keyName);
  return keys.every((k) => k === 'Effect' || k === 'Action' || k === 'Resource' || k === 'Sid') && st.resourceKey === 'Resource' && st.actionKey === 'Action';
}

/** How ARNs are written in this template. */
export function arnStyle(t: TemplateModel): ArnStyle {
  if (isJson(t)) return 'json';
  if (t.kind !== 'serverless') return 'yaml-short';
  // Serverless files may use CloudFormation short tags; follow the file's habit.
  let short = false;
  visit(t.doc, { Node: (_k, n) => { if ((n as { tag?: string }).tag?.startsWith('!')) { short = true; return visit.BREAK; } return undefined; } });
  return short ? 'yaml-short' : 'yaml-long';
}

function isJson(t: TemplateModel): boolean {
  return /\.json$/i.test(t.uri) || t.text.trimStart().startsWith('{');
}

/** The edit that replaces `st` by `statements`, or undefined when the layout is not one we write. */
export function splitStatementEdit(t: TemplateModel, st: StatementModel, statements: NewStatement[]): TextEdit | undefined {
  if (!statements.length || !canSplit(t, st)) return undefined;
  const text = t.text;
  const style = arnStyle(t);
  const lineStart = text.lastIndexOf('\n', st.span.start - 1) + 1;
  const prefix = text.slice(lineStart, st.span.start);
  const current = st.resources.map((r) => text.slice(r.span.start, r.span.end));
  if (current.some((c) => c.includes('\n'))) return undefined;
  const sidNode = pairs(st.node, t.doc).find((p) => keyName(p) === 'Sid')?.value;
  const sidSpan = sidNode && spanOf(sidNode);
  const sid = sidSpan ? text.slice(sidSpan.start, sidSpan.end) : undefined;
  if (sid?.includes('\n')) return undefined;
  const resources = (s: NewStatement) => (s.keep ? current : s.arns.map((a) => renderArn(a, style)));
  if (style === 'json') {
    if (text[st.span.start] !== '{') return undefined;
    const indent = /^\s*/.exec(prefix)![0];
    const inner = indent + ' '.repeat(indentStep(text));
    const list = (xs: string[]) => (xs.length === 1 ? xs[0] : `[${xs.join(', ')}]`);
    const one = (s: NewStatement, i: number) => [
      '{',
      ...(i === 0 && sid !== undefined ? [`${inner}"Sid": ${sid},`] : []),
      `${inner}"Effect": "Allow",`,
      `${inner}"Action": ${list(s.actions.map((a) => JSON.stringify(a)))},`,
      `${inner}"Resource": ${list(resources(s))}`,
      `${indent}}`,
    ].join('\n');
    return { start: st.span.start, end: st.span.end, newText: statements.map(one).join(`,\n${indent}`) };
  }
  // Block YAML: `- Effect: Allow` with the keys aligned under the first one.
  if ((st.node as { flow?: boolean }).flow || !/^\s*-\s+$/.test(prefix)) return undefined;
  const keyIndent = ' '.repeat(prefix.length);
  const itemIndent = keyIndent + '  ';
  const q = (a: string) => `'${a}'`;
  const field = (key: string, values: string[]) => (values.length === 1 ? `${key}: ${values[0]}` : `${key}:\n${values.map((v) => `${itemIndent}- ${v}`).join('\n')}`);
  const one = (s: NewStatement, i: number) => [
    ...(i === 0 && sid !== undefined ? [`Sid: ${sid}`] : []),
    'Effect: Allow',
    field('Action', s.actions.map(q)),
    field('Resource', resources(s)),
  ].join(`\n${keyIndent}`);
  return { start: st.span.start, end: contentEnd(text, st.span.start, st.span.end), newText: statements.map(one).join(`\n${prefix}`) };
}

/**
 * A block map's range runs on to where the next item starts, over blank lines and comments
 * that belong to the next item; the edit stops at the statement's last character.
 */
function contentEnd(text: string, start: number, end: number): number {
  let e = end;
  for (;;) {
    while (e > start && /\s/.test(text[e - 1])) e--;
    const lineStart = text.lastIndexOf('\n', e - 1) + 1;
    if (lineStart <= start || !/^\s*#/.test(text.slice(lineStart, e))) return e;
    e = lineStart;
  }
}
