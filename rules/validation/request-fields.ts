// Which request fields a Lambda HTTP handler reads, per part of the event: the JSON body's fields
// (`JSON.parse(event.body).name`, destructuring, a variable holding the parsed body, a body a
// middleware parsed), query string and path parameters. This is what a validation guard must
// check. Syntax only; aliases are followed a few levels deep, walks are iterative.
import ts from 'typescript';
import type { Entry } from '../taint/types';
import type { InputPart } from './input';
import { declarationOf } from '../taint/scope';
import { globalName } from '../taint/modules';
import { treeMap } from '../handler/tree-cache';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  forEachChild,
  isArrayBindingPattern,
  isAsExpression,
  isAwaitExpression,
  isBinaryExpression,
  isBindingElement,
  isCallExpression,
  isConditionalExpression,
  isElementAccessExpression,
  isForInStatement,
  isForOfStatement,
  isGetAccessor,
  isIdentifier,
  isIfStatement,
  isMethodDeclaration,
  isNonNullExpression,
  isObjectBindingPattern,
  isParenthesizedExpression,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isPropertyDeclaration,
  isPropertySignature,
  isSatisfiesExpression,
  isSetAccessor,
  isSpreadAssignment,
  isSpreadElement,
  isStringLiteralLike,
  isTypeAssertionExpression,
  isTypeOfExpression,
  isVariableDeclaration,
  SyntaxKind,
} = ts;

/** The event property each part is read from. */
export const PART_KEYS: Record<InputPart, string> = { body: 'body', query: 'queryStringParameters', path: 'pathParameters' };
const KEY_PART = new Map(Object.entries(PART_KEYS).map(([p, k]) => [k, p as InputPart]));

export interface FieldRead {
  name: string;
  /** Read through `?.`, a default or a fallback: the handler copes with it missing. */
  optional: boolean;
  /** 'string' unless the handler uses it as something else (member access, iteration, arithmetic). */
  type: 'string' | 'unknown';
}

export interface PartRead {
  part: InputPart;
  /** The expression that reaches the part in the handler: `event.body`, or a destructured `pathParameters`. */
  access: string;
  /** 'json': a JSON string the handler parses; 'string': a raw string; 'object': parameters, or a body a middleware parsed. */
  shape: 'json' | 'string' | 'object';
  /** Fields read, in source order; empty when the value is only used as a whole. */
  fields: FieldRead[];
  /** The value is also used as a whole (spread, passed on): fields beyond `fields` may matter. */
  whole: boolean;
  /** The value is used as an array (iterated, indexed, array methods) rather than an object with fields. */
  list: boolean;
}

interface PartState { access: string | undefined; fields: Map<string, FieldRead>; whole: boolean; list: boolean; parsed: boolean; raw: boolean }

const MAX_ALIAS_DEPTH = 4;
const LIST_MEMBERS = new Set(['length', 'map', 'forEach', 'filter', 'reduce', 'some', 'every', 'find', 'findIndex', 'flatMap', 'slice', 'entries', 'join', 'at']);

/** Per function (the syntax tree is immutable per file version) and body parsing. */
const cache = treeMap<ts.Node, { parsedBody: boolean; parts: PartRead[] }>();

/** The parts of the event the entry reads, with their fields; Lambda event entries only. */
export function requestFields(entry: Entry): PartRead[] {
  const known = cache(entry.fn);
  const hit = known.get(entry.fn);
  if (hit && hit.parsedBody === !!entry.parsedBody) return hit.parts;
  const parts = compute(entry);
  known.set(entry.fn, { parsedBody: !!entry.parsedBody, parts });
  return parts;
}

