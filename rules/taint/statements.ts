// Statements in order over abstract values: branches clone the environment and merge after, so
// a guard that returns or throws protects only the code after it; loops run twice (enough for
// taint to cross into the next iteration); bindings and assignments keep per-field taint.
// Expressions and calls are the subclass's job (propagate.ts).
import ts from 'typescript';
import type { HandlerModel } from '../handler/model';
import { AnalysisStopped } from '../api';
import type { Step, Value } from './types';
import { ALL_FAMILIES } from './types';
import { Env, declKey } from './env';
import { CLEAN, derived, isTainted, union, withStep, elementOf, withoutFields, setField } from './values';
import { declarationOf } from './scope';
import { skipParens } from './modules';
import { propName } from './sinks';
import { factsOf, assertionFacts, isHostKey, type Fact, type GuardHost } from './guards';
import type { Hit } from './summaries';
import { spanOf, isPlainRead } from './syntax';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  isArrayLiteralExpression,
  isAwaitExpression,
  isBlock,
  isBreakStatement,
  isCallExpression,
  isCaseClause,
  isComputedPropertyName,
  isContinueStatement,
  isDoStatement,
  isElementAccessExpression,
  isExpressionStatement,
  isForInStatement,
  isForOfStatement,
  isForStatement,
  isIdentifier,
  isIfStatement,
  isLabeledStatement,
  isNewExpression,
  isNumericLiteral,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isOmittedExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isReturnStatement,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isStringLiteralLike,
  isSwitchStatement,
  isThrowStatement,
  isTryStatement,
  isVariableDeclarationList,
  isVariableStatement,
  isWhileStatement,
} = ts;

export interface Frame {
  model: HandlerModel;
  /** The function whose locals the environment models (entry or summarised function). */
  root: ts.FunctionLikeDeclaration;
  returns: Value[];
  hits: Hit[];
  /** Environments leaving the innermost loop/switch through break/continue. */
  breaks: Env[][];
  moduleDepth: number;
  summaryDepth: number;
  inlineDepth: number;
}

/** Deeper nesting (generated code) is not analysed rather than overflowing the stack. */
export const MAX_DEPTH = 200;
/** Evaluation steps per entry: a huge module degrades to fewer findings, not a hang. */
const BUDGET = 200_000;

/** Steps between looks at the clock (a look costs about a microsecond). */
const CLOCK_EVERY = 1024;

export abstract class StatementWalker {
  protected budget = BUDGET;
  protected depth = 0;
  /** CPU milliseconds left for the lint (the engine's per-file limit); unlimited when absent. */
  timeLeft: (() => number) | undefined;
  private ticks = 0;

  /** Throws AnalysisStopped once the lint's time is up; checked every CLOCK_EVERY steps. */
  protected tick(): void {
    if (this.timeLeft && this.ticks++ % CLOCK_EVERY === 0 && this.timeLeft() <= 0) throw new AnalysisStopped();
  }

  /** A fresh step budget for the next entry (summaries computed for earlier entries are kept). */
  protected resetBudget(): void {
    this.budget = BUDGET;
    this.depth = 0;
  }

  abstract eval(e: ts.Expression, env: Env, f: Frame): Value;
  /** Reads field `key` of a value (suffix `.key` / `[0]` extends the description). */
  protected abstract member(base: Value, key: string | undefined, suffix: string, baseNode: ts.Node | undefined, node: ts.Node, f: Frame): Value;
  protected abstract guardHost(env: Env, f: Frame): GuardHost;

  // ---------- statements ----------

  protected runBody(fn: ts.FunctionLikeDeclaration, env: Env, f: Frame): Value {
    if (!fn.body) return CLEAN;
    if (isBlock(fn.body)) {
      this.execBlock(fn.body.statements, env, f);
      return union(...f.returns);
    }
    return this.eval(fn.body, env, f);
  }

  /** Returns true when the block always leaves (return/throw/break/continue). */
  protected execBlock(stmts: readonly ts.Statement[], env: Env, f: Frame): boolean {
    for (const s of stmts) if (this.exec(s, env, f)) return true;
    return false;
  }

  protected exec(s: ts.Statement, env: Env, f: Frame): boolean {
    // Long `else if` chains nest: bound the recursion like expressions.
    if (--this.budget < 0 || this.depth > MAX_DEPTH) return false;
    this.tick();
    this.depth++;
    try {
      return this.execInner(s, env, f);
    } finally {
      this.depth--;
    }
  }

