// Function settings as Lambda will see them: the function's own value, else the shared one
// (Serverless `provider`, SAM `Globals.Function`), else the framework's default. Pure.
import type { Span } from '../api';
import type { TemplateModel, FunctionModel } from '../template/model';
import { get, getPath, str, rawStr, items, spanOf, intrinsic, isScalar, type Node } from '../template/yaml';
import { refName } from '../template/build';

/** How a function is declared: a Serverless Framework function, a SAM function, a plain Lambda. */
export type FunctionFlavor = 'serverless' | 'sam' | 'lambda';

export function flavorOf(fn: FunctionModel): FunctionFlavor {
  const type = str(get(fn.node, 'Type'));
  if (type === 'AWS::Serverless::Function') return 'sam';
  if (type === 'AWS::Lambda::Function') return 'lambda';
  return 'serverless';
}

/** The map that holds a function's settings: the Serverless function body, or the resource's `Properties`. */
export function settingsNode(fn: FunctionModel): Node | undefined {
  return flavorOf(fn) === 'serverless' ? fn.node : get(fn.node, 'Properties');
}

export const provider = (t: TemplateModel): Node | undefined => (t.kind === 'serverless' ? get(t.doc.contents, 'provider', t.doc) : undefined);
export const globalsFunction = (t: TemplateModel): Node | undefined => getPath(t.doc.contents, ['Globals', 'Function'], t.doc);

/** False for Serverless Framework services on another cloud (`provider.name: google`, `openwhisk`, …). */
export function isAws(t: TemplateModel): boolean {
  if (t.kind !== 'serverless') return true;
  const name = str(get(provider(t), 'name', t.doc));
  return name === undefined || name === 'aws';
}

export interface Setting {
  /** Where the value comes from. */
  where: 'function' | 'provider' | 'globals' | 'default';
  /** The value node (undefined for a default). */
  node?: Node;
  span?: Span;
}

/**
 * A function setting with its fallback: `key` on the function (`slsKey` for Serverless), then
 * `provider.<slsKey>` / SAM `Globals.Function.<key>`; plain Lambda functions have no fallback.
 */
export function functionSetting(t: TemplateModel, fn: FunctionModel, key: string, slsKey = key): Setting {
  const flavor = flavorOf(fn);
  const own = get(settingsNode(fn), flavor === 'serverless' ? slsKey : key, t.doc);
  if (own !== undefined) return { where: 'function', node: own, span: spanOf(own) };
  if (flavor === 'serverless') {
    const p = get(provider(t), slsKey, t.doc);
    if (p !== undefined) return { where: 'provider', node: p, span: spanOf(p) };
  } else if (flavor === 'sam') {
    const g = get(globalsFunction(t), key, t.doc);
    if (g !== undefined) return { where: 'globals', node: g, span: spanOf(g) };
  }
  return { where: 'default' };
}

/**
 * A number written in the template: a literal, a `!Ref` to a parameter with a numeric default,
 * or a Serverless `${self:…}` variable that points at a literal. Anything else is unknown.
 */
export function resolveNumber(t: TemplateModel, node: Node | undefined, depth = 0): number | undefined {
  if (node === undefined || depth > 4) return undefined;
  const i = intrinsic(node, t.doc);
  if (i) {
    if (i.fn !== 'Ref') return undefined;
    const name = refName(node);
    const param = t.parameters.find((p) => p.name === name);
    return param?.default ? resolveNumber(t, param.default.node, depth + 1) : undefined;
  }
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  // `${self:custom.timeout}` (exactly one variable, no fallback): follow it inside this file.
  const m = /^\$\{self:([\w.-]+)\}$/.exec(s);
  if (m && t.kind === 'serverless') {
    const target = getPath(t.doc.contents, m[1].split('.'), t.doc);
    return resolveNumber(t, target, depth + 1);
  }
  return undefined;
}

export const DEFAULT_TIMEOUT: Record<FunctionFlavor, number> = { serverless: 6, sam: 3, lambda: 3 };
export const MAX_TIMEOUT = 900;

export interface Timeout extends Setting {
  /** Seconds, or undefined when the template does not say (a variable, a condition). */
  seconds: number | undefined;
}

/** The function's timeout in seconds: own `timeout`/`Timeout`, `provider.timeout` / `Globals.Function.Timeout`, else 6 s (Serverless) or 3 s (SAM, Lambda). */
export function functionTimeout(t: TemplateModel, fn: FunctionModel): Timeout {
  const s = functionSetting(t, fn, 'Timeout', 'timeout');
  if (s.where === 'default') return { ...s, seconds: DEFAULT_TIMEOUT[flavorOf(fn)] };
  return { ...s, seconds: resolveNumber(t, s.node) };
}

/** Serverless Framework's logical id for a function (`hello-world` → `HelloDashworldLambdaFunction`). */
export function slsLogicalId(name: string): string {
  const n = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${n.charAt(0).toUpperCase()}${n.slice(1)}LambdaFunction`;
}

/** The logical id CloudFormation knows the function by. */
export function logicalId(fn: FunctionModel): string {
  return flavorOf(fn) === 'serverless' ? slsLogicalId(fn.name) : fn.name;
}

/** Does `node` (a `FunctionName`, `Endpoint`, `Arn`, …) point at the function? `!Ref`, `!GetAtt`, `!Sub ${Fn.Arn}`. */
export function pointsAtFunction(t: TemplateModel, node: Node | undefined, fn: FunctionModel): boolean {
  const id = logicalId(fn);
  const ref = refName(node);
  if (ref !== undefined) return ref === id;
  const i = intrinsic(node, t.doc);
  const text = subText(t, node);
  return text !== undefined && new RegExp(`\\$\\{${escapeRegExp(id)}(\\.Arn)?\\}`).test(text);
}

/** The template string of a `!Sub` (either form, with or without a variable map). */
export function subText(t: TemplateModel, node: Node | undefined): string | undefined {
  const i = intrinsic(node, t.doc);
  if (i?.fn !== 'Fn::Sub') return undefined;
  return rawStr(i.arg) ?? rawStr(items(i.arg, t.doc)[0]);
}

/** `true`, `'true'`, `Active`: an enabled flag as Serverless and SAM write them. */
export function isOn(node: Node | undefined): boolean {
  return /^(true|active)$/i.test(str(node) ?? '');
}

/** A logical id is a template key: any text, matched literally. */
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
