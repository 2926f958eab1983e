// Calls where a tainted string does harm, named by module member so every import style matches.
// Each sink says which arguments matter (and which fields of an options object) and, for the
// shell, whether a shell parses them. One section per sink family; `matchSinks` asks them all.
import ts from 'typescript';
import type { Family } from './types';
import { moduleRef, memberPath, skipParens, globalName, provenance, normaliseModule, type ModuleRef } from './modules';
import { constInitializer, declarationOf } from './scope';
import { treeMap } from '../handler/tree-cache';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  forEachChild,
  isArrayLiteralExpression,
  isArrowFunction,
  isAwaitExpression,
  isBinaryExpression,
  isCallExpression,
  isElementAccessExpression,
  isFunctionExpression,
  isFunctionLike,
  isIdentifier,
  isImportDeclaration,
  isNewExpression,
  isNumericLiteral,
  isObjectLiteralExpression,
  isPrivateIdentifier,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isSourceFile,
  isStringLiteral,
  isStringLiteralLike,
  isTemplateExpression,
  isVariableDeclaration,
  isVariableStatement,
  SyntaxKind,
} = ts;

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
  /**
   * Only these fields of an object argument reach the sink (`{ sql }`, `{ url, baseURL }`,
   * `{ Location }`); the whole argument when it is not an object literal we followed.
   */
  fields?: string[];
  /** Field names compare case-insensitively (HTTP headers). */
  ci?: boolean;
  /** Report only through those fields: an object whose fields are unknown is not taken as a whole. */
  fieldsOnly?: boolean;
  /** A Mongo filter: attacker-shaped objects anywhere in it, and `$where`/`$regex` strings. */
  filter?: boolean;
  /** What the input reaches, for messages (`FilterExpression`, `Location header`). */
  detail?: string;
}

export interface SinkMatch {
  family: Family;
  /** `child_process.execSync`, `pg query`, `fetch` */
  kind: string;
  args: SinkArg[];
  /** What the call returns: nothing of the input (default), or the input parsed (deserializers). */
  result?: 'parsed';
}

/** The sink a call is, with the arguments to check; undefined for other calls. */
export function matchSink(call: ts.CallExpression): (SinkMatch & { spec: SinkSpec; ref: ModuleRef }) | undefined {
  const ref = moduleRef(call.expression);
  if (!ref) return undefined;
  const member = memberPath(ref);
  const spec = SINKS.find((s) => s.module === ref.module && s.members.includes(member));
  if (!spec) return undefined;
  const kind = `${spec.module}${member ? '.' + member : ''}`;
  const family = spec.family;
  if (spec.shell === 'always') return { family, spec, ref, kind, args: [{ index: 0, shell: true }] };
  const shell = hasShellOption(call) || runsShell(call.arguments[0], call.arguments[1]);
  // With a shell, Node joins the program and its arguments into one command line.
  const args: SinkArg[] = [{ index: 0, shell }];
  if (shell && call.arguments[1] && !isObjectLike(call.arguments[1])) args.push({ index: 1, shell: true });
  return { family, spec, ref, kind, args };
}

const SHELLS = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|zsh|dash|ksh|ash)$|^(?:cmd|cmd\.exe|powershell|pwsh)$/i;

/** `spawn('sh', ['-c', cmd])`: the program is a shell told to run a command line. */
function runsShell(program: ts.Expression | undefined, args: ts.Expression | undefined): boolean {
  if (!program || !args) return false;
  const p = skipParens(program);
  const a = skipParens(args);
  if (!isStringLiteralLike(p) || !SHELLS.test(p.text) || !isArrayLiteralExpression(a)) return false;
  return a.elements.some((el) => isStringLiteralLike(el) && /^(-c|\/c|-Command)$/i.test(el.text));
}

/** `{ shell: true }` (or a shell path) in the options object of spawn/execFile/execa. */
export function hasShellOption(call: ts.CallExpression): boolean {
  for (const a of call.arguments.slice(1)) {
    const obj = objectLiteral(a);
    if (!obj) continue;
    for (const p of obj.properties) {
      if (!isPropertyAssignment(p) || !p.name || propName(p.name) !== 'shell') continue;
      const v = skipParens(p.initializer);
      const off = v.kind === SyntaxKind.FalseKeyword || v.kind === SyntaxKind.NullKeyword ||
        (isIdentifier(v) && v.text === 'undefined') || (isStringLiteralLike(v) && v.text === '') ||
        (isNumericLiteral(v) && v.text === '0');
      return !off;
    }
  }
  return false;
}