function compute(entry: Entry): PartRead[] {
  if (entry.input !== 'event' || !entry.fn.body) return [];
  const param = entry.fn.parameters[0];
  if (!param) return [];
  const refs = references(entry.fn);
  const states = new Map<InputPart, PartState>();
  const state = (part: InputPart, access: string | undefined): PartState => {
    let s = states.get(part);
    if (!s) states.set(part, (s = { access, fields: new Map(), whole: false, list: false, parsed: false, raw: false }));
    return s;
  };
  const initialKind = (part: InputPart): Kind => (part === 'body' && !entry.parsedBody ? 'raw' : 'object');

  const addField = (s: PartState, name: string, optional: boolean, type: FieldRead['type']) => {
    const old = s.fields.get(name);
    if (!old) s.fields.set(name, { name, optional, type });
    else s.fields.set(name, { name, optional: old.optional && optional, type: old.type === 'unknown' || type === 'unknown' ? 'unknown' : 'string' });
  };

  type Kind = 'raw' | 'object';
  // A binding that receives a part's value (or, for 'field', one field's value).
  const visitBinding = (name: ts.BindingName, kind: Kind, s: PartState, depth: number, optional: boolean) => {
    if (isIdentifier(name)) {
      for (const r of refs.get(name) ?? []) visitValue(r, kind, s, depth + 1, optional);
      return;
    }
    if (kind === 'raw' || isArrayBindingPattern(name)) { s.whole = true; return; }
    for (const el of name.elements) {
      if (el.dotDotDotToken) { s.whole = true; continue; }
      const key = el.propertyName ?? el.name;
      const k = isIdentifier(key) || isStringLiteralLike(key) ? key.text : undefined;
      if (k === undefined) { s.whole = true; continue; }
      addField(s, k, optional || !!el.initializer, isIdentifier(el.name) ? fieldType(el.name, refs) : 'unknown');
    }
  };

  // An expression whose value is the part (raw body string, parsed body, parameters object).
  const visitValue = (e: ts.Expression, kind: Kind, s: PartState, depth: number, optional: boolean): void => {
    if (depth > MAX_ALIAS_DEPTH) { s.whole = true; return; }
    let n: ts.Node = e;
    for (;;) {
      const p = n.parent;
      if (isTransparent(p)) { n = p; continue; }
      if (isBinaryExpression(p) && p.left === n && isFallback(p.operatorToken.kind)) { optional = true; n = p; continue; }
      break;
    }
    const p = n.parent;
    if (kind === 'raw') {
      if (isCallExpression(p) && p.arguments[0] === n && globalName(p.expression) === 'JSON.parse') {
        s.parsed = true;
        visitValue(p, 'object', s, depth, false);
      } else if (!isCheckOnly(n)) s.raw = true;
      return;
    }
    if (isPropertyAccessExpression(p) && p.expression === n) {
      // `items.map(…)`, `items.length`: the value itself is a list, not an object with fields.
      if (LIST_MEMBERS.has(p.name.text) || (isCallExpression(p.parent) && p.parent.expression === p)) { s.whole = true; s.list ||= LIST_MEMBERS.has(p.name.text); return; }
      addField(s, p.name.text, optional || !!p.questionDotToken || isDefaulted(p), useType(p, refs));
      return;
    }
    if (isElementAccessExpression(p) && p.expression === n) {
      if (isStringLiteralLike(p.argumentExpression)) addField(s, p.argumentExpression.text, optional || !!p.questionDotToken || isDefaulted(p), useType(p, refs));
      else { s.whole = true; s.list = true; }
      return;
    }
    if (isForOfStatement(p) && p.expression === n) { s.whole = true; s.list = true; return; }
    if (isVariableDeclaration(p) && p.initializer === n) { visitBinding(p.name, 'object', s, depth, optional); return; }
    if (isCheckOnly(n)) return;
    s.whole = true;
  };

  if (isIdentifier(param.name)) {
    const base = param.name.text;
    for (const r of refs.get(param.name) ?? []) {
      const p = r.parent;
      const key = isPropertyAccessExpression(p) && p.expression === r ? p.name.text
        : isElementAccessExpression(p) && p.expression === r && isStringLiteralLike(p.argumentExpression) ? p.argumentExpression.text : undefined;
      const part = key !== undefined ? KEY_PART.get(key) : undefined;
      if (part) { visitValue(p as ts.Expression, initialKind(part), state(part, `${base}.${key}`), 0, false); continue; }
      // `const { body, pathParameters } = event`
      const d = p;
      if (isVariableDeclaration(d) && d.initializer === r && isObjectBindingPattern(d.name)) {
        for (const el of d.name.elements) {
          const k = el.propertyName ?? el.name;
          const kt = !el.dotDotDotToken && (isIdentifier(k) || isStringLiteralLike(k)) ? k.text : undefined;
          const pp = kt !== undefined ? KEY_PART.get(kt) : undefined;
          if (pp) visitBinding(el.name, initialKind(pp), state(pp, `${base}.${kt}`), 0, !!el.initializer);
        }
      }
    }
  } else if (isObjectBindingPattern(param.name)) {
    // `async ({ body, pathParameters: { id } }) => …`
    for (const el of param.name.elements) {
      const k = el.propertyName ?? el.name;
      const kt = !el.dotDotDotToken && (isIdentifier(k) || isStringLiteralLike(k)) ? k.text : undefined;
      const pp = kt !== undefined ? KEY_PART.get(kt) : undefined;
      if (pp) visitBinding(el.name, initialKind(pp), state(pp, isIdentifier(el.name) ? el.name.text : undefined), 0, !!el.initializer);
    }
  }

  const out: PartRead[] = [];
  for (const part of ['body', 'query', 'path'] as InputPart[]) {
    const s = states.get(part);
    if (!s || s.access === undefined) continue;
    const shape: PartRead['shape'] = part !== 'body' || entry.parsedBody ? 'object' : s.raw ? 'string' : 'json';
    if (shape === 'json' && !s.parsed) continue;
    if (shape !== 'string' && !s.fields.size && !s.whole) continue;
    // API Gateway only routes a request whose path has every parameter: none is optional.
    const fields = shape === 'string' || s.list ? [] : [...s.fields.values()].map((f) => (part === 'path' ? { ...f, optional: false } : f));
    out.push({ part, access: s.access, shape, fields, whole: s.whole, list: s.list });
  }
  return out;
}

