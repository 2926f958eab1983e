// Calls where a tainted string does harm, named by module member so every import style matches.
// Each sink says which arguments matter and whether a shell parses them.
import ts from 'typescript';
import type { Family } from './types';
import { moduleRef, memberPath, skipParens, type ModuleRef } from './modules';
import { constInitializer } from './scope';

export interface SinkSpec {
  module: string;
  /** Member paths ('' is the module itself, e.g. `execa(…)` with a CommonJS require). */
  members: string[];
  family: Family;
  /**
   * always: the first argument is a shell command line;
   * option: a shell runs only with `shell: true`, otherwise the first argument still picks the program.
   */
  shell: 'always' | 'option';
}

export const SINKS: readonly SinkSpec[] = [
  { module: 'child_process', members: ['exec', 'execSync'], family: 'shell', shell: 'always' },
  { module: 'child_process', members: ['spawn', 'spawnSync', 'execFile', 'execFileSync'], family: 'shell', shell: 'option' },
  { module: 'execa', members: ['', 'execa', 'execaSync', 'sync'], family: 'shell', shell: 'option' },
  // execaCommand splits its string into program and arguments itself: input picks both.
  { module: 'execa', members: ['command', 'commandSync', 'execaCommand', 'execaCommandSync'], family: 'shell', shell: 'always' },
  { module: 'shelljs', members: ['exec'], family: 'shell', shell: 'always' },
];

/** One argument of a sink call that must not carry taint. */
export interface SinkArg {
  index: number;
  /** A shell parses it (injection), rather than it choosing the program. */
  shell: boolean;
}

export interface SinkMatch {
  spec: SinkSpec;
  ref: ModuleRef;
  /** `child_process.execSync` */
  kind: string;
  args: SinkArg[];
}

/** The sink a call is, with the arguments to check; undefined for other calls. */
export function matchSink(call: ts.CallExpression): SinkMatch | undefined {
  const ref = moduleRef(call.expression);
  if (!ref) return undefined;
  const member = memberPath(ref);
  const spec = SINKS.find((s) => s.module === ref.module && s.members.includes(member));
  if (!spec) return undefined;
  const kind = `${spec.module}${member ? '.' + member : ''}`;
  if (spec.shell === 'always') return { spec, ref, kind, args: [{ index: 0, shell: true }] };
  const shell = hasShellOption(call) || runsShell(call.arguments[0], call.arguments[1]);
  // With a shell, Node joins the program and its arguments into one command line.
  const args: SinkArg[] = [{ index: 0, shell }];
  if (shell && call.arguments[1] && !isObjectLike(call.arguments[1])) args.push({ index: 1, shell: true });
  return { spec, ref, kind, args };
}

const SHELLS = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|zsh|dash|ksh|ash)$|^(?:cmd|cmd\.exe|powershell|pwsh)$/i;

/** `spawn('sh', ['-c', cmd])`: the program is a shell told to run a command line. */
function runsShell(program: ts.Expression | undefined, args: ts.Expression | undefined): boolean {
  if (!program || !args) return false;
  const p = skipParens(program);
  const a = skipParens(args);
  if (!ts.isStringLiteralLike(p) || !SHELLS.test(p.text) || !ts.isArrayLiteralExpression(a)) return false;
  return a.elements.some((el) => ts.isStringLiteralLike(el) && /^(-c|\/c|-Command)$/i.test(el.text));
}

/** `{ shell: true }` (or a shell path) in the options object of spawn/execFile/execa. */
export function hasShellOption(call: ts.CallExpression): boolean {
  for (const a of call.arguments.slice(1)) {
    const obj = objectLiteral(a);
    if (!obj) continue;
    for (const p of obj.properties) {
      if (!ts.isPropertyAssignment(p) || !p.name || propName(p.name) !== 'shell') continue;
      const v = skipParens(p.initializer);
      const off = v.kind === ts.SyntaxKind.FalseKeyword || v.kind === ts.SyntaxKind.NullKeyword ||
        (ts.isIdentifier(v) && v.text === 'undefined') || (ts.isStringLiteralLike(v) && v.text === '') ||
        (ts.isNumericLiteral(v) && v.text === '0');
      return !off;
    }
  }
  return false;
}

function objectLiteral(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
  e = skipParens(e);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const init = constInitializer(e);
    return init && ts.isObjectLiteralExpression(skipParens(init)) ? (skipParens(init) as ts.ObjectLiteralExpression) : undefined;
  }
  return undefined;
}

function isObjectLike(e: ts.Expression): boolean {
  return !!objectLiteral(e);
}

export function propName(n: ts.PropertyName): string | undefined {
  return ts.isIdentifier(n) || ts.isStringLiteralLike(n) || ts.isNumericLiteral(n) || ts.isPrivateIdentifier(n) ? n.text : undefined;
}