  protected execInner(s: ts.Statement, env: Env, f: Frame): boolean {
    if (isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        this.bindName(d.name, d.initializer ? this.eval(d.initializer, env, f) : CLEAN, env, f, d.initializer);
      }
      return false;
    }
    if (isExpressionStatement(s)) {
      this.eval(s.expression, env, f);
      const call = skipParens(isAwaitExpression(s.expression) ? s.expression.expression : s.expression);
      if (isCallExpression(call)) this.applyFacts(env, assertionFacts(call, this.guardHost(env, f)));
      return false;
    }
    if (isBlock(s)) return this.execBlock(s.statements, env, f);
    if (isIfStatement(s)) return this.execIf(s, env, f);
    if (isReturnStatement(s)) {
      const v = s.expression ? this.eval(s.expression, env, f) : CLEAN;
      f.returns.push(s.expression ? withStep(v, this.step(f, s.expression, 'returned')) : v);
      return true;
    }
    if (isThrowStatement(s)) {
      this.eval(s.expression, env, f);
      return true;
    }
    if (isBreakStatement(s) || isContinueStatement(s)) {
      f.breaks[f.breaks.length - 1]?.push(env.clone());
      return true;
    }
    if (isForOfStatement(s) || isForInStatement(s)) {
      const iterable = this.eval(s.expression, env, f);
      const element = isForOfStatement(s) ? elementOf(iterable) : derived(iterable);
      return this.loop(env, f, (e) => {
        if (isVariableDeclarationList(s.initializer)) for (const d of s.initializer.declarations) this.bindName(d.name, element, e, f, undefined);
        else this.assign(s.initializer, element, e, f, false);
        return this.exec(s.statement, e, f);
      });
    }
    if (isForStatement(s)) {
      if (s.initializer) {
        if (isVariableDeclarationList(s.initializer)) {
          for (const d of s.initializer.declarations) this.bindName(d.name, d.initializer ? this.eval(d.initializer, env, f) : CLEAN, env, f, d.initializer);
        } else this.eval(s.initializer, env, f);
      }
      return this.loop(env, f, (e) => {
        if (s.condition) { this.eval(s.condition, e, f); this.applyFacts(e, factsOf(s.condition, true, this.guardHost(e, f))); }
        const t = this.exec(s.statement, e, f);
        if (s.incrementor) this.eval(s.incrementor, e, f);
        return t;
      });
    }
    if (isWhileStatement(s) || isDoStatement(s)) {
      return this.loop(env, f, (e) => {
        this.eval(s.expression, e, f);
        if (isWhileStatement(s)) this.applyFacts(e, factsOf(s.expression, true, this.guardHost(e, f)));
        return this.exec(s.statement, e, f);
      });
    }
    if (isTryStatement(s)) return this.execTry(s, env, f);
    if (isSwitchStatement(s)) return this.execSwitch(s, env, f);
    if (isLabeledStatement(s)) return this.exec(s.statement, env, f);
    return false;
  }

  protected execIf(s: ts.IfStatement, env: Env, f: Frame): boolean {
    this.eval(s.expression, env, f);
    const host = this.guardHost(env, f);
    const yes = env.clone();
    const no = env.clone();
    this.applyFacts(yes, factsOf(s.expression, true, host));
    this.applyFacts(no, factsOf(s.expression, false, host));
    const yesLeaves = this.exec(s.thenStatement, yes, f);
    const noLeaves = s.elseStatement ? this.exec(s.elseStatement, no, f) : false;
    // A branch that returns or throws does not reach the code after the `if`: that is a guard.
    const merged = Env.merge([...(yesLeaves ? [] : [yes]), ...(noLeaves ? [] : [no])]);
    if (!merged) return true;
    env.replaceWith(merged);
    return false;
  }

  /** Runs a loop body twice (enough for taint to cross one iteration into the next). */
  protected loop(env: Env, f: Frame, body: (e: Env) => boolean): boolean {
    const exits: Env[] = [];
    f.breaks.push(exits);
    const first = env.clone();
    const firstLeaves = body(first);
    const second = Env.merge([env, ...(firstLeaves ? [] : [first]), ...exits])!;
    const secondLeaves = body(second);
    f.breaks.pop();
    // The body may run zero times, so the state before the loop reaches the code after it.
    env.replaceWith(Env.merge([env, first, ...(secondLeaves ? [] : [second]), ...exits])!);
    return false;
  }

  protected execTry(s: ts.TryStatement, env: Env, f: Frame): boolean {
    const inTry = env.clone();
    const tryLeaves = this.execBlock(s.tryBlock.statements, inTry, f);
    const ends: Env[] = tryLeaves ? [] : [inTry];
    if (s.catchClause) {
      // An exception can come from anywhere in the try block: start from both ends.
      const inCatch = Env.merge([env, inTry])!;
      const d = s.catchClause.variableDeclaration;
      if (d) this.bindName(d.name, CLEAN, inCatch, f, undefined);
      if (!this.execBlock(s.catchClause.block.statements, inCatch, f)) ends.push(inCatch);
    }
    const after = Env.merge(ends);
    if (s.finallyBlock) {
      const fin = after ?? Env.merge([env, inTry])!;
      const finLeaves = this.execBlock(s.finallyBlock.statements, fin, f);
      if (!after || finLeaves) return true;
      env.replaceWith(fin);
      return false;
    }
    if (!after) return true;
    env.replaceWith(after);
    return false;
  }

  protected execSwitch(s: ts.SwitchStatement, env: Env, f: Frame): boolean {
    this.eval(s.expression, env, f);
    const key = this.keyOf(s.expression);
    const exits: Env[] = [];
    f.breaks.push(exits);
    let fallthrough: Env | undefined;
    let hasDefault = false;
    for (const c of s.caseBlock.clauses) {
      const entered = env.clone();
      if (isCaseClause(c)) {
        this.eval(c.expression, entered, f);
        // `case 'png':` entered by dispatch, the discriminant equals a constant.
        const lit = skipParens(c.expression);
        if (key && (isStringLiteralLike(lit) || isNumericLiteral(lit))) entered.refine(key, ALL_FAMILIES);
      } else hasDefault = true;
      const e = Env.merge([entered, ...(fallthrough ? [fallthrough] : [])])!;
      fallthrough = this.execBlock(c.statements, e, f) ? undefined : e;
    }
    f.breaks.pop();
    const merged = Env.merge([...exits, ...(fallthrough ? [fallthrough] : []), ...(hasDefault ? [] : [env])]);
    if (!merged) return true;
    env.replaceWith(merged);
    return false;
  }

  // ---------- bindings ----------

  /** Binds a declaration's name (or pattern) to the value of its initializer `init`. */
  protected bindName(name: ts.BindingName, value: Value, env: Env, f: Frame, init: ts.Expression | undefined): void {
    this.bindPattern(name, value, env, f, init, init && this.plainKey(init));
  }

  /** `srcKey`: the property path the bound value is a plain copy of, if any (for aliases). */
  private bindPattern(name: ts.BindingName, value: Value, env: Env, f: Frame, init: ts.Expression | undefined, srcKey: string | undefined): void {
    if (isIdentifier(name)) {
      env.vars.set(name, init && isTainted(value) ? withStep(value, this.step(f, name, `\`${name.text}\``)) : value);
      env.invalidate(declKey(name));
      if (srcKey) env.aliases.set(declKey(name), srcKey);
      return;
    }
    if (isObjectBindingPattern(name)) {
      const taken: string[] = [];
      for (const el of name.elements) {
        let v: Value;
        let key: string | undefined;
        if (el.dotDotDotToken) v = withoutFields(value, taken);
        else {
          const keyNode = el.propertyName ?? el.name;
          key = isComputedPropertyName(keyNode) ? undefined : isIdentifier(keyNode) || isStringLiteralLike(keyNode) || isNumericLiteral(keyNode) ? keyNode.text : undefined;
          if (isComputedPropertyName(keyNode)) this.eval(keyNode.expression, env, f);
          if (key !== undefined) taken.push(key);
          v = key === undefined ? derived(value) : this.member(value, key, `.${key}`, undefined, el, f);
        }
        if (el.initializer) v = union(v, this.eval(el.initializer, env, f));
        const sub = srcKey && key !== undefined && !el.dotDotDotToken && !el.initializer ? `${srcKey}.${key}` : undefined;
        this.bindPattern(el.name, v, env, f, init, sub);
      }
      return;
    }
    name.elements.forEach((el, i) => {
      if (isOmittedExpression(el)) return;
      let v = el.dotDotDotToken ? value : this.member(value, String(i), `[${i}]`, undefined, el, f);
      if (el.initializer) v = union(v, this.eval(el.initializer, env, f));
      this.bindPattern(el.name, v, env, f, init, srcKey && !el.dotDotDotToken && !el.initializer ? `${srcKey}.${i}` : undefined);
    });
  }

  /** The refinement key of an initializer that merely reads a variable or property path. */
  protected plainKey(e: ts.Expression): string | undefined {
    if (isPlainRead(e)) return this.keyOf(e);
    // `new URL(input)`: a check of the URL's host is a check of the input's.
    const x = skipParens(e);
    if (isNewExpression(x) && isIdentifier(x.expression) && x.expression.text === 'URL' && x.arguments?.length === 1 && isPlainRead(x.arguments[0])) return this.keyOf(x.arguments[0]);
    return undefined;
  }

  /** Assignment to an identifier, a property path, or a destructuring pattern. */
  protected assign(target: ts.Expression, value: Value, env: Env, f: Frame, compound: boolean): void {
    target = skipParens(target);
    if (isIdentifier(target)) {
      const decl = declarationOf(target);
      if (!decl) return;
      const v = compound ? union(env.vars.get(decl) ?? CLEAN, value) : value;
      env.vars.set(decl, isTainted(value) ? withStep(v, this.step(f, target, `\`${target.text}\``)) : v);
      env.invalidate(declKey(decl));
      return;
    }
    if (isPropertyAccessExpression(target) || isElementAccessExpression(target)) {
      const path: string[] = [];
      let base: ts.Expression = target;
      while (isPropertyAccessExpression(base) || isElementAccessExpression(base)) {
        if (isPropertyAccessExpression(base)) path.unshift(base.name.text);
        else {
          const a = skipParens(base.argumentExpression);
          if (!(isStringLiteralLike(a) || isNumericLiteral(a))) this.eval(a, env, f);
          path.unshift(isStringLiteralLike(a) || isNumericLiteral(a) ? a.text : '*');
        }
        base = skipParens(base.expression);
      }
      if (!isIdentifier(base)) { this.eval(base, env, f); return; }
      const decl = declarationOf(base);
      if (!decl) return;
      const old = env.vars.get(decl) ?? CLEAN;
      env.vars.set(decl, setField(old, path, value, compound));
      const key = this.keyOf(target);
      if (key) env.invalidate(key);
      return;
    }
    if (isObjectLiteralExpression(target)) {
      for (const p of target.properties) {
        if (isShorthandPropertyAssignment(p)) this.assign(p.name, this.member(value, p.name.text, `.${p.name.text}`, undefined, p, f), env, f, false);
        else if (isPropertyAssignment(p)) {
          const k = propName(p.name);
          this.assign(p.initializer, k === undefined ? derived(value) : this.member(value, k, `.${k}`, undefined, p, f), env, f, false);
        } else if (isSpreadAssignment(p)) this.assign(p.expression, value, env, f, false);
      }
      return;
    }
    if (isArrayLiteralExpression(target)) {
      target.elements.forEach((el, i) => {
        if (isOmittedExpression(el)) return;
        if (isSpreadElement(el)) this.assign(el.expression, value, env, f, false);
        else this.assign(el, this.member(value, String(i), `[${i}]`, undefined, el, f), env, f, false);
      });
    }
  }

  // ---------- guards ----------

  protected applyFacts(env: Env, facts: Fact[]): void {
    for (const fact of facts) {
      env.refine(fact.key, fact.families);
      // An allow-listed `url.hostname` makes `url` (and the string it was parsed from) safe to fetch or redirect to.
      if (isHostKey(fact.key) && fact.families.includes('url')) env.refine(fact.key.replace(/\.[^.]+$/, ''), ['url', 'redirect']);
    }
  }

  /** Refinement key: a variable, or a property path below one (`k3.body.cmd`). */
  protected keyOf(e: ts.Expression): string | undefined {
    e = skipParens(e);
    if (isIdentifier(e)) {
      const d = declarationOf(e);
      return d && declKey(d);
    }
    if (isPropertyAccessExpression(e)) {
      const b = this.keyOf(e.expression);
      return b && `${b}.${e.name.text}`;
    }
    if (isElementAccessExpression(e)) {
      const a = skipParens(e.argumentExpression);
      const b = this.keyOf(e.expression);
      return b && (isStringLiteralLike(a) || isNumericLiteral(a)) ? `${b}.${a.text}` : undefined;
    }
    return undefined;
  }

  protected step(f: Frame, n: ts.Node, note: string): Step {
    return { uri: f.model.uri, span: spanOf(n), note };
  }
}