export function objectLiteral(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
  e = skipParens(e);
  if (isObjectLiteralExpression(e)) return e;
  if (isIdentifier(e)) {
    const init = constInitializer(e);
    return init && isObjectLiteralExpression(skipParens(init)) ? (skipParens(init) as ts.ObjectLiteralExpression) : undefined;
  }
  return undefined;
}

function isObjectLike(e: ts.Expression): boolean {
  return !!objectLiteral(e);
}

export function propName(n: ts.PropertyName): string | undefined {
  return isIdentifier(n) || isStringLiteralLike(n) || isNumericLiteral(n) || isPrivateIdentifier(n) ? n.text : undefined;
}

// ---------- every family ----------

type SinkNode = ts.CallExpression | ts.NewExpression;

/** Syntax trees are immutable per file version: what a node is as a sink never changes. */
const sinkCache = treeMap<SinkNode, SinkMatch[]>();

const NONE: SinkMatch[] = [];

/** Every sink a call or `new` is (usually one), with the arguments to check. */
export function matchSinks(node: SinkNode): SinkMatch[] {
  // Most calls are `console.log`, `res.json`, `items.map`: a method no family knows is none of
  // them, whatever its receiver, and resolving that receiver is most of what matching costs.
  const callee = skipParens(node.expression);
  if (isCallExpression(node)) {
    if (isPropertyAccessExpression(callee) && !sinkMethodNames().has(callee.name.text)) return NONE;
    // `validate(x)`, `String(x)`: a plain function is a sink only as an import (or an alias of
    // one), as one of a few globals, or as a DynamoDB method name.
    if (isIdentifier(callee) && !DYNAMO_METHODS.has(callee.text) && !globalSink(callee, node) && !moduleRef(callee)) return NONE;
  } else if (isIdentifier(callee) && !callee.text.endsWith('Command') && !globalSink(callee, node) && !moduleRef(callee)) {
    // `new Date()`, `new Foo()`: likewise, or a DynamoDB command.
    return NONE;
  }
  const cache = sinkCache(node);
  let ms = cache.get(node);
  if (!ms) cache.set(node, (ms = sinkFamilies(node)));
  return ms;
}

/** One of the globals the families know, not shadowed (`require` of a literal is not one). */
function globalSink(callee: ts.Identifier, node: SinkNode): boolean {
  if (!GLOBAL_SINKS.has(callee.text) || declarationOf(callee)) return false;
  return !(callee.text === 'require' && node.arguments?.length === 1 && isStringLiteralLike(node.arguments[0]));
}

/** What every sink family makes of a call or `new`, without the method-name shortcut. */
export function sinkFamilies(node: SinkNode): SinkMatch[] {
  const out: SinkMatch[] = [];
  if (isCallExpression(node)) {
    const shell = matchSink(node);
    if (shell) return [shell];
  }
  for (const m of [moduleSink(node), codeSink(node), sqlSink(node), mongoSink(node), responseSink(node), yamlSink(node)]) if (m) out.push(m);
  out.push(...dynamoSinks(node));
  return out;
}

const args0: SinkArg[] = [{ index: 0, shell: false }];
const argsAt = (...ix: number[]): SinkArg[] => ix.map((index) => ({ index, shell: false }));

/** Module members that are sinks whatever their receiver: `fs.readFile`, `vm.runInNewContext`, `axios.get`. */
interface MemberSink { modules: string[]; members: string[]; family: Family; args: SinkArg[]; isNew?: boolean; result?: 'parsed' }

const FS_MODULES = ['fs', 'fs/promises', 'fs-extra', 'graceful-fs', 'fs-extra/esm'];
const FS_ONE = [
  'readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createReadStream', 'createWriteStream',
  'unlink', 'unlinkSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'mkdir', 'mkdirSync', 'readdir', 'readdirSync', 'opendir', 'opendirSync',
  'stat', 'statSync', 'lstat', 'lstatSync', 'access', 'accessSync', 'exists', 'existsSync', 'open', 'openSync', 'truncate', 'truncateSync',
  'chmod', 'chmodSync', 'chown', 'chownSync', 'utimes', 'utimesSync', 'readlink', 'readlinkSync', 'watch', 'watchFile',
  // fs-extra
  'outputFile', 'outputFileSync', 'readJson', 'readJsonSync', 'readJSON', 'writeJson', 'writeJsonSync', 'writeJSON', 'outputJson', 'outputJSON',
  'outputJsonSync', 'remove', 'removeSync', 'ensureFile', 'ensureFileSync', 'ensureDir', 'ensureDirSync', 'mkdirp', 'mkdirs', 'emptyDir', 'emptyDirSync', 'pathExists', 'pathExistsSync',
];
const FS_TWO = ['copyFile', 'copyFileSync', 'rename', 'renameSync', 'link', 'linkSync', 'symlink', 'symlinkSync', 'cp', 'cpSync', 'copy', 'copySync', 'move', 'moveSync'];
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'request'];

