// The "insert a validation guard" fix: at the top of a Lambda HTTP handler, check the body fields,
// query string and path parameters the handler reads, and return 400 when they are not there.
// With zod when the project depends on it (or the module imports it): a schema with one
// `z.string()` per field and `safeParse`; otherwise plain `typeof` guards. The handler's own code
// stays as it was (the guard only rejects) and the result still compiles. Fields are checked to be
// strings (present, where the code uses them as numbers, objects or lists), so a client that sends
// a number for a string-looking field gets 400: the schema is a skeleton the TODO asks the author
// to tighten, which is why the fix is a suggestion.
import ts from 'typescript';
import type { Fix, TextEdit, Workspace } from '../api';
import type { HandlerModel, ImportInfo } from '../handler/model';
import type { Entry } from '../taint/types';
import { requestFields, isPropertyName, PART_KEYS, type PartRead, type FieldRead } from './request-fields';
import { codeStyle, lineIndent, type CodeStyle } from './code-style';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  forEachChild,
  isArrowFunction,
  isBlock,
  isCallExpression,
  isExpressionStatement,
  isIdentifier,
  isImportDeclaration,
  isImportEqualsDeclaration,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isSourceFile,
  isStringLiteral,
  isVariableDeclaration,
  isVariableStatement,
} = ts;

const ZOD = /^zod(\/v[34])?$/;
const IDENT = /^[A-Za-z_$][\w$]*$/;
/** Lines of the guard, each with its nesting depth below the handler body. */
type Line = [depth: number, text: string];

export interface GuardFixOptions {
  /** Set when the finding is in another file (a template): the edits carry the handler's uri. */
  uri?: string;
  /** Appended to the title, e.g. to say what the guard does not change. */
  titleSuffix?: string;
}

/** Does the project (nearest package.json) or the module itself use zod? */
function projectUsesZod(model: HandlerModel, workspace: Workspace | undefined): boolean {
  if (model.imports.some((i) => ZOD.test(i.specifier))) return true;
  return !!workspace?.packageDependencies?.(model.uri)?.has('zod');
}

/** The guard fix for one handler entry, or undefined when it reads no field a guard can check. */
export function validationGuardFix(model: HandlerModel, entry: Entry, workspace: Workspace | undefined, opts: GuardFixOptions = {}): Fix | undefined {
  if (entry.input !== 'event' || !entry.fn.body || model.problems.length) return undefined;
  const parts = requestFields(entry);
  if (!parts.length) return undefined;
  const style = codeStyle(model);
  const taken = namesIn(entry.fn);
  const zodName = projectUsesZod(model, workspace) ? zodBinding(model) : undefined;
  const zod = zodName !== undefined && (zodName.existing || !topLevelNames(model).has('z'));
  const built = zod ? zodGuard(parts, style, taken, zodName!.name) : plainGuard(parts, style, taken);
  if (!built) return undefined;
  const edits: TextEdit[] = [];
  const body = bodyEdit(model, entry.fn, built, style);
  if (!body) return undefined;
  edits.push(body);
  if (zod && !zodName!.existing) edits.push(importEdit(model, style));
  const name = entry.exportName === 'default' ? 'default export' : `handler \`${entry.exportName}\``;
  return {
    title: `Insert a validation guard (${zod ? 'zod' : 'typeof checks'}) at the top of ${name}${opts.titleSuffix ?? ''}`,
    kind: 'suggestion',
    edits: opts.uri ? edits.map((e) => ({ ...e, uri: opts.uri })) : edits,
  };
}

// ---- the guard text -------------------------------------------------------------------------

function zodGuard(parts: PartRead[], s: CodeStyle, taken: Set<string>, z: string): Line[] | undefined {
  const q = quoter(s);
  const semi = s.semi ? ';' : '';
  const lines: Line[] = [[0, '// TODO: tighten the schema: fields are only checked to be strings (use z.number(), formats, lengths, enums where they apply).']];
  const schema: Line[] = [];
  const args: string[] = [];
  for (const p of parts) {
    const key = PART_KEYS[p.part];
    let value = p.access;
    if (p.shape === 'json') {
      const v = unique(taken, p.part === 'body' ? 'body' : key);
      lines.push(...parseJson(v, p.access, s, 'unknown'));
      value = v;
    } else if (p.part !== 'body') value = `${p.access} ?? {}`;
    args.push(value === key ? key : `${key}: ${value}`);
    schema.push([1, `${key}: ${zodSchema(p, z, q)},`]);
  }
  const result = unique(taken, 'input');
  lines.push([0, `const ${result} = ${z}.object({`], ...schema, [0, `}).safeParse({ ${args.join(', ')} })${semi}`]);
  lines.push([0, `if (!${result}.success) {`], [1, badRequest(s)], [0, '}']);
  return lines;
}

