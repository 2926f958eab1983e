// Small syntax helpers shared by the interpreter.
import ts from 'typescript';
import type { Span } from '../api';
import { skipParens } from './modules';

export const spanOf = (n: ts.Node): Span => ({ start: n.getStart(), end: n.end });

export function isFunctionExpr(e: ts.Expression): e is ts.ArrowFunction | ts.FunctionExpression {
  const x = skipParens(e);
  return ts.isArrowFunction(x) || ts.isFunctionExpression(x);
}

/** The expression a node is an operand of, above parentheses and type assertions. */
export function skipOuterParens(n: ts.Node): ts.Node {
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n)) n = n.parent;
  return n;
}

/** Reading a variable or a property path (or a literal): no call, no assignment. */
export function isPlainRead(e: ts.Expression): boolean {
  e = skipParens(e);
  if (ts.isIdentifier(e) || ts.isLiteralExpression(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (ts.isPropertyAccessExpression(e)) return isPlainRead(e.expression);
  if (ts.isElementAccessExpression(e)) return isPlainRead(e.expression) && isPlainRead(e.argumentExpression);
  if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => !ts.isSpreadElement(x) && !ts.isOmittedExpression(x) && isPlainRead(x));
  return false;
}

export function calleeText(call: ts.CallExpression): string {
  const t = call.expression.getText();
  return t.length > 40 ? t.slice(0, 39) + '…' : t;
}
