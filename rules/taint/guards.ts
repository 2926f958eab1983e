// Guards: conditions that prove a value safe on one side (`if (!/^\w+$/.test(x)) throw …`,
// `if (!ALLOWED.includes(x)) return …`, `typeof x === 'number'`, validator results), and
// assertion statements that throw otherwise. The interpreter turns facts into refinements.
import ts from 'typescript';
import type { Family, Value } from './types';
import { ALL_FAMILIES } from './types';
import { moduleRef, memberPath, globalName, chainRoot, skipParens } from './modules';
import { constInitializer } from './scope';
import { SCHEMA_MODULES, SAFE_VALIDATORS, ajvModule, type SanitizerHost } from './sanitizers';
import { regexFamilies } from './regex';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  isAwaitExpression,
  isBinaryExpression,
  isCallExpression,
  isIdentifier,
  isNewExpression,
  isNumericLiteral,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isRegularExpressionLiteral,
  isStringLiteralLike,
  isTypeOfExpression,
  SyntaxKind,
} = ts;

/** On one side of a condition, `key` holds a value safe for `families`. */
export interface Fact { key: string; families: readonly Family[] }

export interface GuardHost extends SanitizerHost {
  /** Is the expression free of taint (an allow-list, a constant)? */
  isClean(e: ts.Expression): boolean;
  /** A validation outcome stored in a variable or field (`ok`, `result.success`, `error`). */
  validatesOf(e: ts.Expression): Value['validates'];
  /** Facts from a local predicate function (`isSafeName(x)`), mapped to the call's arguments. */
  callFacts(call: ts.CallExpression, positive: boolean): Fact[];
}

/** What holds when `cond` evaluates truthy (`positive`) or falsy. */
export function factsOf(cond: ts.Expression, positive: boolean, host: GuardHost, depth = 0): Fact[] {
  if (depth > 20) return [];
  const e = skipParens(cond);
  const rec = (x: ts.Expression, p: boolean) => factsOf(x, p, host, depth + 1);
  if (isPrefixUnaryExpression(e) && e.operator === SyntaxKind.ExclamationToken) return rec(e.operand, !positive);
  if (isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    // Both sides hold after a true `&&` (a false `||`); after a true `||` only what either side proves.
    if (op === SyntaxKind.AmpersandAmpersandToken) return positive ? [...rec(e.left, true), ...rec(e.right, true), ...relativePathFacts(e, true, host)] : common(rec(e.left, false), rec(e.right, false));
    if (op === SyntaxKind.BarBarToken) return positive ? common(rec(e.left, true), rec(e.right, true)) : [...rec(e.left, false), ...rec(e.right, false), ...relativePathFacts(e, false, host)];
    const eq = op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken;
    const ne = op === SyntaxKind.ExclamationEqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken;
    if (eq || ne) {
      const holds = eq === positive;
      return equalityFacts(e.left, e.right, holds, host) ?? equalityFacts(e.right, e.left, holds, host) ?? [];
    }
    // ALLOWED.indexOf(x) >= 0 / > -1
    if (op === SyntaxKind.GreaterThanEqualsToken || op === SyntaxKind.GreaterThanToken) {
      const idx = indexOfTarget(e.left, host);
      if (idx && positive) return allFacts(idx, host);
    }
    if (op === SyntaxKind.InKeyword && positive && host.isClean(e.right)) return allFacts(e.left, host);
    return [];
  }
  if (isAwaitExpression(e)) return rec(e.expression, positive);
  const out = isCallExpression(e) ? [...(positive ? predicateFacts(e, host) : []), ...host.callFacts(e, positive)] : [];
  // A stored validation outcome (`ok`, `result.success`) or a validating call (`await schema.isValid(x)`).
  const v = host.validatesOf(e);
  if (v && v.when === positive) out.push({ key: v.key, families: v.families });
  return out;
}

/** Facts both lists prove (same key, shared families). */
function common(a: Fact[], b: Fact[]): Fact[] {
  const out: Fact[] = [];
  for (const x of a) {
    for (const y of b) {
      if (x.key !== y.key) continue;
      const families = x.families.filter((f) => y.families.includes(f));
      if (families.length) out.push({ key: x.key, families });
    }
  }
  return out;
}

function allFacts(target: ts.Expression, host: GuardHost, families: readonly Family[] = ALL_FAMILIES): Fact[] {
  const key = host.keyOf(target);
  return key ? [{ key, families }] : [];
}

