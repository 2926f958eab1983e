// The suggested fix: `execSync(`convert ${file} out.png`)` → `execFileSync('convert', [file, 'out.png'])`.
// Offered only when the command line is plain words (a constant program, then arguments split
// on spaces, optionally quoted), so that without a shell each argument is exactly what the
// shell would have passed for benign input. Anything a shell would interpret (pipes,
// redirections, `;`, globs, variables) means the rewrite would change behaviour: no fix.
import { stringPieces, type Piece } from '../taint/string-pieces';
import ts from 'typescript';
import type { Fix, TextEdit } from '../api';
import type { HandlerModel } from '../handler/model';
import { localFunctions } from '../handler/build';
import { moduleRef, memberPath, normaliseModule, requireOf, skipParens } from '../taint/modules';
import { declarationOf, constInitializer } from '../taint/scope';


const TARGET: Record<string, string> = { exec: 'execFile', execSync: 'execFileSync' };
/** Outside quotes these make the shell do something other than split words. */
const SHELL_META = '|&;<>()$`\\*?[]{}~#!\n\r';
/** Words a shell runs itself: there is no program of that name to execFile. */
const BUILTINS = new Set(['cd', 'export', 'source', '.', 'eval', 'exec', 'set', 'unset', 'alias', 'ulimit', 'umask', 'read', 'trap', 'if', 'for', 'while', 'case', 'time', 'command', 'builtin', 'type', 'wait']);

export function execFileFix(model: HandlerModel, call: ts.CallExpression): Fix | undefined {
  const ref = moduleRef(call.expression);
  if (!ref || ref.module !== 'child_process' || ref.promisified) return undefined;
  const target = TARGET[memberPath(ref)];
  const arg = call.arguments[0];
  if (!target || !arg || !optionsAreShellFree(call.arguments.slice(1))) return undefined;
  const pieces = stringPieces(arg);
  const words = pieces && shellWords(pieces);
  if (!words || words.length < 2) return undefined;
  const [program, ...rest] = words;
  if (program.some((p) => 'expr' in p)) return undefined;
  const prog = program.map((p) => (p as { text: string }).text).join('');
  if (!prog || prog.includes('=') || BUILTINS.has(prog) || !rest.some((w) => w.some((p) => 'expr' in p))) return undefined;
  if (pieces.some((p) => 'expr' in p && looksMultiWord(p.expr))) return undefined;

  const q = quoteStyle(model);
  const callee = calleeEdit(model, call, target, q);
  if (!callee) return undefined;
  const args = rest.map((w) => wordText(w, q));
  const edits: TextEdit[] = [
    ...callee,
    { start: arg.getStart(), end: arg.end, newText: `${lit(prog, q)}, [${args.join(', ')}]` },
  ];
  return { title: `Run \`${prog}\` without a shell (${target} with an argument array)`, kind: 'suggestion', edits };
}

/** Splits like a POSIX shell would, or undefined when the shell would do more than split. */
function shellWords(pieces: Piece[]): Piece[][] | undefined {
  const words: Piece[][] = [];
  let cur: Piece[] | undefined;
  let quote: '"' | "'" | undefined;
  const add = (ch: string) => {
    cur ??= [];
    const last = cur[cur.length - 1];
    if (last && 'text' in last) cur[cur.length - 1] = { text: last.text + ch };
    else cur.push({ text: ch });
  };
  for (const p of pieces) {
    if ('expr' in p) {
      (cur ??= []).push(p);
      continue;
    }
    for (const ch of p.text) {
      if (quote === '"') {
        if (ch === '"') quote = undefined;
        else if ('$`\\'.includes(ch)) return undefined;
        else add(ch);
      } else if (quote === "'") {
        if (ch === "'") quote = undefined;
        else add(ch);
      } else if (ch === ' ' || ch === '\t') {
        if (cur) words.push(cur);
        cur = undefined;
      } else if (ch === '"' || ch === "'") {
        quote = ch;
        cur ??= [];
      } else if (SHELL_META.includes(ch)) return undefined;
      else add(ch);
    }
  }
  if (quote) return undefined;
  if (cur) words.push(cur);
  return words;
}

/** `args.join(' ')` is meant to become several words; as one execFile argument it would not. */
function looksMultiWord(e: ts.Expression, depth = 0): boolean {
  e = skipParens(e);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'join') return true;
  if (ts.isIdentifier(e) && depth < 3) {
    const init = constInitializer(e);
    return !!init && looksMultiWord(init, depth + 1);
  }
  return false;
}