/** Every identifier in the function that refers to a declaration, by that declaration. */
function references(fn: ts.FunctionLikeDeclaration): Map<ts.Identifier, ts.Identifier[]> {
  const out = new Map<ts.Identifier, ts.Identifier[]>();
  const stack: ts.Node[] = [fn];
  let budget = 50_000;
  while (stack.length && budget-- > 0) {
    const n = stack.pop()!;
    if (isIdentifier(n)) {
      const d = isPropertyName(n) ? undefined : declarationOf(n);
      if (d && d !== n) {
        let list = out.get(d);
        if (!list) out.set(d, (list = []));
        list.push(n);
      }
      continue;
    }
    forEachChild(n, (c) => { stack.push(c); });
  }
  // Source order.
  for (const list of out.values()) list.sort((a, b) => a.pos - b.pos);
  return out;
}

/** `x.name`, `{ name: … }`: a property, not a reference to a binding. */
export function isPropertyName(n: ts.Identifier): boolean {
  const p = n.parent;
  return (isPropertyAccessExpression(p) && p.name === n) || (isPropertyAssignment(p) && p.name === n) ||
    (isBindingElement(p) && p.propertyName === n) ||
    ((isMethodDeclaration(p) || isPropertySignature(p) || isPropertyDeclaration(p) || isGetAccessor(p) || isSetAccessor(p)) && p.name === n);
}

function isTransparent(p: ts.Node): boolean {
  return isParenthesizedExpression(p) || isAsExpression(p) || isNonNullExpression(p) || isSatisfiesExpression(p) || isTypeAssertionExpression(p) || isAwaitExpression(p);
}

function isFallback(k: ts.SyntaxKind): boolean {
  return k === SyntaxKind.QuestionQuestionToken || k === SyntaxKind.BarBarToken;
}

/** `x.page ?? '1'`: the handler has a default for a missing field. */
function isDefaulted(n: ts.Node): boolean {
  let c = n;
  while (isTransparent(c.parent)) c = c.parent;
  return isBinaryExpression(c.parent) && c.parent.left === c && isFallback(c.parent.operatorToken.kind);
}

