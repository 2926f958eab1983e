// The interpreter's expressions and calls (statements are in statements.ts). Local functions get
// a summary (what flows from each parameter to the return value and to sinks) that is
// instantiated at each call; closures and callbacks are analysed inline because they see the
// caller's variables; local modules are followed through the workspace, three levels deep.
import ts from 'typescript';
import type { HandlerModel } from '../handler/model';
import type { Workspace } from '../api';
import type { Family, Label, SinkInfo, Value } from './types';
import { Env, declKey } from './env';
import {
  CLEAN, allLabels, clear, clearLabels, derived, isTainted, join, liveFor, union, unionLabels, withStep, elementOf, copiedLabels, parsed,
} from './values';
import { declarationOf, localFunction, isInside } from './scope';
import { moduleRef, memberPath, requireOf, skipParens, globalName } from './modules';
import { matchSinks, propName, htmlContentType, objectLiteral, type SinkArg, type SinkMatch } from './sinks';
import { sanitizedCall, escapesRegex } from './sanitizers';
import { factsOf, type Fact, type GuardHost } from './guards';
import { isTrustedField } from './sources';
import { substitute, type Hit, type Summary } from './summaries';
import { ACCESSORS, CLEAN_METHODS, ESCAPING_TAGS, ITERATION, MUTATORS, TRANSFORM_METHODS, isTransformNamespace } from './builtins';
import { spanOf, isFunctionExpr, skipOuterParens, isPlainRead, calleeText } from './syntax';
import { StatementWalker, MAX_DEPTH, type Frame } from './statements';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  isArrayLiteralExpression,
  isArrowFunction,
  isAsExpression,
  isAwaitExpression,
  isBinaryExpression,
  isBindingElement,
  isBlock,
  isCallExpression,
  isComputedPropertyName,
  isConditionalExpression,
  isDeleteExpression,
  isElementAccessExpression,
  isFunctionExpression,
  isIdentifier,
  isNewExpression,
  isNonNullExpression,
  isNumericLiteral,
  isObjectLiteralExpression,
  isOmittedExpression,
  isParenthesizedExpression,
  isPostfixUnaryExpression,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isReturnStatement,
  isSatisfiesExpression,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isStringLiteralLike,
  isTaggedTemplateExpression,
  isTemplateExpression,
  isTypeAssertionExpression,
  isTypeOfExpression,
  isVoidExpression,
  SyntaxKind,
} = ts;

export type { Hit, Summary } from './summaries';

/** Families input cannot harm once a fixed origin precedes it. */
const HOST_FAMILIES: readonly Family[] = ['url', 'redirect'];
const TAINTED = '\u0001';
const CONSTANT = '\u0000';