function wordText(w: Piece[], q: string): string {
  if (w.length === 1 && 'expr' in w[0]) return exprText(w[0].expr);
  if (w.every((p) => 'text' in p)) return lit(w.map((p) => (p as { text: string }).text).join(''), q);
  return '`' + w.map((p) => ('expr' in p ? '${' + p.expr.getText() + '}' : p.text.replace(/[\\`]|\$\{/g, (m) => '\\' + m))).join('') + '`';
}

function exprText(e: ts.Expression): string {
  const t = e.getText();
  return ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken ? `(${t})` : t;
}

function lit(s: string, q: string): string {
  return q + s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), '\\' + q).replace(/\n/g, '\\n') + q;
}

/** exec's options carry over to execFile unless they ask for a shell (or we cannot see them). */
function optionsAreShellFree(args: readonly ts.Expression[]): boolean {
  for (const a of args) {
    const x = skipParens(a);
    if (ts.isArrowFunction(x) || ts.isFunctionExpression(x)) continue;
    if (ts.isIdentifier(x) && localFunctions(x.getSourceFile()).get(x.text)?.kind === ts.SyntaxKind.FunctionDeclaration) continue;
    if (!ts.isObjectLiteralExpression(x)) return false;
    for (const p of x.properties) {
      if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) return false;
      if (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === 'shell') return false;
    }
  }
  return true;
}

/** The quote character of the child_process import, or single quotes. */
function quoteStyle(model: HandlerModel): string {
  for (const imp of model.imports) {
    if (normaliseModule(imp.specifier) !== 'child_process') continue;
    const raw = imp.node.getText();
    const m = /(['"])(node:)?child_process\1/.exec(raw);
    if (m) return m[1];
  }
  return "'";
}

/** Renames the callee to execFile(Sync), adding the binding next to the existing one when needed. */
function calleeEdit(model: HandlerModel, call: ts.CallExpression, target: string, q: string): TextEdit[] | undefined {
  const callee = skipParens(call.expression);
  if (ts.isPropertyAccessExpression(callee)) return [{ start: callee.name.getStart(), end: callee.name.end, newText: target }];
  if (!ts.isIdentifier(callee)) return undefined;
  const local = existingBinding(model, target);
  if (local) return [{ start: callee.getStart(), end: callee.end, newText: local }];
  // A different `execFile` already in the module would be shadowed or clash: leave it to a human.
  if (localFunctions(model.sf).has(target) || model.imports.some((i) => i.names.has(target))) return undefined;
  const rename: TextEdit = { start: callee.getStart(), end: callee.end, newText: target };
  const decl = declarationOf(callee);
  const p = decl?.parent;
  if (!p) return undefined;
  // import { exec } from 'child_process'
  if (ts.isImportSpecifier(p)) {
    const last = p.parent.elements[p.parent.elements.length - 1];
    return [{ start: last.end, end: last.end, newText: `, ${target}` }, rename];
  }
  // const { exec } = require('child_process')
  if (ts.isBindingElement(p) && ts.isObjectBindingPattern(p.parent)) {
    const last = p.parent.elements[p.parent.elements.length - 1];
    if (last.dotDotDotToken) return undefined;
    return [{ start: last.end, end: last.end, newText: `, ${target}` }, rename];
  }
  // const exec = require('child_process').exec
  if (ts.isVariableDeclaration(p) && p.initializer && ts.isVariableDeclarationList(p.parent) && p.parent.declarations.length === 1 && ts.isVariableStatement(p.parent.parent)) {
    const init = skipParens(p.initializer);
    const spec = ts.isPropertyAccessExpression(init) ? requireOf(init.expression) : undefined;
    if (spec === undefined) return undefined;
    const st = p.parent.parent;
    const kw = p.parent.flags & ts.NodeFlags.Const ? 'const' : p.parent.flags & ts.NodeFlags.Let ? 'let' : 'var';
    const line = model.text.lastIndexOf('\n', st.getStart()) + 1;
    const indent = /^[ \t]*/.exec(model.text.slice(line))![0];
    const semi = st.getText().trimEnd().endsWith(';') ? ';' : '';
    return [{ start: st.end, end: st.end, newText: `\n${indent}${kw} ${target} = require(${q}${spec}${q}).${target}${semi}` }, rename];
  }
  return undefined;
}

/** A local name already bound to child_process's `target`. */
function existingBinding(model: HandlerModel, target: string): string | undefined {
  for (const imp of model.imports) {
    if (normaliseModule(imp.specifier) !== 'child_process') continue;
    for (const [local, imported] of imp.names) {
      if (imported === target) return local;
      // const execFile = require('child_process').execFile
      const n = imp.node;
      if (imported === '*' && local === target && ts.isVariableDeclaration(n) && n.initializer) {
        const init = skipParens(n.initializer);
        if (ts.isPropertyAccessExpression(init) && init.name.text === target) return local;
      }
    }
  }
  return undefined;
}
