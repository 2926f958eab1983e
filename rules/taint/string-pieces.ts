// A string built from a template literal or `'…' + x + '…'`, as constant text and interpolated
// expressions: what the exec and SQL fixes rewrite.
import ts from 'typescript';
import { skipParens } from './modules';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const { isBinaryExpression, isNoSubstitutionTemplateLiteral, isStringLiteral, isTemplateExpression, SyntaxKind } = ts;

export type Piece = { text: string } | { expr: ts.Expression };

const MAX_PIECES = 200;

/** The pieces of a string expression; undefined when it is not a string built from literals. */
export function stringPieces(e: ts.Expression): Piece[] | undefined {
  // Walk the left spine iteratively: generated code can concatenate thousands of terms.
  const rights: ts.Expression[] = [];
  e = skipParens(e);
  while (isBinaryExpression(e) && e.operatorToken.kind === SyntaxKind.PlusToken) {
    rights.push(e.right);
    e = skipParens(e.left);
  }
  if (rights.length > MAX_PIECES) return undefined;
  // Only a chain that starts with a string is string concatenation all the way.
  const out = literalPieces(e);
  if (!out) return undefined;
  for (const r of rights.reverse()) out.push(...(literalPieces(skipParens(r)) ?? [{ expr: r }]));
  return out;
}

function literalPieces(e: ts.Expression): Piece[] | undefined {
  if (isNoSubstitutionTemplateLiteral(e) || isStringLiteral(e)) return [{ text: e.text }];
  if (!isTemplateExpression(e)) return undefined;
  const out: Piece[] = [{ text: e.head.text }];
  for (const s of e.templateSpans) out.push({ expr: s.expression }, { text: s.literal.text });
  return out;
}
