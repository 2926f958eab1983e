// Where secrets hide, per file kind: every template scalar (named by its key, its parameter or
// its environment variable), every string literal and comment in code, every dotenv value.
import ts from 'typescript';
import { visit as visitYaml, isPair, isMap } from 'yaml';
import type { Span } from '../api';
import type { TemplateModel } from '../template/model';
import type { HandlerModel } from '../handler/model';
import { partOf } from '../handler/build';
import { indexSubtree, anyWithin } from '../handler/syntax-index';
import type { DotenvModel } from '../dotenv/model';
import { keyName, get, str, innerSpan } from '../template/yaml';
import { matchFormats, AWS_SECRET_KEY, looksLikeAwsSecretKey, type SecretFormat } from './formats';
import { isSecretName, scoreSecret, type Strength } from './score';
import { embeddedServiceAccount, serviceAccountProject, GOOGLE_SERVICE_ACCOUNT_KEY } from './service-account';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  forEachChild,
  isAsExpression,
  isBinaryExpression,
  isBindingElement,
  isCallExpression,
  isElementAccessExpression,
  isExportDeclaration,
  isIdentifier,
  isImportDeclaration,
  isNoSubstitutionTemplateLiteral,
  isParameter,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isPropertyDeclaration,
  isSatisfiesExpression,
  isStringLiteral,
  isStringLiteralLike,
  isTemplateExpression,
  isVariableDeclaration,
  SyntaxKind,
} = ts;

export interface SecretHit {
  /** The whole literal/scalar content span (what a fix replaces). */
  valueSpan: Span;
  /** The secret itself inside the value. */
  span: Span;
  secret: string;
  /** Variable/key/parameter name the value is stored under, when there is one. */
  name?: string;
  format?: SecretFormat;
  strength: Strength;
  /** True when the secret is the whole value (safe to replace the value with a reference). */
  whole: boolean;
  /** For code: the literal node; for templates: the scalar node. */
  node?: unknown;
  inComment?: boolean;
  /** Google service-account keys: the project the key belongs to. */
  project?: string;
}

function hitsIn(value: string, valueStart: number, name: string | undefined, allowGeneric: boolean): SecretHit[] {
  const out: SecretHit[] = [];
  // A whole service-account key file pasted into a value: one finding, on its private key.
  const sa = embeddedServiceAccount(value);
  if (sa) {
    return [{
      valueSpan: { start: valueStart, end: valueStart + value.length },
      span: { start: valueStart + sa.index, end: valueStart + sa.index + sa.length },
      secret: sa.key, name, format: GOOGLE_SERVICE_ACCOUNT_KEY, strength: 'high', whole: true, project: sa.project,
    }];
  }
  for (const m of matchFormats(value)) {
    out.push({
      valueSpan: { start: valueStart, end: valueStart + value.length },
      span: { start: valueStart + m.index, end: valueStart + m.index + m.secret.length },
      secret: m.secret, name, format: m.format, strength: 'high',
      whole: m.secret.length === value.trim().length,
    });
  }
  if (!out.length && allowGeneric && name && isSecretName(name)) {
    // `Bearer <token>` / `Basic <b64>` in headers: score the credential part.
    const auth = /^(Bearer|Basic|Token|token)\s+(\S+)$/.exec(value.trim());
    const secret = auth ? auth[2] : value;
    const strength = scoreSecret(auth ? 'token' : name, secret);
    if (strength) {
      const off = value.indexOf(secret);
      out.push({
        valueSpan: { start: valueStart, end: valueStart + value.length },
        span: { start: valueStart + off, end: valueStart + off + secret.length },
        secret, name, strength, whole: !auth,
      });
    }
  }
  return out;
}

/** Adds the unnamed halves of AWS key pairs: 40-char keys in a file that has an access key id. */
function addAwsPairs(hits: SecretHit[], candidates: { value: string; span: Span; node?: unknown }[]): SecretHit[] {
  if (!hits.some((h) => h.format?.id === 'aws-access-key-id')) return hits;
  for (const c of candidates) {
    if (!looksLikeAwsSecretKey(c.value) || hits.some((h) => h.span.start <= c.span.start && c.span.start < h.span.end)) continue;
    hits.push({ valueSpan: c.span, span: c.span, secret: c.value, format: AWS_SECRET_KEY, strength: 'high', whole: true, node: c.node });
  }
  return hits;
}

// ---------- templates ----------

