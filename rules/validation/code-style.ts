// How a module is written, so inserted code looks like its neighbours: indentation unit, quote
// character, semicolons, ESM or CommonJS, TypeScript or JavaScript. Read from the syntax tree;
// ties and empty files fall back to two spaces, single quotes and semicolons.
import ts from 'typescript';
import { memo, type HandlerModel } from '../handler/model';
import { preOrder } from '../handler/syntax-index';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  isCallExpression,
  isExportAssignment,
  isExportDeclaration,
  isExpressionStatement,
  isIdentifier,
  isImportDeclaration,
  isPropertyAccessExpression,
  isReturnStatement,
  isStringLiteral,
  isThrowStatement,
  isVariableStatement,
  SyntaxKind,
} = ts;

export interface CodeStyle {
  /** One level of indentation: '\t' or n spaces. */
  unit: string;
  quote: "'" | '"';
  semi: boolean;
  esm: boolean;
  typescript: boolean;
  eol: '\n' | '\r\n';
}

/** The module's style, read once per file version (every guard fix of every rule asks). */
export function codeStyle(model: HandlerModel): CodeStyle {
  return memo(model, 'codeStyle', () => Object.freeze(readStyle(model)));
}

const STYLE_SAMPLE_NODES = 3_000;

/** What one top-level statement shows of the module's habits. */
interface Counts { single: number; double: number; withSemi: number; withoutSemi: number; esm: number; cjs: number; nodes: number }

/**
 * Per top-level statement, read from its own subtree only (node positions are not kept), so an
 * incremental parse's untouched statements keep theirs and an edit re-reads one statement.
 */
const counted = new WeakMap<ts.Statement, Counts>();

function readStyle(model: HandlerModel): CodeStyle {
  const sf = model.sf;
  // A sample from the top of the file is enough to read its habits (imports and requires come
  // first): whole statements in source order, up to a node budget that keeps this cheap on large
  // files.
  const total: Counts = { single: 0, double: 0, withSemi: 0, withoutSemi: 0, esm: 0, cjs: 0, nodes: 0 };
  for (const st of sf.statements) {
    if (total.nodes >= STYLE_SAMPLE_NODES) break;
    let c = counted.get(st);
    if (!c) {
      const r = countStatement(st, sf, STYLE_SAMPLE_NODES - total.nodes);
      c = r.counts;
      if (r.complete) counted.set(st, c);
    }
    for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += c[k];
  }
  const ext = /\.([cm]?)([jt])sx?$/.exec(model.uri);
  const esm = ext?.[1] === 'm' ? true : ext?.[1] === 'c' ? false : total.esm > 0 || total.cjs === 0;
  return {
    unit: indentUnit(model.text),
    quote: total.double > total.single ? '"' : "'",
    semi: total.withSemi >= total.withoutSemi,
    esm,
    typescript: ext?.[2] === 't',
    eol: model.text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/**
 * Nodes of one statement in source order, up to `budget`. A statement cut short by the budget is
 * counted again from scratch next time rather than kept (its counts depend on the budget).
 */
function countStatement(st: ts.Statement, sf: ts.SourceFile, budget: number): { counts: Counts; complete: boolean } {
  const c: Counts = { single: 0, double: 0, withSemi: 0, withoutSemi: 0, esm: 0, cjs: 0, nodes: 0 };
  const text = sf.text;
  const complete = preOrder(st, (n) => {
    if (c.nodes >= budget) return false;
    c.nodes++;
    if (isStringLiteral(n)) {
      const q = text[n.getStart(sf)];
      if (q === "'") c.single++;
      else if (q === '"') c.double++;
    } else if (isVariableStatement(n) || isExpressionStatement(n) || isReturnStatement(n) || isImportDeclaration(n) || isThrowStatement(n)) {
      if (text[n.end - 1] === ';') c.withSemi++;
      else c.withoutSemi++;
    }
    if (isImportDeclaration(n) || isExportDeclaration(n) || isExportAssignment(n)) c.esm++;
    // Most nodes have no modifiers: asking getModifiers computes and caches flags on every node.
    else if ((n as { modifiers?: unknown }).modifiers && ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === SyntaxKind.ExportKeyword)) c.esm++;
    else if (isCallExpression(n) && isIdentifier(n.expression) && n.expression.text === 'require') c.cjs++;
    else if (isIdentifier(n) && (n.text === 'exports' || n.text === 'module') && isPropertyAccessExpression(n.parent) && n.parent.expression === n) c.cjs++;
  });
  return { counts: c, complete };
}

/** The smallest indentation step the file uses. */
function indentUnit(text: string): string {
  let min = Infinity;
  for (const m of text.matchAll(/^([ \t]+)\S/gm)) {
    const ws = m[1];
    if (ws.startsWith('\t')) return '\t';
    // ` * ` lines of block comments are not indentation.
    if (text[m.index + ws.length] === '*') continue;
    if (ws.length >= 2 && ws.length < min) min = ws.length;
  }
  return ' '.repeat(Number.isFinite(min) && min <= 8 ? min : 2);
}

/** The leading whitespace of the line that holds `pos`. */
export function lineIndent(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, pos))![0];
}