/** `if (!event.body)`, `typeof x`, `x === undefined`, logging: looks at the value, does not use its content. */
function isCheckOnly(n: ts.Node): boolean {
  const p = n.parent;
  if (isPrefixUnaryExpression(p) && p.operator === SyntaxKind.ExclamationToken) return true;
  if (isTypeOfExpression(p)) return true;
  if ((isIfStatement(p) && p.expression === n) || (isConditionalExpression(p) && p.condition === n)) return true;
  if (isBinaryExpression(p)) {
    const k = p.operatorToken.kind;
    return k === SyntaxKind.EqualsEqualsEqualsToken || k === SyntaxKind.ExclamationEqualsEqualsToken || k === SyntaxKind.EqualsEqualsToken || k === SyntaxKind.ExclamationEqualsToken || k === SyntaxKind.AmpersandAmpersandToken;
  }
  if (isCallExpression(p) && p.expression !== n) return /^(console|logger|log)\.\w+$/.test(p.expression.getText());
  return false;
}

/** The type a field read is used as: anything but a plain value makes it 'unknown'. */
function useType(read: ts.Expression, refs: Map<ts.Identifier, ts.Identifier[]>): FieldRead['type'] {
  let n: ts.Node = read;
  while (isTransparent(n.parent)) n = n.parent;
  const p = n.parent;
  if (isVariableDeclaration(p) && p.initializer === n) return isIdentifier(p.name) ? fieldType(p.name, refs) : 'unknown';
  return scalarUse(n) ? 'string' : 'unknown';
}

/** A local holding one field: 'unknown' when any use treats it as an object, array or number. */
function fieldType(id: ts.Identifier, refs: Map<ts.Identifier, ts.Identifier[]>): FieldRead['type'] {
  for (const r of refs.get(id) ?? []) {
    let n: ts.Node = r;
    while (isTransparent(n.parent)) n = n.parent;
    if (!scalarUse(n)) return 'unknown';
  }
  return 'string';
}

const STRING_METHODS = new Set(['trim', 'toLowerCase', 'toUpperCase', 'startsWith', 'endsWith', 'includes', 'split', 'replace', 'replaceAll', 'slice', 'substring', 'padStart', 'padEnd', 'match', 'normalize', 'charAt', 'indexOf', 'length', 'toString', 'localeCompare', 'at', 'trimStart', 'trimEnd', 'concat', 'search', 'codePointAt', 'charCodeAt', 'repeat']);
const NUMERIC = /^(Number(\.\w+)?|parseInt|parseFloat|BigInt|Boolean|Math\.\w+|new Date|Date)$/;
const ARITHMETIC = new Set([
  SyntaxKind.MinusToken, SyntaxKind.AsteriskToken, SyntaxKind.SlashToken, SyntaxKind.PercentToken, SyntaxKind.AsteriskAsteriskToken,
  SyntaxKind.LessThanToken, SyntaxKind.GreaterThanToken, SyntaxKind.LessThanEqualsToken, SyntaxKind.GreaterThanEqualsToken,
]);

/** Used the way a string is: not a member other than a string method, not iterated, spread or computed with. */
function scalarUse(n: ts.Node): boolean {
  const p = n.parent;
  if ((isPropertyAccessExpression(p) && p.expression === n)) return STRING_METHODS.has(p.name.text);
  if (isElementAccessExpression(p) && p.expression === n) return false;
  if (isForOfStatement(p) || isForInStatement(p) || isSpreadElement(p) || isSpreadAssignment(p)) return false;
  if (isBinaryExpression(p) && ARITHMETIC.has(p.operatorToken.kind)) return false;
  if (isPrefixUnaryExpression(p) && (p.operator === SyntaxKind.MinusToken || p.operator === SyntaxKind.PlusToken)) return false;
  // `Number(x)`, `parseInt(x)`: the caller may well send a number.
  if (isCallExpression(p) && p.expression !== n && NUMERIC.test(p.expression.getText())) return false;
  return true;
}