function zodSchema(p: PartRead, z: string, q: (t: string) => string): string {
  if (p.shape === 'string') return `${z}.string()`;
  if (p.list) return `${z}.array(${z}.unknown())`;
  const value = p.part === 'body' ? `${z}.unknown()` : `${z}.string()`;
  if (!p.fields.length) return `${z}.record(${z}.string(), ${value})`;
  const fields = p.fields.map((f) => `${IDENT.test(f.name) ? f.name : q(f.name)}: ${z}.${f.type === 'string' ? 'string' : 'unknown'}()${f.optional && f.type === 'string' ? '.optional()' : ''}`);
  return `${z}.object({ ${fields.join(', ')} })`;
}

function plainGuard(parts: PartRead[], s: CodeStyle, taken: Set<string>): Line[] | undefined {
  const q = quoter(s);
  const lines: Line[] = [[0, '// TODO: fields are only checked to be strings: allow numbers where the API takes them, check formats and lengths.']];
  const checks: string[] = [];
  for (const p of parts) {
    if (p.shape === 'string') { checks.push(`typeof ${p.access} !== ${q('string')}`); continue; }
    let obj = p.access;
    let direct = false;
    if (p.shape === 'json') {
      obj = unique(taken, p.part === 'body' ? 'body' : PART_KEYS[p.part]);
      lines.push(...parseJson(obj, p.access, s, p.list || !p.fields.length ? 'unknown' : 'record'));
      if (p.list) { checks.push(`!Array.isArray(${obj})`); continue; }
      checks.push(`typeof ${obj} !== ${q('object')} || ${obj} === null`);
      direct = true;
    } else if (p.part === 'body') {
      // A body a middleware parsed: its declared type is the handler's, so only `?.` reads.
      if (p.list) { checks.push(`!Array.isArray(${obj})`); continue; }
      if (!p.fields.length) { checks.push(`typeof ${obj} !== ${q('object')} || ${obj} === null`); continue; }
    }
    for (const f of p.fields) {
      const c = fieldCheck(member(obj, f.name, !direct, q), f, q);
      if (c) checks.push(c);
    }
  }
  if (!checks.length) return undefined;
  const cond = checks.join(' || ');
  if (cond.length <= 72) lines.push([0, `if (${cond}) {`]);
  else lines.push([0, 'if ('], ...checks.map((c, i): Line => [1, i < checks.length - 1 ? `${c} ||` : c]), [0, ') {']);
  lines.push([1, badRequest(s)], [0, '}']);
  return lines;
}

function fieldCheck(read: string, f: FieldRead, q: (t: string) => string): string | undefined {
  if (f.type === 'string') return f.optional ? `(${read} !== undefined && typeof ${read} !== ${q('string')})` : `typeof ${read} !== ${q('string')}`;
  return f.optional ? undefined : `${read} === undefined`;
}

/** `let body; try { body = JSON.parse(event.body ?? ''); } catch { … }`: invalid JSON is rejected, not a 500. */
function parseJson(name: string, access: string, s: CodeStyle, type: 'unknown' | 'record'): Line[] {
  const semi = s.semi ? ';' : '';
  const annotation = !s.typescript ? '' : type === 'unknown' ? ': unknown' : ': Record<string, unknown> | undefined';
  return [
    [0, `let ${name}${annotation}${semi}`],
    [0, 'try {'],
    [1, `${name} = JSON.parse(${access} ?? ${s.quote}${s.quote})${semi}`],
    [0, '} catch {'],
    [1, '// Not JSON: rejected below.'],
    [0, '}'],
  ];
}

function badRequest(s: CodeStyle): string {
  const q = quoter(s);
  return `return { statusCode: 400, body: JSON.stringify({ message: ${q('Invalid request')} }) }${s.semi ? ';' : ''}`;
}

function member(obj: string, name: string, optional: boolean, q: (t: string) => string): string {
  return IDENT.test(name) ? `${obj}${optional ? '?.' : '.'}${name}` : `${obj}${optional ? '?.' : ''}[${q(name)}]`;
}

function quoter(s: CodeStyle): (t: string) => string {
  return (t) => s.quote + t.replace(/\\/g, '\\\\').replace(new RegExp(s.quote, 'g'), `\\${s.quote}`) + s.quote;
}

// ---- where it goes --------------------------------------------------------------------------

