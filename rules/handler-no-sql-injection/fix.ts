// The suggested fix: `pool.query(`SELECT … WHERE id = ${id}`)` →
// `pool.query(`SELECT … WHERE id = $1`, [id])` (pg), `?` placeholders for mysql and knex.
// Offered only when it is exact: the call has no values yet, the SQL is a template literal or a
// concatenation written in the call (or in a const used only there), every interpolation is a
// plain variable or property read in a value position (after `=`, `<`, `LIKE`, inside `VALUES (…)`
// or `IN (…)`), possibly wrapped in single quotes that the placeholder replaces. Input in an
// identifier position (a table or column name), inside a larger quoted string (`'%${q}%'`) or in
// a fragment of SQL cannot be a parameter: no fix, the message says what to do.
import { stringPieces, type Piece } from '../taint/string-pieces';
import ts from 'typescript';
import type { Fix, TextEdit } from '../api';
import { skipParens } from '../taint/modules';
import { declarationOf } from '../taint/scope';

type Dialect = 'pg' | 'mysql' | 'knex' | 'other';


export function parameterizeFix(call: ts.CallExpression, dialect: Dialect): Fix | undefined {
  if (dialect === 'other') return undefined;
  const [arg, second, ...more] = call.arguments;
  if (!arg || more.length) return undefined;
  // A values argument exists already (anything but a node-style callback).
  if (second && !ts.isArrowFunction(skipParens(second)) && !ts.isFunctionExpression(skipParens(second))) return undefined;
  const target = sqlExpression(arg, call);
  if (!target) return undefined;
  const pieces = stringPieces(target.expr);
  if (!pieces) return undefined;
  const built = buildSql(pieces, dialect);
  if (!built) return undefined;
  const sf = call.getSourceFile();
  const quote = ts.isTemplateExpression(skipParens(target.expr)) || ts.isNoSubstitutionTemplateLiteral(skipParens(target.expr)) ? '`' : firstQuote(target.expr, sf);
  const values = `[${built.values.map((v) => v.getText(sf)).join(', ')}]`;
  const edits: TextEdit[] = [
    { start: target.expr.getStart(sf), end: target.expr.end, newText: jsString(built.sql, quote) },
    { start: arg.end, end: arg.end, newText: `, ${values}` },
  ];
  const names = built.values.map((v) => `\`${short(v.getText(sf))}\``).join(', ');
  const marks = dialect === 'pg' ? built.values.map((_, i) => `$${i + 1}`).join(', ') : '?';
  return { title: `Pass ${names} as query parameter${built.values.length > 1 ? 's' : ''} (${marks})`, kind: 'suggestion', edits };
}

/** The SQL expression to rewrite: the argument itself, or the const it names when used only here. */
function sqlExpression(arg: ts.Expression, call: ts.CallExpression): { expr: ts.Expression } | undefined {
  const a = skipParens(arg);
  if (!ts.isIdentifier(a)) return { expr: arg };
  const decl = declarationOf(a);
  const vd = decl?.parent;
  if (!decl || !vd || !ts.isVariableDeclaration(vd) || vd.name !== decl || !vd.initializer || !(vd.parent.flags & ts.NodeFlags.Const)) return undefined;
  // Used only by this call (iterative walk of the declaring scope).
  const scope = vd.parent.parent.parent;
  let uses = 0;
  const stack: ts.Node[] = [scope];
  while (stack.length) {
    const n = stack.pop()!;
    if (ts.isIdentifier(n) && n !== decl && n.text === decl.text && declarationOf(n) === decl) uses++;
    ts.forEachChild(n, (c) => { stack.push(c); });
  }
  return uses === 1 && vd.end <= call.pos ? { expr: vd.initializer } : undefined;
}