const MEMBER_SINKS: MemberSink[] = [
  // path: file system calls (`fs.promises.readFile` too)
  { modules: FS_MODULES, members: FS_ONE.flatMap((m) => [m, `promises.${m}`]), family: 'path', args: args0 },
  { modules: FS_MODULES, members: FS_TWO.flatMap((m) => [m, `promises.${m}`]), family: 'path', args: argsAt(0, 1) },
  // code: the vm module
  { modules: ['vm'], members: ['runInContext', 'runInNewContext', 'runInThisContext', 'compileFunction'], family: 'code', args: args0 },
  { modules: ['vm'], members: ['Script', 'SourceTextModule'], family: 'code', args: args0, isNew: true },
  // deserialize: libraries that revive functions
  { modules: ['node-serialize'], members: ['unserialize'], family: 'deserialize', args: args0, result: 'parsed' },
  { modules: ['serialize-to-js'], members: ['deserialize'], family: 'deserialize', args: args0, result: 'parsed' },
  { modules: ['funcster'], members: ['deepDeserialize', 'deserialize'], family: 'deserialize', args: args0, result: 'parsed' },
  { modules: ['cryo'], members: ['parse'], family: 'deserialize', args: args0, result: 'parsed' },
  // sql: module-level helpers
  { modules: ['sequelize'], members: ['literal', 'Sequelize.literal'], family: 'sql', args: args0 },
  { modules: ['@prisma/client'], members: ['Prisma.raw'], family: 'sql', args: args0 },
  // url: HTTP clients (a config object carries the URL in `url`/`baseURL`, `host`, …)
  { modules: ['axios'], members: ['', ...HTTP_VERBS], family: 'url', args: [{ index: 0, shell: false, fields: ['url', 'baseURL'] }] },
  { modules: ['got', 'ky', 'ky-universal'], members: ['', ...HTTP_VERBS, 'stream'], family: 'url', args: [{ index: 0, shell: false, fields: ['url', 'prefixUrl'] }] },
  { modules: ['node-fetch', 'cross-fetch', 'isomorphic-fetch', 'make-fetch-happen', 'phin', 'bent'], members: [''], family: 'url', args: [{ index: 0, shell: false, fields: ['url'] }] },
  { modules: ['undici'], members: ['request', 'fetch', 'stream', 'pipeline', 'connect'], family: 'url', args: [{ index: 0, shell: false, fields: ['origin', 'path'] }] },
  { modules: ['undici'], members: ['Client', 'Pool', 'Request'], family: 'url', args: args0, isNew: true },
  { modules: ['http', 'https', 'http2'], members: ['get', 'request', 'connect'], family: 'url', args: [{ index: 0, shell: false, fields: ['host', 'hostname', 'socketPath', 'port'] }] },
  { modules: ['request', 'request-promise', 'request-promise-native', 'superagent'], members: ['', ...HTTP_VERBS], family: 'url', args: [{ index: 0, shell: false, fields: ['uri', 'url', 'baseUrl'] }] },
  { modules: ['needle'], members: HTTP_VERBS, family: 'url', args: args0 },
  { modules: ['needle'], members: [''], family: 'url', args: argsAt(1) },
];

