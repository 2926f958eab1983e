// What stops taint in a call: results that are numbers, quoted text or schema-validated data.
// Safety is per sink family: `path.basename` defeats `../` but not `; rm -rf /`. Guards that
// prove a value safe on one side of a condition are in guards.ts.
import ts from 'typescript';
import type { Family, Value } from './types';
import { ALL_FAMILIES } from './types';
import { moduleRef, memberPath, globalName, chainRoot, provenance, skipParens } from './modules';
import { CLEAN } from './values';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const { isPropertyAccessExpression, isRegularExpressionLiteral, isStringLiteralLike } = ts;

/** Globals whose result is a number or boolean, or fully escaped text: safe everywhere. */
const SAFE_GLOBALS = new Set([
  'parseInt', 'parseFloat', 'Number', 'Boolean', 'BigInt', 'isNaN', 'isFinite',
  'Number.parseInt', 'Number.parseFloat', 'Number.isInteger', 'Number.isSafeInteger', 'Number.isFinite', 'Number.isNaN',
  'Array.isArray', 'Date.now', 'Date.parse', 'Object.is', 'crypto.randomUUID',
]);

/**
 * `encodeURIComponent` leaves only letters, digits and `-_.!~*'()`: harmless in a URL, a path
 * segment, HTML or a shell word, but `'` and `()` still matter to SQL, code and regexes.
 */
const URI_ENCODED: readonly Family[] = ALL_FAMILIES.filter((f) => f !== 'sql' && f !== 'code' && f !== 'regex');
/** Globals that escape for some families. */
const GLOBAL_SANITIZERS: Record<string, readonly Family[]> = {
  encodeURIComponent: URI_ENCODED,
  'RegExp.escape': ['regex'],
  String: ['object'],
};

/** Module members that escape or reduce their input for some families. */
const MODULE_SANITIZERS: Array<{ module: string; members: string[]; families: readonly Family[] }> = [
  { module: 'path', members: ['basename', 'extname'], families: ['path'] },
  { module: 'path/posix', members: ['basename', 'extname'], families: ['path'] },
  { module: 'sanitize-filename', members: [''], families: ['path'] },
  { module: 'querystring', members: ['escape'], families: URI_ENCODED },
  // sql: quoting by the driver
  { module: 'mysql', members: ['escape', 'escapeId', 'format'], families: ['sql'] },
  { module: 'mysql2', members: ['escape', 'escapeId', 'format'], families: ['sql'] },
  { module: 'mysql2/promise', members: ['escape', 'escapeId', 'format'], families: ['sql'] },
  { module: 'pg-format', members: ['', 'literal', 'ident', 'withArray'], families: ['sql'] },
  { module: 'pg', members: ['escapeLiteral', 'escapeIdentifier', 'Client.prototype.escapeLiteral'], families: ['sql'] },
  // html
  { module: 'he', members: ['encode', 'escape'], families: ['html'] },
  { module: 'lodash', members: ['escape'], families: ['html'] },
  { module: 'lodash.escape', members: [''], families: ['html'] },
  { module: 'lodash/escape', members: [''], families: ['html'] },
  { module: 'lodash-es', members: ['escape'], families: ['html'] },
  { module: 'underscore', members: ['escape'], families: ['html'] },
  { module: 'html-entities', members: ['encode', 'escape'], families: ['html'] },
  { module: 'entities', members: ['encode', 'encodeHTML', 'escape', 'escapeUTF8', 'encodeXML'], families: ['html'] },
  { module: 'dompurify', members: ['sanitize'], families: ['html'] },
  { module: 'isomorphic-dompurify', members: ['sanitize'], families: ['html'] },
  { module: 'sanitize-html', members: [''], families: ['html'] },
  { module: 'xss', members: ['', 'filterXSS'], families: ['html'] },
  // regex
  { module: 'escape-string-regexp', members: [''], families: ['regex'] },
  { module: 'lodash', members: ['escapeRegExp'], families: ['regex'] },
  { module: 'lodash.escaperegexp', members: [''], families: ['regex'] },
  { module: 'lodash/escapeRegExp', members: [''], families: ['regex'] },
  { module: 'lodash-es', members: ['escapeRegExp'], families: ['regex'] },
  { module: 'escape-regexp', members: [''], families: ['regex'] },
  // NoSQL: strips `$` keys from objects
  { module: 'mongo-sanitize', members: [''], families: ['object'] },
  { module: 'express-mongo-sanitize', members: ['sanitize'], families: ['object'] },
  { module: 'shell-quote', members: ['quote'], families: ['shell'] },
  { module: 'shell-escape', members: [''], families: ['shell'] },
  { module: 'shescape', members: ['quote', 'quoteAll', 'escape', 'escapeAll'], families: ['shell'] },
  { module: 'sqlstring', members: ['escape', 'escapeId', 'format'], families: ['sql'] },
  { module: 'escape-html', members: [''], families: ['html'] },
  { module: 'validator', members: ['escape'], families: ['html'] },
  { module: 'validator', members: ['toInt', 'toFloat', 'toBoolean', 'isUUID', 'isInt'], families: ALL_FAMILIES },
];