/** Inserts the guard as the first statements of the body (an expression body becomes a block). */
function bodyEdit(model: HandlerModel, fn: ts.FunctionLikeDeclaration, lines: Line[], s: CodeStyle): TextEdit | undefined {
  const text = model.text;
  const body = fn.body!;
  const render = (indent: string) => lines.map(([d, t]) => indent + s.unit.repeat(d) + t).join(s.eol);
  if (isBlock(body)) {
    const open = body.getStart();
    const first = body.statements[0];
    const lineOf = (pos: number) => model.sf.getLineAndCharacterOfPosition(pos).line;
    const sameLine = first && lineOf(first.getStart()) === lineOf(open);
    const indent = first && !sameLine ? lineIndent(text, first.getStart()) : lineIndent(text, open) + s.unit;
    // After `{`, or at the end of its line when only a comment follows.
    let at = open + 1;
    const lineEnd = text.indexOf('\n', at);
    const rest = text.slice(at, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '');
    if (/^\s*(\/\/.*)?$/.test(rest)) at += rest.length;
    // `{ return x; }` on one line: the statement moves to a line of its own, at the guard's indentation.
    const end = sameLine ? at + /^[ \t]*/.exec(text.slice(at))![0].length : at;
    const tail = sameLine ? s.eol + indent : !first && lineOf(body.end) === lineOf(open) ? s.eol + lineIndent(text, open) : '';
    return { start: at, end, newText: s.eol + render(indent) + tail };
  }
  if (!isArrowFunction(fn)) return undefined;
  // From `=>` on: `=> expr` becomes `=> {` guard `return expr;` `}` (comments before expr are kept).
  const arrow = fn.equalsGreaterThanToken;
  const outer = lineIndent(text, arrow.getStart());
  const inner = outer + s.unit;
  const between = text.slice(arrow.end, body.getStart()).trim();
  const expr = text.slice(body.getStart(), body.end);
  // A comment between `=>` and the expression goes on its own line: after `return` it would end the statement.
  const comments = between ? between.split(/\r?\n/).map((l) => `${inner}${l.trim()}${s.eol}`).join('') : '';
  const newText = ` {${s.eol}${render(inner)}${s.eol}${comments}${inner}return ${expr}${s.semi ? ';' : ''}${s.eol}${outer}}`;
  return { start: arrow.end, end: body.end, newText };
}

/** `import { z } from 'zod'` after the module's imports (or `const { z } = require('zod')`). */
function importEdit(model: HandlerModel, s: CodeStyle): TextEdit {
  const q = quoter(s);
  const semi = s.semi ? ';' : '';
  const line = s.esm ? `import { z } from ${q('zod')}${semi}` : `const { z } = require(${q('zod')})${semi}`;
  const statements = model.sf.statements;
  const isImport = (st: ts.Statement) => s.esm
    ? isImportDeclaration(st) || isImportEqualsDeclaration(st)
    : isVariableStatement(st) && st.declarationList.declarations.some((d) => !!d.initializer && isRequire(d.initializer));
  const last = [...statements].reverse().find(isImport);
  if (last) return { start: last.end, end: last.end, newText: s.eol + line };
  const first = statements[0];
  if (first && isExpressionStatement(first) && isStringLiteral(first.expression)) return { start: first.end, end: first.end, newText: s.eol + line };
  if (!first) return { start: model.text.length, end: model.text.length, newText: line + s.eol };
  const at = first.getStart(model.sf, true);
  return { start: at, end: at, newText: line + s.eol + s.eol };
}

function isRequire(e: ts.Expression): boolean {
  while (isPropertyAccessExpression(e) || isParenthesizedExpression(e)) e = e.expression;
  return isCallExpression(e) && isIdentifier(e.expression) && e.expression.text === 'require';
}

/** The local name zod's `z` has in the module, or `z` to import. */
function zodBinding(model: HandlerModel): { name: string; existing: boolean } {
  const top = (i: ImportInfo) => isImportDeclaration(i.node) || (isVariableDeclaration(i.node) && isSourceFile(i.node.parent.parent.parent));
  for (const i of model.imports) {
    if (!ZOD.test(i.specifier) || !top(i)) continue;
    for (const [local, imported] of i.names) if (imported === 'z' || imported === '*' || imported === 'default') return { name: local, existing: true };
  }
  return { name: 'z', existing: false };
}

// ---- names ----------------------------------------------------------------------------------

/** Every identifier written in the function: a new local must not shadow or clash with any. */
function namesIn(fn: ts.Node): Set<string> {
  const out = new Set<string>();
  const stack: ts.Node[] = [fn];
  let budget = 50_000;
  while (stack.length && budget-- > 0) {
    const n = stack.pop()!;
    if (isIdentifier(n) && !isPropertyName(n)) out.add(n.text);
    forEachChild(n, (c) => { stack.push(c); });
  }
  return out;
}

function topLevelNames(model: HandlerModel): Set<string> {
  return namesIn(model.sf);
}

function unique(taken: Set<string>, base: string): string {
  const candidates = [base, `request${base[0].toUpperCase()}${base.slice(1)}`, `parsed${base[0].toUpperCase()}${base.slice(1)}`];
  let name = candidates.find((c) => !taken.has(c));
  for (let i = 2; !name; i++) if (!taken.has(`${base}${i}`)) name = `${base}${i}`;
  taken.add(name);
  return name;
}