function moduleSink(node: SinkNode): SinkMatch | undefined {
  const ref = moduleRef(node.expression);
  if (ref) {
    const member = memberPath(ref);
    const spec = MEMBER_SINKS.find((s) => s.modules.includes(ref.module) && s.members.includes(member) && !!s.isNew === isNewExpression(node));
    if (spec) return { family: spec.family, kind: `${ref.module}${member ? '.' + member : ''}`, args: spec.args, result: spec.result };
  }
  if (isNewExpression(node)) return undefined;
  const callee = skipParens(node.expression);
  const g = globalName(callee);
  if (g === 'fetch' || g === 'globalThis.fetch') return { family: 'url', kind: 'fetch', args: [{ index: 0, shell: false, fields: ['url'] }] };
  if (!isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const origin = provenance(callee.expression);
  // Instances: `axios.create({…}).get(url)`, `got.extend(…)(url)`.
  if (origin && (origin.module === 'axios' || origin.module === 'got') && HTTP_VERBS.includes(method)) {
    return { family: 'url', kind: `${origin.module} ${method}`, args: [{ index: 0, shell: false, fields: ['url', 'baseURL', 'prefixUrl'] }] };
  }
  // express `res.sendFile(p)` / `res.download(p)` without a `root` that confines them.
  if ((method === 'sendFile' || method === 'download') && isResponseObject(callee.expression) && !hasOption(node, 'root')) {
    return { family: 'path', kind: `res.${method}`, args: args0 };
  }
  return undefined;
}

function hasField(e: ts.Expression | undefined, names: string[]): boolean {
  const o = e && objectLiteral(e);
  return !!o && o.properties.some((p) => !!p.name && names.includes(propName(p.name) ?? ''));
}

function hasOption(call: SinkNode, name: string): boolean {
  return (call.arguments ?? []).slice(1).some((a) => {
    const o = objectLiteral(a);
    return !!o && o.properties.some((p) => p.name && propName(p.name) === name);
  });
}

// ---------- code ----------

/** The globals `codeSink` and `moduleSink` know by name (`eval(…)`, `globalThis.fetch(…)`, `module.require(…)`). */
const GLOBAL_SINKS = new Set(['eval', 'Function', 'RegExp', 'setTimeout', 'setInterval', 'setImmediate', 'require', 'fetch']);

function codeSink(node: SinkNode): SinkMatch | undefined {
  const callee = skipParens(node.expression);
  if (isNewExpression(node)) {
    if (globalName(callee) === 'Function') return { family: 'code', kind: 'Function', args: allArgs(node) };
    if (globalName(callee) === 'RegExp') return { family: 'regex', kind: 'RegExp', args: args0 };
    return undefined;
  }
  if (callee.kind === SyntaxKind.ImportKeyword) return { family: 'code', kind: 'import', args: [{ index: 0, shell: false, detail: 'module' }] };
  const g = globalName(callee);
  if (!g) return undefined;
  if (g === 'eval' || g === 'globalThis.eval') return { family: 'code', kind: 'eval', args: args0 };
  if (g === 'Function') return { family: 'code', kind: 'Function', args: allArgs(node) };
  if (g === 'RegExp') return { family: 'regex', kind: 'RegExp', args: args0 };
  if (g === 'setTimeout' || g === 'setInterval' || g === 'setImmediate') {
    const a = node.arguments[0];
    return a && !isArrowFunction(skipParens(a)) && !isFunctionExpression(skipParens(a)) ? { family: 'code', kind: g, args: args0 } : undefined;
  }
  if ((g === 'require' || g === 'module.require') && node.arguments.length === 1 && !isStringLiteralLike(node.arguments[0])) {
    return { family: 'code', kind: 'require', args: [{ index: 0, shell: false, detail: 'module' }] };
  }
  return undefined;
}

function allArgs(node: SinkNode): SinkArg[] {
  return (node.arguments ?? []).map((_, index) => ({ index, shell: false }));
}

// ---------- sql ----------

type Dialect = 'pg' | 'mysql' | 'knex' | 'other';

/** Query methods by driver, and the placeholder style its values use. */
const SQL_DRIVERS: Array<{ modules: string[]; methods: string[]; dialect: Dialect; fields?: string[] }> = [
  { modules: ['pg', 'pg-pool', '@neondatabase/serverless', '@vercel/postgres'], methods: ['query'], dialect: 'pg', fields: ['text'] },
  { modules: ['pg-promise'], methods: ['query', 'none', 'one', 'many', 'any', 'oneOrNone', 'manyOrNone', 'result', 'multi', 'multiResult', 'each', 'map'], dialect: 'other' },
  { modules: ['mysql', 'mysql2', 'mysql2/promise', 'serverless-mysql', '@planetscale/database'], methods: ['query', 'execute'], dialect: 'mysql', fields: ['sql'] },
  { modules: ['knex'], methods: ['raw', 'whereRaw', 'orWhereRaw', 'andWhereRaw', 'havingRaw', 'orHavingRaw', 'orderByRaw', 'groupByRaw', 'joinRaw', 'fromRaw', 'onRaw'], dialect: 'knex', fields: ['sql'] },
  { modules: ['sequelize'], methods: ['query', 'literal'], dialect: 'other' },
  { modules: ['@prisma/client'], methods: ['$queryRawUnsafe', '$executeRawUnsafe'], dialect: 'other' },
  { modules: ['postgres'], methods: ['unsafe'], dialect: 'other' },
  { modules: ['better-sqlite3', 'sqlite3', 'sqlite'], methods: ['prepare', 'exec', 'run', 'get', 'all', 'each'], dialect: 'other' },
  { modules: ['mssql'], methods: ['query', 'batch'], dialect: 'other' },
  { modules: ['oracledb'], methods: ['execute'], dialect: 'other' },
];
/** Method names that run raw SQL whatever the receiver (a `db` from a local module). */
const RAW_SQL_METHODS = new Set(['$queryRawUnsafe', '$executeRawUnsafe', 'whereRaw', 'orWhereRaw', 'andWhereRaw', 'havingRaw', 'orHavingRaw', 'orderByRaw', 'groupByRaw', 'joinRaw']);
/** Method names that run SQL when their text is SQL. */
const SQL_METHODS = new Set(['query', 'execute', 'raw', 'unsafe', 'exec', 'run', 'all', 'prepare']);
const SQL_TEXT = /^\s*\(?\s*(select|insert|update|delete|with|replace|merge|upsert|create|drop|alter|truncate|call|exec|grant|revoke|show|describe|explain|set|begin|declare)\b/i;

/** The SQL sink a call is, and its driver's placeholder style. */
export function sqlCall(node: SinkNode): { kind: string; dialect: Dialect; fields?: string[] } | undefined {
  if (!isCallExpression(node)) return undefined;
  const callee = skipParens(node.expression);
  if (!isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const origin = provenance(callee.expression);
  if (origin) {
    const d = SQL_DRIVERS.find((x) => x.modules.includes(origin.module) && x.methods.includes(method));
    if (d) return { kind: `${origin.module} ${method}`, dialect: d.dialect, fields: d.fields };
    // A known module that is not a SQL driver (a Mongo collection's `aggregate`, an HTTP client).
    if (!origin.module.startsWith('.')) return undefined;
  }
  if (RAW_SQL_METHODS.has(method)) return { kind: method, dialect: method.endsWith('Raw') ? 'knex' : 'other' };
  const arg = node.arguments[0];
  if (SQL_METHODS.has(method) && arg && SQL_TEXT.test(leadingText(arg) ?? '')) return { kind: method, dialect: importedDialect(node.getSourceFile()) };
  return undefined;
}

function sqlSink(node: SinkNode): SinkMatch | undefined {
  const s = sqlCall(node);
  if (!s) return undefined;
  return { family: 'sql', kind: s.kind, args: [{ index: 0, shell: false, fields: s.fields }] };
}

/** The driver the module imports, for the placeholder style of a query on an unknown receiver. */
function importedDialect(sf: ts.SourceFile): Dialect {
  for (const spec of importedModules(sf)) {
    if (/^(pg|pg-pool|@neondatabase\/serverless)$/.test(spec)) return 'pg';
    if (/^(mysql|mysql2|mysql2\/promise|serverless-mysql)$/.test(spec)) return 'mysql';
  }
  return 'other';
}

const importsCache = new WeakMap<ts.SourceFile, string[]>();

/** Specifiers of the module's top-level imports and requires. */
function importedModules(sf: ts.SourceFile): string[] {
  const cached = importsCache.get(sf);
  if (cached) return cached;
  const out: string[] = [];
  importsCache.set(sf, out);
  for (const st of sf.statements) {
    if (isImportDeclaration(st) && isStringLiteral(st.moduleSpecifier)) out.push(normaliseModule(st.moduleSpecifier.text));
    else if (isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const spec = d.initializer && requireText(d.initializer);
        if (spec) out.push(normaliseModule(spec));
      }
    }
  }
  return out;
}

function requireText(e: ts.Expression): string | undefined {
  e = skipParens(e);
  while (isPropertyAccessExpression(e) || isAwaitExpression(e)) e = e.expression;
  return isCallExpression(e) && isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments[0] && isStringLiteralLike(e.arguments[0]) ? e.arguments[0].text : undefined;
}

/**
 * The constant text an expression starts with: a literal, a template's head, the first operand
 * of a concatenation, or the initializer of the variable it names (even a `let` that is
 * appended to later). Undefined when it starts with something else.
 */
export function leadingText(e: ts.Expression): string | undefined {
  for (let i = 0; i < 10; i++) {
    e = skipParens(e);
    if (isStringLiteralLike(e)) return e.text;
    if (isTemplateExpression(e)) return e.head.text;
    if (isBinaryExpression(e) && e.operatorToken.kind === SyntaxKind.PlusToken) {
      // Left spine, iteratively.
      while (isBinaryExpression(e) && e.operatorToken.kind === SyntaxKind.PlusToken) e = skipParens(e.left);
      continue;
    }
    if (isIdentifier(e)) {
      const d = declarationOf(e);
      const p = d?.parent;
      if (!p || !isVariableDeclaration(p) || p.name !== d || !p.initializer) return undefined;
      e = p.initializer;
      continue;
    }
    return undefined;
  }
  return undefined;
}

// ---------- NoSQL ----------

const MONGO_MODULES = new Set(['mongodb', 'mongoose', 'mongojs', 'monk', '@typegoose/typegoose', 'mongodb-memory-server']);
/** Methods whose argument `filterArg` is a Mongo filter. */
const MONGO_FILTER_METHODS: Record<string, number> = {
  find: 0, findOne: 0, findOneAndUpdate: 0, findOneAndDelete: 0, findOneAndReplace: 0, findOneAndRemove: 0,
  updateOne: 0, updateMany: 0, deleteOne: 0, deleteMany: 0, replaceOne: 0, countDocuments: 0, count: 0,
  exists: 0, where: 0, remove: 0, distinct: 1, aggregate: 0,
};

function mongoSink(node: SinkNode): SinkMatch | undefined {
  if (!isCallExpression(node)) return undefined;
  const callee = skipParens(node.expression);
  if (!isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (method === '$where' && isMongoReceiver(callee.expression)) return { family: 'nosql', kind: `${method}`, args: [{ index: 0, shell: false, detail: '$where' }] };
  const index = MONGO_FILTER_METHODS[method];
  if (index === undefined || !node.arguments[index] || !isMongoReceiver(callee.expression)) return undefined;
  return { family: 'object', kind: `mongo ${method}`, args: [{ index, shell: false, filter: true }] };
}

function isMongoReceiver(e: ts.Expression): boolean {
  const origin = provenance(e);
  if (origin && !origin.module.startsWith('.')) return MONGO_MODULES.has(origin.module);
  // `db.collection('users')`, `mongoose.model('User')`, or a model from a local module in a
  // file that uses a Mongo library.
  for (let x = skipParens(e); isCallExpression(x) || isPropertyAccessExpression(x) || isElementAccessExpression(x) || isAwaitExpression(x); x = skipParens(x.expression)) {
    if (isCallExpression(x) && isPropertyAccessExpression(x.expression) && ['collection', 'model'].includes(x.expression.name.text)) return true;
  }
  return importedModules(e.getSourceFile()).some((m) => MONGO_MODULES.has(m));
}

/** DynamoDB expressions: strings in a small query language; values belong in ExpressionAttributeValues. */
export const DYNAMO_EXPRESSIONS = ['KeyConditionExpression', 'FilterExpression', 'UpdateExpression', 'ConditionExpression', 'ProjectionExpression'];
const DYNAMO_METHODS = new Set(['query', 'scan', 'update', 'updateItem', 'put', 'putItem', 'delete', 'deleteItem', 'get', 'getItem', 'transactWrite', 'transactWriteItems', 'executeStatement', 'batchExecuteStatement', 'executeTransaction']);

function dynamoSinks(node: SinkNode): SinkMatch[] {
  const callee = skipParens(node.expression);
  const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : '';
  // `new QueryCommand(params)`; a v2 client's `query({ …Expression })` only with the field in sight,
  // so that `map.get(k)` and `params.get('x')` stay ordinary calls.
  const isCommand = isNewExpression(node) ? /Command$/.test(name) : DYNAMO_METHODS.has(name) && hasField(node.arguments[0], [...DYNAMO_EXPRESSIONS, 'Statement', 'sql']);
  if (!isCommand || !node.arguments?.length) return [];
  const out: SinkMatch[] = [{ family: 'nosql', kind: name, args: [{ index: 0, shell: false, fields: DYNAMO_EXPRESSIONS, fieldsOnly: true, detail: 'expression' }] }];
  if (/^(ExecuteStatement|BatchExecuteStatement|ExecuteTransaction)(Command)?$|^(executeStatement|batchExecuteStatement|executeTransaction)$/.test(name)) {
    // PartiQL for DynamoDB (`Statement`); SQL for the RDS Data API (`sql`).
    out.push({ family: 'nosql', kind: name, args: [{ index: 0, shell: false, fields: ['Statement'], fieldsOnly: true, detail: 'Statement' }] });
    out.push({ family: 'sql', kind: name, args: [{ index: 0, shell: false, fields: ['sql'], fieldsOnly: true, detail: 'sql' }] });
  }
  return out;
}

// ---------- responses: redirects and HTML ----------

const RESPONSE_NAMES = /^(res|resp|response|reply|ctx)$/;
/** The response methods `responseSink` knows (the cases of its switch). */
const RESPONSE_METHODS = new Set(['redirect', 'location', 'setHeader', 'set', 'header', 'append', 'writeHead', 'send', 'end', 'write']);

/** `res`, `res.status(302)`, koa's `ctx`, fastify's `reply`: recognised by name (no types). */
export function isResponseObject(e: ts.Expression): boolean {
  let x = skipParens(e);
  while (isCallExpression(x) && isPropertyAccessExpression(x.expression)) x = skipParens(x.expression.expression);
  return isIdentifier(x) && RESPONSE_NAMES.test(x.text);
}

function responseSink(node: SinkNode): SinkMatch | undefined {
  if (!isCallExpression(node)) return undefined;
  const callee = skipParens(node.expression);
  if (!isPropertyAccessExpression(callee) || !isResponseObject(callee.expression)) return undefined;
  const method = callee.name.text;
  if (!RESPONSE_METHODS.has(method)) return undefined;
  const a = node.arguments;
  switch (method) {
    case 'redirect': {
      // `res.redirect(url)`, `res.redirect(301, url)`; koa `ctx.redirect(url)`.
      const index = a.length >= 2 && !isStringLiteralLike(skipParens(a[0])) && !isTemplateExpression(skipParens(a[0])) ? 1 : 0;
      return { family: 'redirect', kind: `res.redirect`, args: [{ index, shell: false, detail: 'redirect' }] };
    }
    case 'location':
      return { family: 'redirect', kind: 'res.location', args: [{ index: 0, shell: false, detail: 'Location' }] };
    case 'setHeader': case 'set': case 'header': case 'append': {
      const name = a[0] && skipParens(a[0]);
      if (name && isStringLiteralLike(name)) {
        if (/^location$/i.test(name.text)) return { family: 'redirect', kind: `res.${method}`, args: [{ index: 1, shell: false, detail: 'Location' }] };
        return undefined;
      }
      return { family: 'redirect', kind: `res.${method}`, args: [{ index: 0, shell: false, fields: ['location'], ci: true, fieldsOnly: true, detail: 'Location' }] };
    }
    case 'writeHead':
      return { family: 'redirect', kind: 'res.writeHead', args: [{ index: a.length > 2 ? 2 : 1, shell: false, fields: ['location'], ci: true, fieldsOnly: true, detail: 'Location' }] };
    case 'send': case 'end': case 'write':
      if (a[0] && (htmlText(a[0]) || setsHtmlType(callee.expression, node))) return { family: 'html', kind: `res.${method}`, args: [{ index: 0, shell: false, detail: 'HTML' }] };
      return undefined;
  }
  return undefined;
}

/** Literal text of the expression (or the variable it names) contains an HTML tag. */
export function htmlText(e: ts.Expression): boolean {
  const t = leadingText(e);
  if (t !== undefined && /^\s*</.test(t)) return true;
  const x = skipParens(e);
  if (isTemplateExpression(x)) return [x.head.text, ...x.templateSpans.map((s) => s.literal.text)].some((p) => /<\/?[a-z!][^>]*>?/i.test(p));
  return false;
}

/** `res.type('html').send(x)`, or `res.setHeader('Content-Type', 'text/html')` earlier in the function. */
function setsHtmlType(recv: ts.Expression, call: ts.CallExpression): boolean {
  const isHtmlSetter = (c: ts.CallExpression): boolean => {
    if (!isPropertyAccessExpression(c.expression)) return false;
    const m = c.expression.name.text;
    const [a0, a1] = c.arguments;
    const lit = (x: ts.Expression | undefined) => (x && isStringLiteralLike(skipParens(x)) ? (skipParens(x) as ts.StringLiteral).text : undefined);
    if (m === 'type' || m === 'contentType') return /html/i.test(lit(a0) ?? '');
    if (['set', 'setHeader', 'header'].includes(m)) return /^content-type$/i.test(lit(a0) ?? '') && /html/i.test(lit(a1) ?? '');
    if (m === 'writeHead') return [a1, c.arguments[2]].some((h) => !!h && htmlContentType(h));
    return false;
  };
  for (let x = skipParens(recv); isCallExpression(x) && isPropertyAccessExpression(x.expression); x = skipParens(x.expression.expression)) {
    if (isHtmlSetter(x)) return true;
  }
  let root = skipParens(recv);
  while (isCallExpression(root) && isPropertyAccessExpression(root.expression)) root = skipParens(root.expression.expression);
  if (!isIdentifier(root)) return false;
  const rootName = root.text;
  // Statements before the call in the same function.
  let fn: ts.Node = call;
  while (fn.parent && !isFunctionLike(fn) && !isSourceFile(fn)) fn = fn.parent;
  let found = false;
  const stack: ts.Node[] = [fn];
  while (stack.length && !found) {
    const n = stack.pop()!;
    if (n.pos >= call.pos) continue;
    if (isCallExpression(n) && isHtmlSetter(n)) {
      let r = skipParens((n.expression as ts.PropertyAccessExpression).expression);
      while (isCallExpression(r) && isPropertyAccessExpression(r.expression)) r = skipParens(r.expression.expression);
      if (isIdentifier(r) && r.text === rootName) found = true;
    }
    forEachChild(n, (c) => { if (!isFunctionLike(c)) stack.push(c); });
  }
  return found;
}

/** A headers object (literal, or a const naming one) whose Content-Type is HTML. */
export function htmlContentType(e: ts.Expression): boolean {
  const o = objectLiteral(e);
  if (!o) return false;
  return o.properties.some((p) => isPropertyAssignment(p) && !!p.name && /^content-type$/i.test(propName(p.name) ?? '') && /html/i.test(leadingText(p.initializer) ?? ''));
}

// ---------- deserialization ----------

const YAML_LOADERS = ['load', 'loadAll'];

/** js-yaml `load` with a schema that can build functions (`DEFAULT_FULL_SCHEMA`, js-yaml-js-types). */
function yamlSink(node: SinkNode): SinkMatch | undefined {
  if (!isCallExpression(node)) return undefined;
  const ref = moduleRef(node.expression);
  if (!ref || ref.module !== 'js-yaml' || !YAML_LOADERS.includes(memberPath(ref))) return undefined;
  const opts = node.arguments[memberPath(ref) === 'loadAll' && node.arguments.length > 2 ? 2 : 1];
  const o = opts && objectLiteral(opts);
  const schema = o?.properties.find((p) => p.name && propName(p.name) === 'schema');
  if (!schema || !unsafeSchema(isPropertyAssignment(schema) ? schema.initializer : isShorthandPropertyAssignment(schema) ? schema.name : undefined)) return undefined;
  return { family: 'deserialize', kind: `js-yaml.${memberPath(ref)}`, args: args0, result: 'parsed' };
}

function unsafeSchema(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  const stack: ts.Node[] = [e];
  for (let budget = 200; stack.length && budget > 0; budget--) {
    const n = stack.pop()!;
    if (isIdentifier(n)) {
      if (/FULL_SCHEMA/.test(n.text)) return true;
      const ref = moduleRef(n);
      if (ref?.module === 'js-yaml-js-types') return true;
      const init = !ref ? constInitializer(n) : undefined;
      if (init) stack.push(init);
    }
    forEachChild(n, (c) => { stack.push(c); });
  }
  return false;
}

// ---------- method names ----------

let methodNames: Set<string> | undefined;

/**
 * Every name a call written `x.name(…)` must end with to be a sink of some family: the last
 * member of each module sink (`fs.promises.readFile` → readFile), the methods the SQL, Mongo,
 * DynamoDB and response families look for, and the globals reached through an object
 * (`globalThis.fetch`, `module.require`). `default` because a module member path drops it
 * (`execa.default(…)` is `execa(…)`). A family that matches a new method name adds it here.
 */
export function sinkMethodNames(): ReadonlySet<string> {
  if (methodNames) return methodNames;
  const last = (member: string) => member.slice(member.lastIndexOf('.') + 1);
  methodNames = new Set<string>([
    ...SINKS.flatMap((s) => s.members.map(last)),
    ...MEMBER_SINKS.flatMap((s) => s.members.map(last)),
    ...HTTP_VERBS, 'sendFile', 'download',
    ...GLOBAL_SINKS, 'default',
    ...SQL_DRIVERS.flatMap((d) => d.methods), ...RAW_SQL_METHODS, ...SQL_METHODS,
    '$where', ...Object.keys(MONGO_FILTER_METHODS),
    ...DYNAMO_METHODS,
    ...RESPONSE_METHODS,
    ...YAML_LOADERS,
  ]);
  methodNames.delete('');
  return methodNames;
}