export function templateSecrets(t: TemplateModel): SecretHit[] {
  const out: SecretHit[] = [];
  const candidates: { value: string; span: Span; node?: unknown }[] = [];
  const envByNode = new Map(t.environment.map((e) => [e.value.node, e.name]));
  visitYaml(t.doc, {
    Scalar(_key, node, path) {
      if (typeof node.value !== 'string' || node.tag?.startsWith('!')) return;
      const parent = path[path.length - 1];
      if (!isPair(parent) || parent.value !== node) return; // keys and sequence items are not values
      let name = keyName(parent);
      // Parameters: the Default of a parameter is named by the parameter.
      const grand = path[path.length - 2];
      const owner = path[path.length - 3];
      if (name === 'Default' && isPair(owner) && isMap(grand)) name = keyName(owner) ?? name;
      // { Name: X, Value: secret } lists (ECS, CodeBuild, Glue): named by Name.
      if (name === 'Value' && isMap(grand)) name = str(get(grand, 'Name')) ?? name;
      name = envByNode.get(node) ?? name;
      if (name && /^(Description|Metadata|Label|Comment)$/.test(name)) return;
      const span = innerSpan(node, t.text);
      if (!span) return;
      // Block scalars keep their own indentation: search the value within the source span.
      const raw = t.text.slice(span.start, span.end);
      const value = node.value;
      const start = raw === value ? span.start : span.start + Math.max(0, raw.indexOf(value.split('\n')[0]));
      for (const hit of hitsIn(value, start, name, true)) {
        // Escapes and block indentation shift offsets: point at the whole scalar rather than elsewhere.
        if (raw !== value && t.text.slice(hit.span.start, hit.span.end) !== value.slice(hit.span.start - start, hit.span.end - start)) hit.span = span;
        out.push({ ...hit, node, valueSpan: span, whole: hit.whole && raw === value });
      }
      if (raw === value && value.length === 40) candidates.push({ value, span, node });
    },
  });
  return addAwsPairs(out, candidates);
}

// ---------- code ----------

/** The name a literal is stored under: variable, property, assignment target, parameter, header. */
function nameOf(node: ts.Node): string | undefined {
  const p = node.parent;
  if (!p) return undefined;
  if (isVariableDeclaration(p) && p.initializer === node && isIdentifier(p.name)) return p.name.text;
  if (isPropertyAssignment(p) && p.initializer === node) {
    const n = p.name;
    return isIdentifier(n) || isStringLiteral(n) || isNoSubstitutionTemplateLiteral(n) ? n.text : undefined;
  }
  if (isBinaryExpression(p) && p.right === node && p.operatorToken.kind === SyntaxKind.EqualsToken) {
    const l = p.left;
    if (isIdentifier(l)) return l.text;
    if (isPropertyAccessExpression(l)) return l.name.text;
    if (isElementAccessExpression(l) && isStringLiteralLike(l.argumentExpression)) return l.argumentExpression.text;
  }
  if (isParameter(p) && p.initializer === node && isIdentifier(p.name)) return p.name.text;
  if (isBindingElement(p) && p.initializer === node && isIdentifier(p.name)) return p.name.text;
  if (isPropertyDeclaration(p) && p.initializer === node && isIdentifier(p.name)) return p.name.text;
  // headers.set('Authorization', '…'), setHeader('x-api-key', '…')
  if (isCallExpression(p) && p.arguments.length >= 2 && p.arguments[1] === node && isStringLiteralLike(p.arguments[0]) && /^[\w-]+$/.test(p.arguments[0].text)) {
    const method = isPropertyAccessExpression(p.expression) ? p.expression.name.text : isIdentifier(p.expression) ? p.expression.text : '';
    if (/^(set|append|setHeader|header|setRequestHeader|add)$/.test(method)) return p.arguments[0].text;
  }
  // `process.env.X || 'fallback'` / `?? 'fallback'`: the fallback is a hardcoded X.
  if (isBinaryExpression(p) && p.right === node && (p.operatorToken.kind === SyntaxKind.BarBarToken || p.operatorToken.kind === SyntaxKind.QuestionQuestionToken)) {
    const l = p.left;
    if (isPropertyAccessExpression(l)) return l.name.text;
    if (isElementAccessExpression(l) && isStringLiteralLike(l.argumentExpression)) return l.argumentExpression.text;
    if (isIdentifier(l)) return l.text;
  }
  if (isAsExpression(p) || isParenthesizedExpression(p) || isSatisfiesExpression(p)) return nameOf(p);
  return undefined;
}