/** The text so far fixes the host: `https://host/`, `//host?`, `/path`, `?query`, or a constant (a configured base URL) then `/`. */
function fixesHost(prefix: string): boolean {
  return /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#\\@\u0000\u0001]+[/?#]/i.test(prefix) || /^\/[^/\\\u0000\u0001]/.test(prefix) ||
    /^[?#]/.test(prefix) || /^\u0000[/?#]/.test(prefix);
}

/** What of a value reaches one sink argument, by family (a Mongo filter holds several). */
function sinkParts(v: Value, a: SinkArg, family: Family): Array<{ family: Family; labels: readonly Label[]; detail?: string }> {
  if (a.filter) {
    const out: Array<{ family: Family; labels: readonly Label[]; detail?: string }> = [];
    filterParts(v, out, 0);
    return out;
  }
  if (!a.fields) return [{ family, labels: allLabels(v), detail: a.detail }];
  if (!v.fields) return a.fieldsOnly ? [] : [{ family, labels: allLabels(v), detail: a.detail }];
  const out: Array<{ family: Family; labels: readonly Label[]; detail?: string }> = [];
  const want = (k: string) => (a.ci ? a.fields!.some((x) => x.toLowerCase() === k.toLowerCase()) : a.fields!.includes(k));
  for (const [k, x] of v.fields) if (want(k)) out.push({ family, labels: allLabels(x), detail: a.detail === 'Location' ? 'Location' : k });
  // Fields of unknown name (`{ ...body }`, `o[k] = x`) may be any of them.
  const unknown = unionLabels(v.labels, v.rest);
  if (unknown.length) out.push({ family, labels: unknown, detail: a.detail });
  return out;
}

/** Operators whose operands are filters again; every other `$op` compares its operand literally. */
const LOGICAL = new Set(['$and', '$or', '$nor', '$not', '$elemMatch', '$expr']);

function filterParts(v: Value, out: Array<{ family: Family; labels: readonly Label[]; detail?: string }>, depth: number): void {
  // The filter (or a field's value) itself may be an object the caller shaped.
  const own = unionLabels(v.labels, v.rest);
  if (own.length) out.push({ family: 'object', labels: own });
  if (!v.fields || depth > 8) return;
  for (const [k, x] of v.fields) {
    if (k === '$where' || k === '$function' || k === '$accumulator') out.push({ family: 'nosql', labels: allLabels(x), detail: '$where' });
    else if (k === '$regex') out.push({ family: 'regex', labels: allLabels(x), detail: '$regex' });
    else if (!k.startsWith('$') || LOGICAL.has(k)) filterParts(x, out, depth + 1);
  }
}

/** A local module the analysis read, to tell later whether a memoised result is still current. */
export interface Dep { from: HandlerModel; specifier: string; model: HandlerModel | undefined }

const MAX_MODULE_DEPTH = 3;
const MAX_SUMMARY_DEPTH = 6;
const MAX_INLINE_DEPTH = 4;

/**
 * One analyzer serves every entry of a module version: function summaries are computed once and
 * shared by all entries (and so by every taint rule). `workspace` is the lint's current one.
 */
export class Analyzer extends StatementWalker {
  readonly deps: Dep[] = [];
  private readonly depKeys = new Set<string>();
  private readonly summaries = new Map<ts.FunctionLikeDeclaration, Summary | 'pending'>();
  private readonly inlineStack = new Set<ts.FunctionLikeDeclaration>();

  constructor(public workspace: Workspace | undefined) {
    super();
  }

  /** Runs an entry function with `input` bound to its first parameter; returns the sink hits. */
  runEntry(model: HandlerModel, fn: ts.FunctionLikeDeclaration, input: Value): Hit[] {
    this.resetBudget();
    this.inlineStack.clear();
    const f: Frame = { model, root: fn, returns: [], hits: [], breaks: [], moduleDepth: 0, summaryDepth: 0, inlineDepth: 0 };
    const env = new Env();
    fn.parameters.forEach((p, i) => this.bindName(p.name, i === 0 ? input : CLEAN, env, f, undefined));
    this.runBody(fn, env, f);
    return f.hits;
  }

  // ---------- expressions ----------

  eval(e: ts.Expression, env: Env, f: Frame): Value {
    if (this.depth > MAX_DEPTH || --this.budget < 0) return CLEAN;
    this.tick();
    this.depth++;
    try {
      return this.evalInner(e, env, f);
    } finally {
      this.depth--;
    }
  }

  private evalInner(e: ts.Expression, env: Env, f: Frame): Value {
    if (isIdentifier(e)) return this.readIdentifier(e, env);
    if (isParenthesizedExpression(e) || isAsExpression(e) || isNonNullExpression(e) || isSatisfiesExpression(e) ||
      isTypeAssertionExpression(e) || isAwaitExpression(e)) return this.eval(e.expression, env, f);
    if (isPropertyAccessExpression(e)) {
      const base = this.eval(e.expression, env, f);
      if (e.name.text === 'length') return CLEAN;
      return this.refined(this.member(base, e.name.text, `.${e.name.text}`, e.expression, e, f), e, env);
    }
    if (isElementAccessExpression(e)) {
      const base = this.eval(e.expression, env, f);
      const a = skipParens(e.argumentExpression);
      if (isStringLiteralLike(a) || isNumericLiteral(a)) {
        const suffix = isNumericLiteral(a) ? `[${a.text}]` : /^[A-Za-z_$][\w$]*$/.test(a.text) ? `.${a.text}` : `['${a.text}']`;
        return this.refined(this.member(base, a.text, suffix, e.expression, e, f), e, env);
      }
      // A computed key into a clean table yields a clean value (a lookup is an allow-list).
      this.eval(a, env, f);
      return this.member(base, undefined, isIdentifier(a) ? `[${a.text}]` : '[]', e.expression, e, f);
    }
    if (isCallExpression(e)) return this.evalCall(e, env, f);
    if (isNewExpression(e)) {
      const args = (e.arguments ?? []).map((a) => (isFunctionExpr(a) ? (this.callInline(skipParens(a) as ts.FunctionLikeDeclaration, [], env, f), CLEAN) : this.eval(isSpreadElement(a) ? a.expression : a, env, f)));
      const sinks = this.recordSinks(e, args, f);
      if (sinks) return sinks.some((m) => m.result === 'parsed') ? parsed(union(...args)) : CLEAN;
      if (isIdentifier(e.expression) && e.expression.text === 'Promise') return CLEAN;
      return derived(union(...args));
    }
    if (isTemplateExpression(e)) return this.evalPieces([e], env, f);
    if (isTaggedTemplateExpression(e)) {
      const parts = isTemplateExpression(e.template) ? e.template.templateSpans.map((s) => this.eval(s.expression, env, f)) : [];
      const tag = moduleRef(e.tag);
      return tag && ESCAPING_TAGS.has(tag.module) ? CLEAN : derived(union(...parts));
    }
    if (isBinaryExpression(e)) return this.evalBinary(e, env, f);
    if (isConditionalExpression(e)) {
      this.eval(e.condition, env, f);
      const host = this.guardHost(env, f);
      const yes = env.clone();
      const no = env.clone();
      this.applyFacts(yes, factsOf(e.condition, true, host));
      this.applyFacts(no, factsOf(e.condition, false, host));
      return union(this.eval(e.whenTrue, yes, f), this.eval(e.whenFalse, no, f));
    }
    if (isPrefixUnaryExpression(e) || isPostfixUnaryExpression(e)) {
      this.eval(e.operand, env, f);
      const op = e.operator;
      if (op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken) this.assign(e.operand, CLEAN, env, f, false);
      return CLEAN;
    }
    if (isTypeOfExpression(e) || isVoidExpression(e) || isDeleteExpression(e)) {
      this.eval(e.expression, env, f);
      return CLEAN;
    }
    if (isObjectLiteralExpression(e)) return this.evalObject(e, env, f);
    if (isArrayLiteralExpression(e)) {
      return derived(union(...e.elements.map((el) => (isOmittedExpression(el) ? CLEAN : this.eval(isSpreadElement(el) ? el.expression : el, env, f)))));
    }
    if (isSpreadElement(e)) return this.eval(e.expression, env, f);
    return CLEAN;
  }

  private readIdentifier(id: ts.Identifier, env: Env): Value {
    if (id.text === 'undefined') return CLEAN;
    const decl = declarationOf(id);
    if (!decl) return CLEAN;
    let v = env.vars.get(decl);
    if (!v) return CLEAN;
    // The entry parameter itself: the source is where it is read.
    if (v.labels.some((l) => l.origin.kind === 'source' && !l.span)) {
      v = { ...v, labels: v.labels.map((l) => (l.origin.kind === 'source' && !l.span ? { ...l, span: spanOf(id) } : l)) };
    }
    const fams = env.refined.get(declKey(decl));
    return fams ? clear(v, fams) : v;
  }

  private refined(v: Value, e: ts.Expression, env: Env): Value {
    const key = this.keyOf(e);
    const fams = key && env.refined.get(key);
    return fams ? clear(v, fams) : v;
  }

  /**
   * Reads a member of a value: a known field of an object literal we built, or the value's taint
   * with the access appended (so the description names `event.pathParameters.file`).
   */
  protected member(base: Value, key: string | undefined, suffix: string, baseNode: ts.Node | undefined, node: ts.Node, f: Frame): Value {
    if (base.fields) {
      const own = key !== undefined ? base.fields.get(key) ?? { labels: base.rest ?? [] } : derived(base);
      // Taint written through a computed key (`o[k] = x`) may be in any field.
      return base.labels.length ? union(own, { labels: base.labels }) : own;
    }
    if (!base.labels.length) return CLEAN;
    const labels: Label[] = [];
    for (const l of base.labels) {
      if (!l.exact) { labels.push(l); continue; }
      const access = l.access + suffix;
      if (l.origin.kind === 'source' && isTrustedField(l.origin.input, access)) continue;
      let span = l.span;
      if (l.origin.kind === 'source' && l.origin.uri === f.model.uri) {
        // Widen the source span while the read is one plain access chain (`event.a.b`) or pattern.
        if (baseNode ? !span || (span.start === baseNode.getStart() && span.end === baseNode.end) : !span || (span.start <= node.getStart() && node.end <= span.end)) {
          span = spanOf(isBindingElement(node) ? node.name : node);
        }
      }
      labels.push({ ...l, access, span });
    }
    return { labels };
  }

  private evalObject(e: ts.ObjectLiteralExpression, env: Env, f: Frame): Value {
    const fields = new Map<string, Value>();
    let rest: readonly Label[] = [];
    for (const p of e.properties) {
      if (isPropertyAssignment(p)) {
        const v = this.eval(p.initializer, env, f);
        const k = isComputedPropertyName(p.name) ? undefined : propName(p.name);
        if (isComputedPropertyName(p.name)) this.eval(p.name.expression, env, f);
        if (k === undefined) rest = unionLabels(rest, allLabels(v));
        else fields.set(k, v);
      } else if (isShorthandPropertyAssignment(p)) {
        fields.set(p.name.text, this.readIdentifier(p.name, env));
      } else if (isSpreadAssignment(p)) {
        const v = this.eval(p.expression, env, f);
        if (v.fields) {
          for (const [k, x] of v.fields) fields.set(k, x);
          rest = unionLabels(rest, v.rest);
        } else {
          // Unknown fields of a tainted object: any field may be tainted, even ones set before.
          const d = copiedLabels(v);
          rest = unionLabels(rest, d);
          for (const [k, x] of fields) fields.set(k, { labels: unionLabels(allLabels(x), d) });
        }
      }
    }
    const out: Value = { labels: [], fields, rest };
    if (isTainted(out)) this.responseSinks(e, out, f);
    return out;
  }

  private evalBinary(e: ts.BinaryExpression, env: Env, f: Frame): Value {
    const op = e.operatorToken.kind;
    switch (op) {
      case SyntaxKind.EqualsToken: {
        const v = this.eval(e.right, env, f);
        this.assign(e.left, v, env, f, false);
        return v;
      }
      case SyntaxKind.PlusEqualsToken:
      case SyntaxKind.BarBarEqualsToken:
      case SyntaxKind.QuestionQuestionEqualsToken:
      case SyntaxKind.AmpersandAmpersandEqualsToken: {
        const v = union(this.eval(e.left, env, f), this.eval(e.right, env, f));
        this.assign(e.left, op === SyntaxKind.PlusEqualsToken ? derived(v) : v, env, f, false);
        return v;
      }
      case SyntaxKind.PlusToken: {
        // Flatten the left spine: generated code concatenates thousands of terms.
        const parts: ts.Expression[] = [];
        let x: ts.Expression = e;
        while (isBinaryExpression(x) && x.operatorToken.kind === SyntaxKind.PlusToken) {
          parts.push(x.right);
          x = skipParens(x.left);
        }
        parts.push(x);
        return this.evalPieces(parts.reverse(), env, f);
      }
      case SyntaxKind.BarBarToken:
      case SyntaxKind.QuestionQuestionToken:
      case SyntaxKind.AmpersandAmpersandToken:
        return union(this.eval(e.left, env, f), this.eval(e.right, env, f));
      case SyntaxKind.CommaToken:
        this.eval(e.left, env, f);
        return this.eval(e.right, env, f);
    }
    if (op >= SyntaxKind.FirstCompoundAssignment && op <= SyntaxKind.LastCompoundAssignment) {
      this.eval(e.right, env, f);
      this.assign(e.left, CLEAN, env, f, false);
      return CLEAN;
    }
    // Comparisons and arithmetic produce booleans and numbers.
    this.eval(e.left, env, f);
    this.eval(e.right, env, f);
    return CLEAN;
  }

  // ---------- calls ----------

  private evalCall(call: ts.CallExpression, env: Env, f: Frame): Value {
    const callee = skipParens(call.expression);
    if (requireOf(call) !== undefined) return CLEAN;
    if (callee.kind === SyntaxKind.ImportKeyword) {
      this.recordSinks(call, call.arguments.map((a) => this.eval(a, env, f)), f);
      return CLEAN;
    }
    const isMember = isPropertyAccessExpression(callee) || isElementAccessExpression(callee);
    const recv = isMember ? this.eval(callee.expression, env, f) : undefined;
    const method = isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    const argVals = call.arguments.map((a) => (isFunctionExpr(a) ? CLEAN : this.eval(isSpreadElement(a) ? a.expression : a, env, f)));

    // Callbacks see the caller's variables; iteration callbacks get the receiver's elements.
    let cbReturn = CLEAN;
    const el = recv && method && ITERATION.has(method) && isTainted(recv) ? elementOf(recv) : CLEAN;
    const cbArgs = method === 'reduce' || method === 'reduceRight' ? [union(el, argVals[1] ?? CLEAN), el] : [el];
    for (const a of call.arguments) {
      const x = skipParens(a);
      if (isArrowFunction(x) || isFunctionExpression(x)) cbReturn = union(cbReturn, this.callInline(x, cbArgs, env, f));
      else if (isIdentifier(x) && method && ITERATION.has(method)) {
        const fn = localFunction(x);
        if (fn) cbReturn = union(cbReturn, this.callFunction(fn, f.model, cbArgs, call, env, f));
      }
    }

    const sinks = this.recordSinks(call, argVals, f);
    if (sinks) return sinks.some((m) => m.result === 'parsed') ? parsed(union(...argVals)) : CLEAN;
    // JSON.parse (and qs) turn text into any object the caller likes.
    const g = globalName(callee);
    if (g === 'JSON.parse') return parsed(union(...argVals));
    const parser = moduleRef(callee);
    if (parser && (parser.module === 'qs' || parser.module === 'querystring') && memberPath(parser) === 'parse') return parsed(union(...argVals));
    const host = { valueOf: (x: ts.Expression) => argVals[call.arguments.indexOf(x)] ?? this.eval(x, env, f), keyOf: (x: ts.Expression) => this.keyOf(x) };
    const sanitized = sanitizedCall(call, host);
    if (sanitized) return sanitized;

    const fn = localFunction(callee);
    if (fn) return this.callFunction(fn, f.model, argVals, call, env, f);
    const ref = moduleRef(callee);
    if (ref?.module.startsWith('.')) {
      const r = this.callImported(ref.module, memberPath(ref) || 'default', argVals, call, env, f);
      if (r) return r;
    }
    if (isPropertyAccessExpression(callee) && recv && method) return this.methodCall(callee, method, recv, argVals, cbReturn, call, env, f);
    // An unknown function: assume its result carries its arguments (decodeURIComponent, String, …),
    // unless it is awaited: then it is I/O (a fetch, a query), whose result is not the input.
    if (isAwaitExpression(skipOuterParens(call.parent))) return CLEAN;
    return derived(union(...argVals, cbReturn));
  }

  private methodCall(callee: ts.PropertyAccessExpression, method: string, recv: Value, args: Value[], cbReturn: Value, call: ts.CallExpression, env: Env, f: Frame): Value {
    if (CLEAN_METHODS.has(method)) return CLEAN;
    if (isTainted(recv) && escapesRegex(call)) return clear(derived(union(recv, ...args)), ['regex']);
    if (isTainted(recv)) {
      const lit = call.arguments[0] && isStringLiteralLike(call.arguments[0]) ? call.arguments[0].text : undefined;
      if (ACCESSORS.has(method) && lit !== undefined && !recv.fields) {
        return { labels: recv.labels.map((l) => (l.exact ? { ...l, access: `${l.access}.${method}('${lit}')`, exact: false } : l)) };
      }
      return derived(union(recv, ...args, cbReturn));
    }
    if (MUTATORS.has(method) && args.some(isTainted)) this.assign(callee.expression, union(...args), env, f, true);
    if (method === 'assign' && globalName(callee.expression) === 'Object' && call.arguments[0]) {
      const v = union(...args);
      this.assign(call.arguments[0], union(...args.slice(1)), env, f, true);
      return v;
    }
    if (TRANSFORM_METHODS.has(method) || isTransformNamespace(callee.expression)) return derived(union(...args, cbReturn));
    // A method of some other object (an SDK client, a database): its result is not the input.
    return CLEAN;
  }

  /** Records taint reaching the sinks `node` is; undefined when it is no sink. */
  private recordSinks(node: ts.CallExpression | ts.NewExpression, args: Value[], f: Frame): SinkMatch[] | undefined {
    const ms = matchSinks(node);
    if (!ms.length) return undefined;
    for (const m of ms) {
      for (const a of m.args) {
        const v = args[a.index];
        if (!v) continue;
        for (const part of sinkParts(v, a, m.family)) this.hit(node, m, a, part.family, part.labels, part.detail, f);
      }
    }
    return ms;
  }

  private hit(node: ts.Node, m: Pick<SinkMatch, 'kind'>, a: Pick<SinkArg, 'index' | 'shell'>, family: Family, labels: readonly Label[], detail: string | undefined, f: Frame): void {
    const live = liveFor(labels, family);
    if (!live.length) return;
    const callee = isCallExpression(node) || isNewExpression(node) ? node.expression.getText() : m.kind;
    const sink: SinkInfo = {
      uri: f.model.uri, span: spanOf(node), line: f.model.sf.getLineAndCharacterOfPosition(node.getStart()).line + 1,
      kind: m.kind, family, callee: callee.length > 60 ? callee.slice(0, 59) + '…' : callee, argIndex: a.index, shell: a.shell,
      ...(detail ? { detail } : {}),
    };
    for (const label of live) f.hits.push({ label, sink });
  }

  /**
   * A string joined from pieces (template literal or `+`): input after a fixed origin
   * (`https://api.example.com/…`, `${BASE}/…`, `/users/…`) cannot choose the host a request or
   * redirect goes to, so those pieces are safe for the `url` and `redirect` families.
   */
  private evalPieces(parts: ts.Expression[], env: Env, f: Frame): Value {
    let prefix = '';
    const vals: Value[] = [];
    const piece = (v: Value) => {
      vals.push(fixesHost(prefix) ? clear(v, HOST_FAMILIES) : v);
      prefix += isTainted(v) ? TAINTED : CONSTANT;
    };
    for (const p of parts) {
      const x = skipParens(p);
      if (isStringLiteralLike(x)) { prefix += x.text; continue; }
      if (isTemplateExpression(x)) {
        prefix += x.head.text;
        for (const span of x.templateSpans) {
          piece(this.eval(span.expression, env, f));
          prefix += span.literal.text;
        }
        continue;
      }
      piece(this.eval(x, env, f));
    }
    return derived(union(...vals));
  }

  /** A Lambda proxy response (`{ statusCode, headers, body }`): its Location header and HTML body are sinks. */
  private responseSinks(e: ts.ObjectLiteralExpression, v: Value, f: Frame): void {
    const prop = (o: ts.ObjectLiteralExpression, name: RegExp) => o.properties.find((p) => !!p.name && name.test(propName(p.name) ?? ''));
    if (!prop(e, /^statusCode$/) && !(prop(e, /^headers$/) && prop(e, /^body$/))) return;
    const fieldCi = (x: Value | undefined, name: RegExp) => (x?.fields ? [...x.fields].find(([k]) => name.test(k)) : undefined);
    for (const hk of ['headers', 'multiValueHeaders']) {
      const hv = v.fields?.get(hk);
      const loc = fieldCi(hv, /^location$/i);
      if (!hv || !loc) continue;
      const hp = prop(e, new RegExp(`^${hk}$`))!;
      const ho = isPropertyAssignment(hp) ? objectLiteral(hp.initializer) : undefined;
      const lp = ho && ho.parent === hp ? prop(ho, /^location$/i) : undefined;
      this.hit(lp ?? hp, { kind: 'Location header' }, { index: 0, shell: false }, 'redirect', allLabels(loc[1]), 'Location', f);
    }
    const body = v.fields?.get('body');
    const hp = prop(e, /^headers$/);
    const headers = hp && (isPropertyAssignment(hp) ? hp.initializer : isShorthandPropertyAssignment(hp) ? hp.name : undefined);
    if (body && headers && htmlContentType(headers)) {
      this.hit(prop(e, /^body$/)!, { kind: 'HTML response' }, { index: 0, shell: false }, 'html', allLabels(body), 'body', f);
    }
  }

  /** A function declared in some module: inline when it closes over the root's locals, else a summary. */
  private callFunction(fn: ts.FunctionLikeDeclaration, model: HandlerModel, args: Value[], call: ts.CallExpression, env: Env, f: Frame): Value {
    if (model === f.model && isInside(fn, f.root)) {
      return this.callInline(fn, args.map((a, i) => withStep(a, this.step(f, call.arguments[i] ?? call, `passed to \`${calleeText(call)}\``))), env, f);
    }
    // A summary only carries its parameters' taint (it starts from placeholders, and module
    // state reads as clean): with clean arguments it instantiates to nothing, so skip it.
    if (!args.some(isTainted)) return CLEAN;
    const summary = this.summarize(fn, model, f);
    return this.instantiate(summary, args, call, f);
  }

  private callImported(specifier: string, exportName: string, args: Value[], call: ts.CallExpression, env: Env, f: Frame): Value | undefined {
    if (!this.workspace || f.moduleDepth >= MAX_MODULE_DEPTH || !args.some(isTainted)) return undefined;
    const target = this.workspace.importedModule(f.model, specifier);
    const key = `${f.model.uri}\0${specifier}`;
    if (!this.depKeys.has(key)) {
      this.depKeys.add(key);
      this.deps.push({ from: f.model, specifier, model: target });
    }
    const fn = target?.exports.get(exportName)?.fn;
    if (!target || !fn) return undefined;
    return this.callFunction(fn, target, args, call, env, { ...f, moduleDepth: f.moduleDepth + 1 });
  }

  private callInline(fn: ts.FunctionLikeDeclaration, args: Value[], env: Env, f: Frame): Value {
    if (f.inlineDepth >= MAX_INLINE_DEPTH || this.inlineStack.has(fn)) return CLEAN;
    const inner = env.clone();
    const sub: Frame = { ...f, returns: [], breaks: [], inlineDepth: f.inlineDepth + 1 };
    fn.parameters.forEach((p, i) => {
      let v = p.dotDotDotToken ? union(...args.slice(i)) : args[i] ?? CLEAN;
      if (p.initializer) v = union(v, this.eval(p.initializer, inner, sub));
      this.bindName(p.name, v, inner, sub, undefined);
    });
    this.inlineStack.add(fn);
    const ret = this.runBody(fn, inner, sub);
    this.inlineStack.delete(fn);
    // Writes to the caller's variables (`cmd = …` inside a callback) are visible afterwards.
    for (const [k, v] of inner.vars) {
      const old = env.vars.get(k);
      if (v !== old && !isInside(k, fn)) env.vars.set(k, join(old, v));
    }
    return ret;
  }

  private summarize(fn: ts.FunctionLikeDeclaration, model: HandlerModel, f: Frame): Summary {
    const cached = this.summaries.get(fn);
    if (cached === 'pending') return { returns: CLEAN, hits: [] };
    if (cached) return cached;
    if (f.summaryDepth >= MAX_SUMMARY_DEPTH) return { returns: CLEAN, hits: [] };
    this.summaries.set(fn, 'pending');
    const sub: Frame = { model, root: fn, returns: [], hits: [], breaks: [], moduleDepth: f.moduleDepth, summaryDepth: f.summaryDepth + 1, inlineDepth: 0 };
    const env = new Env();
    fn.parameters.forEach((p, i) => {
      const label: Label = { origin: { kind: 'param', index: i, rest: !!p.dotDotDotToken }, access: '', exact: true, steps: [], cleared: [] };
      this.bindName(p.name, { labels: [label] }, env, sub, undefined);
    });
    const returns = this.runBody(fn, env, sub);
    const s: Summary = { returns, hits: sub.hits };
    this.summaries.set(fn, s);
    return s;
  }

  /** Replaces parameter labels of a summary by the taint of the actual arguments. */
  private instantiate(s: Summary, args: Value[], call: ts.CallExpression, f: Frame): Value {
    const note = `passed to \`${calleeText(call)}\``;
    const { hits, returns } = substitute(s, args, (i) => this.step(f, call.arguments[i] ?? call, note), f.model.uri, spanOf(call));
    f.hits.push(...hits);
    return returns;
  }

  // ---------- guards ----------

  protected guardHost(env: Env, f: Frame): GuardHost {
    // Guards are evaluated for their facts only: findings inside them were recorded already.
    const quiet: Frame = { ...f, hits: [], returns: [], breaks: [] };
    // Plain reads cannot change the environment; anything else runs on a copy.
    const peek = (e: ts.Expression) => this.eval(e, isPlainRead(e) ? env : env.clone(), quiet);
    const host: GuardHost = {
      valueOf: peek,
      keyOf: (e) => this.keyOf(e),
      isClean: (e) => !isTainted(peek(e)),
      validatesOf: (e) => {
        const x = skipParens(e);
        return isIdentifier(x) || isPropertyAccessExpression(x) || isElementAccessExpression(x) || isCallExpression(x) ? peek(x).validates : undefined;
      },
      callFacts: (call, positive) => this.predicateFacts(call, positive, f),
    };
    return host;
  }

  /** `isSafeName(x)` where `isSafeName = (s) => /^\w+$/.test(s)`: the callee's facts about its parameters. */
  private predicateFacts(call: ts.CallExpression, positive: boolean, f: Frame): Fact[] {
    const fn = localFunction(call.expression);
    if (!fn?.body || this.inlineStack.has(fn)) return [];
    let ret: ts.Expression | undefined;
    if (!isBlock(fn.body)) ret = fn.body;
    else if (fn.body.statements.length === 1 && isReturnStatement(fn.body.statements[0])) ret = fn.body.statements[0].expression;
    if (!ret) return [];
    const params = new Map<string, number>();
    fn.parameters.forEach((p, i) => { if (isIdentifier(p.name)) params.set(declKey(p.name), i); });
    const inner = new Env();
    const quiet: Frame = { ...f, root: fn, hits: [], returns: [], breaks: [] };
    fn.parameters.forEach((p, index) => {
      if (isIdentifier(p.name)) inner.vars.set(p.name, { labels: [{ origin: { kind: 'param', index, rest: false }, access: '', exact: true, steps: [], cleared: [] }] });
    });
    this.inlineStack.add(fn);
    const facts = factsOf(ret, positive, this.guardHost(inner, quiet));
    this.inlineStack.delete(fn);
    const out: Fact[] = [];
    for (const fact of facts) {
      const m = /^(k\d+)(.*)$/.exec(fact.key);
      const i = m ? params.get(m[1]) : undefined;
      const arg = i !== undefined ? call.arguments[i] : undefined;
      const argKey = arg && this.keyOf(arg);
      if (argKey) out.push({ key: argKey + m![2], families: fact.families });
    }
    return out;
  }

}