/** `x === 'png'`, `typeof x === 'number'`, `ALLOWED.indexOf(x) === -1`, `validate(x) === true`. */
function equalityFacts(a: ts.Expression, b: ts.Expression, holds: boolean, host: GuardHost): Fact[] | undefined {
  a = skipParens(a);
  b = skipParens(b);
  if (isTypeOfExpression(a) && isStringLiteralLike(b)) {
    if (holds && b.text === 'string') return allFacts(a.expression, host, ['object']);
    return holds && ['number', 'boolean', 'bigint', 'undefined'].includes(b.text) ? allFacts(a.expression, host) : [];
  }
  const idx = indexOfTarget(a, host);
  if (idx && isPrefixUnaryExpression(b) && b.operator === SyntaxKind.MinusToken) return holds ? [] : allFacts(idx, host);
  if (b.kind === SyntaxKind.TrueKeyword) return factsOf(a, holds, host, 1);
  if (b.kind === SyntaxKind.FalseKeyword) return factsOf(a, !holds, host, 1);
  if (isStringLiteralLike(b) || isNumericLiteral(b) || (isIdentifier(b) && !isIdentifier(a) && host.isClean(b) && host.keyOf(b) === undefined)) {
    return holds ? allFacts(a, host) : [];
  }
  return undefined;
}

/** `LIST.indexOf(x)` with a clean list → x. */
function indexOfTarget(e: ts.Expression, host: GuardHost): ts.Expression | undefined {
  e = skipParens(e);
  if (isCallExpression(e) && isPropertyAccessExpression(e.expression) && e.expression.name.text === 'indexOf' && e.arguments[0] && host.isClean(e.expression.expression)) {
    return e.arguments[0];
  }
  return undefined;
}

/** Calls that, when truthy, prove their argument safe. */
function predicateFacts(call: ts.CallExpression, host: GuardHost): Fact[] {
  const args = call.arguments;
  const g = globalName(call.expression);
  // Number.isInteger and friends are false for every string, so a string never gets through.
  if (g && ['Number.isInteger', 'Number.isSafeInteger', 'Number.isFinite', 'Array.isArray'].includes(g) && args[0]) {
    return g === 'Array.isArray' ? [] : allFacts(args[0], host);
  }
  if (g === 'Object.hasOwn' && args[1] && host.isClean(args[0])) return allFacts(args[1], host);
  const ref = moduleRef(call.expression);
  if (ref?.module === 'validator' && SAFE_VALIDATORS.has(memberPath(ref)) && args[0]) return allFacts(args[0], host);
  if (ref && ajvModule(ref.module) && memberPath(ref) === 'validate' && args[1]) return allFacts(args[1], host);
  if (isIdentifier(call.expression) && args[0] && isAjvValidator(call.expression)) return allFacts(args[0], host);
  if (!isPropertyAccessExpression(call.expression)) return [];
  const recv = call.expression.expression;
  const method = call.expression.name.text;
  if (method === 'test' && args[0]) {
    const re = regexOf(recv);
    return re ? allFacts(args[0], host, regexFamilies(re.pattern, re.flags)) : [];
  }
  if (method === 'match' && args[0]) {
    const re = regexOf(args[0]);
    return re ? allFacts(recv, host, regexFamilies(re.pattern, re.flags)) : [];
  }
  if ((method === 'includes' || method === 'has') && args[0] && host.isClean(recv)) return allFacts(args[0], host);
  if (method === 'startsWith' && args[0] && host.isClean(args[0])) return startsWithFacts(recv, args[0], host);
  // `url.hostname.endsWith('.example.com')`: the host is one of ours.
  if (method === 'endsWith' && args[0] && isHostKey(host.keyOf(recv)) && /^\./.test(literalText(args[0]) ?? '')) return allFacts(recv, host, ['url', 'redirect']);
  if (method === 'hasOwnProperty' && args[0] && host.isClean(recv)) return allFacts(args[0], host);
  if (method === 'validate' && args[1] && (chainRoot(recv)?.module ?? '').startsWith('ajv')) return allFacts(args[1], host);
  const validator = chainRoot(recv);
  if (validator?.module === 'validator' && SAFE_VALIDATORS.has(method) && args[0]) return allFacts(args[0], host);
  return [];
}

/** `const validate = ajv.compile(schema)` */
function isAjvValidator(id: ts.Identifier): boolean {
  const init = constInitializer(id);
  if (!init) return false;
  const c = skipParens(init);
  if (!isCallExpression(c) || !isPropertyAccessExpression(c.expression)) return false;
  if (!['compile', 'getSchema'].includes(c.expression.name.text)) return false;
  const root = chainRoot(c.expression.expression);
  return !!root && ajvModule(root.module);
}

function regexOf(e: ts.Expression): { pattern: string; flags: string } | undefined {
  e = skipParens(e);
  if (isIdentifier(e)) {
    const init = constInitializer(e);
    if (init) e = skipParens(init);
  }
  if (isRegularExpressionLiteral(e)) {
    const m = /^\/(.*)\/([a-z]*)$/s.exec(e.text);
    return m ? { pattern: m[1], flags: m[2] } : undefined;
  }
  if (isNewExpression(e) && isIdentifier(e.expression) && e.expression.text === 'RegExp' && e.arguments?.[0] && isStringLiteralLike(e.arguments[0])) {
    const f = e.arguments[1];
    return { pattern: e.arguments[0].text, flags: f && isStringLiteralLike(f) ? f.text : '' };
  }
  return undefined;
}