export function codeSecrets(h: HandlerModel): SecretHit[] {
  const sf = h.sf;
  const strings: SecretHit[] = [];
  const comments: SecretHit[] = [];
  const candidates: Candidate[] = [];
  for (const st of sf.statements) {
    const part = statementSecrets(st, sf);
    const by = st.pos - part.pos;
    for (const x of part.strings) strings.push(by ? moveHit(x, by) : x);
    for (const x of part.comments) comments.push(by ? moveHit(x, by) : x);
    for (const c of part.candidates) candidates.push(by ? { ...c, span: moveSpan(c.span, by) } : c);
  }
  // Comments after the last statement.
  const tail = sf.statements.length ? sf.statements[sf.statements.length - 1].end : 0;
  comments.push(...commentHits(sf, sf.endOfFileToken, tail, sf.text.length));
  return addAwsPairs([...strings, ...comments], candidates);
}

type Candidate = { value: string; span: Span; node?: unknown };

/** What one top-level statement holds, at the positions it had when read (`pos`: the statement's then). */
interface StatementSecrets { pos: number; strings: SecretHit[]; comments: SecretHit[]; candidates: Candidate[] }

/**
 * Per statement node: a statement's literals and comments are read from its own subtree and text
 * (leading comments included), so an incremental parse's untouched statements keep what was found
 * in them, moved with them.
 */
const perStatement = new WeakMap<ts.Statement, StatementSecrets>();

function moveSpan(s: Span, by: number): Span {
  return { start: s.start + by, end: s.end + by };
}
function moveHit(h: SecretHit, by: number): SecretHit {
  return { ...h, span: moveSpan(h.span, by), valueSpan: moveSpan(h.valueSpan, by) };
}

function statementSecrets(st: ts.Statement, sf: ts.SourceFile): StatementSecrets {
  const known = perStatement.get(st);
  if (known) return known;
  const out: StatementSecrets = { pos: st.pos, strings: [], comments: [], candidates: [] };
  // The statement's string-like nodes in source order, from the walk the handler rules share.
  const strings = (partOf(st)?.index ?? indexSubtree(st)).strings;
  for (const n of strings) {
    if (isStringLiteral(n) || isNoSubstitutionTemplateLiteral(n)) {
      // Import specifiers and property keys are not values.
      if (!(isImportDeclaration(n.parent) || isExportDeclaration(n.parent) || (isPropertyAssignment(n.parent) && n.parent.name === n))) {
        const start = n.getStart(sf) + 1;
        const raw = sf.text.slice(start, n.getEnd() - 1);
        // Escapes change offsets; only locate exactly when the source spells the value as is.
        if (raw === n.text && n.text.length === 40) out.candidates.push({ value: n.text, span: { start, end: start + 40 }, node: n });
        for (const hit of hitsIn(n.text, start, nameOf(n), true)) {
          if (raw !== n.text) hit.span = { start: n.getStart(sf), end: n.getEnd() };
          out.strings.push({ ...hit, node: n, valueSpan: { start: n.getStart(sf), end: n.getEnd() } });
        }
      }
    } else {
      // Only known formats in the constant parts: `postgres://app:${pw}@db` has no secret.
      const parts: ts.TemplateLiteralLikeNode[] = [n.head, ...n.templateSpans.map((s) => s.literal)];
      for (const part of parts) {
        const text = part.text;
        const start = part.getStart(sf) + 1;
        for (const hit of hitsIn(text, start, undefined, false)) out.strings.push({ ...hit, whole: false, node: n });
      }
    }
  }
  out.comments = commentHits(sf, st, st.pos, st.end);
  perStatement.set(st, out);
  return out;
}

// Comments: known formats only (a pasted key in a comment is still leaked). Comment ranges come
// from the tree's trivia, so `//` inside strings and templates is never taken for a comment.
function commentHits(sf: ts.SourceFile, root: ts.Node, pos: number, end: number): SecretHit[] {
  const out: SecretHit[] = [];
  for (const c of commentRanges(sf, root, pos, end)) {
    const text = sf.text.slice(c.pos, c.end);
    for (const hit of hitsIn(text, c.pos, undefined, false)) out.push({ ...hit, whole: false, inComment: true });
  }
  return out;
}

/**
 * The comments in [pos, end) of the file, whose syntax there is `root`, in order. A comment
 * starts with `//` or `/*` outside literal tokens (strings, template parts, regular expressions,
 * JSX text), so one pass over the tree collects the literals and one pass over the text finds the
 * comments between them. (Walking every token with getChildren finds the same comments but
 * allocates a node per token: far slower.)
 */