/** Schema libraries: parsing through them yields validated data. */
export const SCHEMA_MODULES = new Set(['zod', 'joi', '@hapi/joi', 'yup', 'valibot', 'superstruct']);
export const ajvModule = (m: string) => m === 'ajv' || m.startsWith('ajv/');

/** validator.js predicates whose accepted strings contain no metacharacter of any family. */
export const SAFE_VALIDATORS = new Set([
  'isAlphanumeric', 'isAlpha', 'isNumeric', 'isInt', 'isFloat', 'isDecimal', 'isUUID', 'isHexadecimal', 'isMongoId', 'isBoolean', 'isPort', 'isISO8601', 'isDate',
]);

export interface SanitizerHost {
  /** The abstract value of an argument (evaluated once by the caller). */
  valueOf(e: ts.Expression): Value;
  /** Refinement key of an expression (a variable or a property path), if it has one. */
  keyOf(e: ts.Expression): string | undefined;
}

/** The value of a sanitizing call, or undefined when `call` does not sanitize. */
export function sanitizedCall(call: ts.CallExpression, host: SanitizerHost): Value | undefined {
  const g = globalName(call.expression);
  if (g && (SAFE_GLOBALS.has(g) || g.startsWith('Math.'))) return CLEAN;
  if (g && GLOBAL_SANITIZERS[g]) return clearedArgs(call, host, GLOBAL_SANITIZERS[g]);
  const ref = moduleRef(call.expression);
  if (ref) {
    const member = memberPath(ref);
    const s = MODULE_SANITIZERS.find((x) => x.module === ref.module && x.members.includes(member));
    if (s) return clearedArgs(call, host, s.families);
    if (ajvModule(ref.module)) return undefined;
    // Joi.attempt(value, schema) returns the validated value.
    if ((ref.module === 'joi' || ref.module === '@hapi/joi') && member === 'attempt') return CLEAN;
  }
  if (!isPropertyAccessExpression(call.expression)) return undefined;
  const method = call.expression.name.text;
  // A driver's own quoting: `connection.escape(x)`, `client.escapeLiteral(x)`, `DOMPurify(window).sanitize(x)`.
  const made = provenance(call.expression.expression);
  if (made) {
    if (/^(mysql|mysql2|mysql2\/promise|serverless-mysql)$/.test(made.module) && ['escape', 'escapeId', 'format'].includes(method)) return clearedArgs(call, host, ['sql']);
    if (/^(pg|pg-pool|@neondatabase\/serverless)$/.test(made.module) && ['escapeLiteral', 'escapeIdentifier'].includes(method)) return clearedArgs(call, host, ['sql']);
    if (/^(isomorphic-)?dompurify$/.test(made.module) && method === 'sanitize') return clearedArgs(call, host, ['html']);
  }
  const root = chainRoot(call.expression.expression);
  if (root?.module === 'shescape' && ['quote', 'quoteAll', 'escape', 'escapeAll'].includes(method)) return clearedArgs(call, host, ['shell']);
  if (!root || !SCHEMA_MODULES.has(root.module)) return undefined;
  const arg = call.arguments[0];
  const key = arg && host.keyOf(arg);
  const when = (w: boolean): Value => (key ? { labels: [], validates: { key, when: w, families: ALL_FAMILIES } } : CLEAN);
  switch (method) {
    case 'parse': case 'parseAsync': case 'validateAsync': case 'validateSync': case 'cast': case 'create': case 'mask':
      return CLEAN;
    case 'safeParse': case 'safeParseAsync':
      // zod: `.data` is validated; `.success` is a guard on the input.
      return { labels: [], fields: new Map([['data', CLEAN], ['success', when(true)], ['error', when(false)]]), rest: [] };
    case 'validate':
      // joi: `{ error, value }`; yup: a promise of the value.
      return { labels: [], fields: new Map([['value', CLEAN], ['error', when(false)]]), rest: [] };
    case 'isValid': case 'isValidSync': case 'is':
      return when(true);
  }
  return undefined;
}

function clearedArgs(call: ts.CallExpression, host: SanitizerHost, families: readonly Family[]): Value {
  if (families.length === ALL_FAMILIES.length) return CLEAN;
  const vals = call.arguments.map((a) => host.valueOf(a));
  const labels = vals.flatMap((v) => [...v.labels, ...(v.fields ? [...v.fields.values()].flatMap((f) => f.labels) : [])]);
  const cleared = labels.map((l) => ({ ...l, exact: false, cleared: [...new Set([...l.cleared, ...families])].sort() as Family[] }));
  return { labels: cleared };
}

/**
 * `s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')`: the usual escape for text put into a regular
 * expression. Its result is safe for the `regex` family when the class covers every metacharacter.
 */
export function escapesRegex(call: ts.CallExpression): boolean {
  if (!isPropertyAccessExpression(call.expression) || !['replace', 'replaceAll'].includes(call.expression.name.text)) return false;
  const [re, by] = call.arguments.map((a) => a && skipParens(a));
  if (!re || !by || !isRegularExpressionLiteral(re) || !isStringLiteralLike(by) || !/^\\\$&$/.test(by.text)) return false;
  const m = /^\/\[(.*)\]\/[a-z]*g[a-z]*$/s.exec(re.text);
  return !!m && [...'.*+?^$(){}|[]\\'].every((c) => m[1].includes(c));
}