/**
 * Statements that throw unless their input is valid: `assert(ALLOWED.includes(x))`,
 * `Joi.assert(x, schema)`, a bare `Schema.parse(x)` (zod throws on invalid input).
 */
export function assertionFacts(call: ts.CallExpression, host: GuardHost): Fact[] {
  const args = call.arguments;
  if (!args[0]) return [];
  const ref = moduleRef(call.expression);
  const g = globalName(call.expression);
  if ((ref && ref.module.startsWith('assert') && ['', 'ok', 'strict'].includes(memberPath(ref))) || g === 'assert') return factsOf(args[0], true, host);
  if (ref && (ref.module === 'joi' || ref.module === '@hapi/joi') && memberPath(ref) === 'assert') return allFacts(args[0], host);
  if (isPropertyAccessExpression(call.expression) && ['parse', 'validateSync', 'assert'].includes(call.expression.name.text)) {
    const root = chainRoot(call.expression.expression);
    if (root && SCHEMA_MODULES.has(root.module)) return allFacts(args[0], host);
  }
  return [];
}

const PATH_BUILDERS = new Set(['resolve', 'join', 'normalize']);

/**
 * `full.startsWith(BASE)` where `full = path.resolve(BASE, input)`: the normalised path stays
 * under the base (path family). `url.startsWith('https://api.example.com/')`: the origin is fixed
 * (url and redirect families).
 */
function startsWithFacts(recv: ts.Expression, prefix: ts.Expression, host: GuardHost): Fact[] {
  const lit = literalText(prefix);
  if (lit !== undefined && /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\@]+[/?#]/i.test(lit)) return allFacts(recv, host, ['url', 'redirect']);
  let e = skipParens(recv);
  if (isIdentifier(e)) {
    const init = constInitializer(e);
    if (init) e = skipParens(init);
  }
  if (!isCallExpression(e)) return [];
  const ref = moduleRef(e.expression);
  if (!ref || !/^path(\/posix|\/win32)?$/.test(ref.module) || !PATH_BUILDERS.has(memberPath(ref))) return [];
  // A bare `'/'` or empty prefix proves nothing.
  if (lit !== undefined && lit.replace(/[\\/]+$/, '') === '') return [];
  return allFacts(recv, host, ['path']);
}

function literalText(e: ts.Expression): string | undefined {
  let x = skipParens(e);
  if (isIdentifier(x)) {
    const init = constInitializer(x);
    if (init) x = skipParens(init);
  }
  return isStringLiteralLike(x) ? x.text : undefined;
}

/** A refinement key naming the host part of a URL object (`k3.hostname`). */
export function isHostKey(key: string | undefined): boolean {
  return !!key && /\.(hostname|host|origin)$/.test(key);
}

/**
 * `next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')`: a path on this
 * site, which browsers do not read as another host. Both `//` and `/\` must be excluded.
 */
function relativePathFacts(e: ts.BinaryExpression, positive: boolean, host: GuardHost): Fact[] {
  const atoms: Array<{ key: string; prefix: string; holds: boolean }> = [];
  const collect = (x: ts.Expression, holds: boolean, depth: number): void => {
    x = skipParens(x);
    if (depth > 8) return;
    if (isPrefixUnaryExpression(x) && x.operator === SyntaxKind.ExclamationToken) return collect(x.operand, !holds, depth + 1);
    if (isBinaryExpression(x)) {
      // Conjuncts of a true `&&`, or disjuncts of a false `||`, all hold.
      const op = x.operatorToken.kind;
      if ((op === SyntaxKind.AmpersandAmpersandToken && holds) || (op === SyntaxKind.BarBarToken && !holds)) {
        collect(x.left, holds, depth + 1);
        collect(x.right, holds, depth + 1);
      }
      return;
    }
    if (isCallExpression(x) && isPropertyAccessExpression(x.expression) && x.expression.name.text === 'startsWith' && x.arguments[0]) {
      const key = host.keyOf(x.expression.expression);
      const prefix = literalText(x.arguments[0]);
      if (key && prefix !== undefined) atoms.push({ key, prefix, holds });
    }
  };
  collect(e, positive, 0);
  const out: Fact[] = [];
  for (const a of atoms) {
    if (a.prefix !== '/' || !a.holds) continue;
    const excluded = (p: string) => atoms.some((b) => b.key === a.key && b.prefix === p && !b.holds);
    if (excluded('//') && excluded('/\\')) out.push({ key: a.key, families: ['redirect'] });
  }
  return out;
}
