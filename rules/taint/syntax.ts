// Small syntax helpers shared by the interpreter.
import ts from 'typescript';
import type { Span } from '../api';
import { skipParens } from './modules';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  isArrayLiteralExpression,
  isArrowFunction,
  isAsExpression,
  isElementAccessExpression,
  isFunctionExpression,
  isIdentifier,
  isLiteralExpression,
  isNonNullExpression,
  isOmittedExpression,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isSpreadElement,
  SyntaxKind,
} = ts;

export const spanOf = (n: ts.Node): Span => ({ start: n.getStart(), end: n.end });

export function isFunctionExpr(e: ts.Expression): e is ts.ArrowFunction | ts.FunctionExpression {
  const x = skipParens(e);
  return isArrowFunction(x) || isFunctionExpression(x);
}

/** The expression a node is an operand of, above parentheses and type assertions. */
export function skipOuterParens(n: ts.Node): ts.Node {
  while (isParenthesizedExpression(n) || isAsExpression(n) || isNonNullExpression(n)) n = n.parent;
  return n;
}

/** Reading a variable or a property path (or a literal): no call, no assignment. */
export function isPlainRead(e: ts.Expression): boolean {
  e = skipParens(e);
  if (isIdentifier(e) || isLiteralExpression(e) || e.kind === SyntaxKind.TrueKeyword || e.kind === SyntaxKind.FalseKeyword) return true;
  if (isPropertyAccessExpression(e)) return isPlainRead(e.expression);
  if (isElementAccessExpression(e)) return isPlainRead(e.expression) && isPlainRead(e.argumentExpression);
  if (isArrayLiteralExpression(e)) return e.elements.every((x) => !isSpreadElement(x) && !isOmittedExpression(x) && isPlainRead(x));
  return false;
}

export function calleeText(call: ts.CallExpression): string {
  const t = call.expression.getText();
  return t.length > 40 ? t.slice(0, 39) + '…' : t;
}
