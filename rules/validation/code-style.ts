// How a module is written, so inserted code looks like its neighbours: indentation unit, quote
// character, semicolons, ESM or CommonJS, TypeScript or JavaScript. Read from the syntax tree;
// ties and empty files fall back to two spaces, single quotes and semicolons.
import ts from 'typescript';
import { memo, type HandlerModel } from '../handler/model';

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

function readStyle(model: HandlerModel): CodeStyle {
  const sf = model.sf;
  let single = 0, double = 0, withSemi = 0, withoutSemi = 0, esmSyntax = 0, cjsSyntax = 0;
  // A sample from the top of the file is enough to read its habits (imports and requires come
  // first): nodes in source order, up to a budget that keeps this cheap on large files.
  const stack: ts.Node[] = [sf];
  let budget = STYLE_SAMPLE_NODES;
  while (stack.length && budget-- > 0) {
    const n = stack.pop()!;
    if (ts.isStringLiteral(n)) {
      const c = model.text[n.getStart(sf)];
      if (c === "'") single++;
      else if (c === '"') double++;
    } else if (ts.isVariableStatement(n) || ts.isExpressionStatement(n) || ts.isReturnStatement(n) || ts.isImportDeclaration(n) || ts.isThrowStatement(n)) {
      if (model.text[n.end - 1] === ';') withSemi++;
      else withoutSemi++;
    }
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n) || ts.isExportAssignment(n)) esmSyntax++;
    // Most nodes have no modifiers: asking getModifiers computes and caches flags on every node.
    else if ((n as { modifiers?: unknown }).modifiers && ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) esmSyntax++;
    else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'require') cjsSyntax++;
    else if (ts.isIdentifier(n) && (n.text === 'exports' || n.text === 'module') && ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n) cjsSyntax++;
    const children: ts.Node[] = [];
    ts.forEachChild(n, (c) => { children.push(c); });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  const ext = /\.([cm]?)([jt])sx?$/.exec(model.uri);
  const esm = ext?.[1] === 'm' ? true : ext?.[1] === 'c' ? false : esmSyntax > 0 || cjsSyntax === 0;
  return {
    unit: indentUnit(model.text),
    quote: double > single ? '"' : "'",
    semi: withSemi >= withoutSemi,
    esm,
    typescript: ext?.[2] === 't',
    eol: model.text.includes('\r\n') ? '\r\n' : '\n',
  };
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