export function commentRanges(sf: ts.SourceFile, root: ts.Node = sf, pos = 0, end = sf.text.length): ts.CommentRange[] {
  const text = sf.text;
  const slashes: number[] = [];
  for (let k = text.indexOf('/', pos); k !== -1 && k < end; k = text.indexOf('/', k + 1)) slashes.push(k);
  if (slashes.length === 0) return [];
  /** Is there a `/` in [from, to)? */
  const hasSlash = (from: number, to: number): boolean => anyWithin(slashes, from, to);
  const literals: number[] = [];
  const collect = (n: ts.Node): void => {
    // A node without a slash in its text holds no comment, nor a literal that looks like one.
    if (!hasSlash(n.pos, n.end)) return;
    switch (n.kind) {
      case SyntaxKind.JsxText:
        literals.push(n.pos, n.end);
        return;
      case SyntaxKind.StringLiteral:
      case SyntaxKind.NoSubstitutionTemplateLiteral:
      case SyntaxKind.TemplateHead:
      case SyntaxKind.TemplateMiddle:
      case SyntaxKind.TemplateTail:
      case SyntaxKind.RegularExpressionLiteral:
        literals.push(n.getStart(sf), n.end);
        return;
    }
    forEachChild(n, collect);
  };
  collect(root);
  const out: ts.CommentRange[] = [];
  let li = 0;
  let i = pos;
  if (pos === 0 && text.startsWith('#!')) {
    // A shebang line is not a comment.
    i = text.indexOf('\n');
    if (i === -1) return out;
  }
  for (;;) {
    i = text.indexOf('/', i);
    if (i === -1 || i >= end) break;
    while (li < literals.length && literals[li + 1] <= i) li += 2;
    if (li < literals.length && literals[li] <= i) {
      i = literals[li + 1];
      continue;
    }
    const next = text.charCodeAt(i + 1);
    if (next === 47 /* / */) {
      let e = i + 2;
      while (e < text.length && !isLineBreak(text.charCodeAt(e))) e++;
      out.push({ pos: i, end: e, kind: SyntaxKind.SingleLineCommentTrivia, hasTrailingNewLine: e < text.length });
      i = e;
    } else if (next === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      const e = close === -1 ? text.length : close + 2;
      out.push({ pos: i, end: e, kind: SyntaxKind.MultiLineCommentTrivia });
      i = e;
    } else i++;
  }
  return out;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

// ---------- dotenv ----------

export function dotenvSecrets(d: DotenvModel): SecretHit[] {
  return d.entries.flatMap((e) => {
    const hits = hitsIn(e.value, e.valueSpan.start, e.name, true);
    // An AWS credentials file names its secret key: say what it is rather than "a secret".
    if (d.format === 'aws-credentials' && /^aws_secret_access_key$/i.test(e.name) && looksLikeAwsSecretKey(e.value.trim())) {
      return hits.map((h) => (h.format ? h : { ...h, format: AWS_NAMED_SECRET_KEY, strength: 'high' as const }));
    }
    return hits;
  });
}

const AWS_NAMED_SECRET_KEY: SecretFormat = { ...AWS_SECRET_KEY, name: 'AWS secret access key' };

// ---------- key files ----------

/**
 * A JSON key file reports its private key once (a service-account key as such); its other fields
 * (ids, emails, URLs) are not read.
 */
export function jsonKeyFileSecrets(d: DotenvModel): SecretHit[] {
  const field = (name: string) => d.entries.find((e) => e.name === name);
  const pk = field('private_key');
  if (!pk) return [];
  const raw = d.text.slice(pk.valueSpan.start, pk.valueSpan.end);
  // Only a key exactly as written can be pointed into; otherwise the whole value is the span.
  const hits = hitsIn(pk.value, pk.valueSpan.start, pk.name, true).map((h) => (raw === pk.value ? h : { ...h, span: pk.valueSpan }));
  if (!hits.length) return [];
  const hit = { ...hits[0], valueSpan: pk.valueSpan };
  if (field('type')?.value === 'service_account' && hit.format?.id === 'private-key') {
    return [{ ...hit, format: GOOGLE_SERVICE_ACCOUNT_KEY, project: serviceAccountProject(field('client_email')?.value, field('project_id')?.value) }];
  }
  return [hit];
}