/** A plain read: `id`, `body.user.id`, `params['id']`, `event.pathParameters?.id`. */
function isSimple(e: ts.Expression): boolean {
  for (let x = skipParens(e), i = 0; i < 12; i++) {
    if (ts.isIdentifier(x)) return true;
    if (ts.isPropertyAccessExpression(x)) { x = skipParens(x.expression); continue; }
    if (ts.isElementAccessExpression(x) && (ts.isStringLiteralLike(x.argumentExpression) || ts.isNumericLiteral(x.argumentExpression))) { x = skipParens(x.expression); continue; }
    return false;
  }
  return false;
}

/** A value may stand here: after a comparison, LIKE, or inside `VALUES (…)`/`IN (…)`. */
const VALUE_BEFORE = /(?:=|<>|!=|<|>|\blike|\bilike)\s*$/i;
const LIST_OPEN = /\b(?:values|in)\s*\(\s*$/i;

function buildSql(pieces: Piece[], dialect: Dialect): { sql: string; values: ts.Expression[] } | undefined {
  // Merge adjacent text pieces.
  const merged: Piece[] = [];
  for (const p of pieces) {
    const last = merged[merged.length - 1];
    if ('text' in p && last && 'text' in last) merged[merged.length - 1] = { text: last.text + p.text };
    else merged.push(p);
  }
  let sql = '';
  const values: ts.Expression[] = [];
  const texts = merged.map((p) => ('text' in p ? p.text : undefined));
  let dropQuote = false;
  for (let i = 0; i < merged.length; i++) {
    const p = merged[i];
    if ('text' in p) {
      // The closing quote of a quoted value the placeholder replaced.
      sql += dropQuote ? p.text.slice(1) : p.text;
      dropQuote = false;
      continue;
    }
    if (!isSimple(p.expr)) return undefined;
    const after = texts[i + 1] ?? '';
    let before = sql;
    const quoted = strippedQuote(before, after);
    if (quoted) before = before.slice(0, -1);
    else if (/['"`]$/.test(before) || /^['"`]/.test(after)) return undefined;
    // Inside a string literal of the SQL (`'%${q}%'`): not a whole value.
    if (openQuote(before)) return undefined;
    const rest = quoted ? after.slice(1) : after;
    if (!/^(\s|\)|,|;|$)/.test(rest)) return undefined;
    const inList = LIST_OPEN.test(before) || (/,\s*$/.test(before) && inValueList(before));
    if (!VALUE_BEFORE.test(before) && !inList && !(dialect === 'pg' && /\b(limit|offset)\s*$/i.test(before))) return undefined;
    values.push(p.expr);
    sql = before + (dialect === 'pg' ? `$${values.length}` : '?');
    dropQuote = quoted;
  }
  if (!values.length) return undefined;
  // Placeholders already in the text would be renumbered or shifted: leave it to the author.
  const original = merged.map((p) => ('text' in p ? p.text : '')).join('');
  if (dialect === 'pg' ? /\$\d/.test(original) : original.includes('?')) return undefined;
  return { sql, values };
}

function strippedQuote(before: string, after: string): boolean {
  return before.endsWith("'") && after.startsWith("'") && !before.endsWith("''") && openQuote(before);
}

/** An odd number of single quotes: the text ends inside a string literal. */
function openQuote(text: string): boolean {
  return ((text.match(/'/g) ?? []).length % 2) === 1;
}

/** The innermost open parenthesis is a `VALUES (` or `IN (` list. */
function inValueList(text: string): boolean {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ')') depth++;
    else if (c === '(') {
      if (depth === 0) return LIST_OPEN.test(text.slice(0, i + 1));
      depth--;
    }
  }
  return false;
}

function firstQuote(e: ts.Expression, sf: ts.SourceFile): string {
  let x = skipParens(e);
  while (ts.isBinaryExpression(x)) x = skipParens(x.left);
  const q = x.getText(sf)[0];
  return q === '"' || q === "'" ? q : "'";
}

function jsString(text: string, quote: string): string {
  let body = text.replace(/\\/g, '\\\\').replace(/\r/g, '\\r');
  if (quote === '`') body = body.replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  else body = body.replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n');
  return `${quote}${body}${quote}`;
}

function short(t: string): string {
  return t.length > 30 ? t.slice(0, 29) + '…' : t;
}
