// The CLI as a function of (argv, streams, cwd, env) → exit code, so it can be tested without a
// process. Reads files only: nothing from the workspace is executed.
import fs from 'node:fs';
import path from 'node:path';
import { rules } from '../../../rules/index';
import { audit } from '../engine/audit';
import { Engine, type FileResult } from '../engine/engine';
import { parseArgs, type CliOptions } from './args';
import { palette, shouldUseColor } from './color';
import { EXIT_USAGE, UsageError, decideExit } from './exit';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatText } from './formats/text';
import { formatRuleList } from './list-rules';
import { loadCliConfig } from './load-config';
import { allFindings, buildReport, plural, type Report } from './report';
import { TOOL_NAME, ruleDocsUrl } from './version';

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function runCli(argv: string[], io: CliIo): number {
  try {
    const parsed = parseArgs(argv, { writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
    if (!parsed.ok) return parsed.code;
    return execute(parsed.options, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`${TOOL_NAME}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr.write(`${TOOL_NAME}: internal error: ${err.message}\n`);
    if (io.env.FAASLINT_DEBUG) io.stderr.write(`${err.stack ?? ''}\n`);
    else io.stderr.write(`(set FAASLINT_DEBUG=1 for details)\n`);
    return EXIT_USAGE;
  }
}

function execute(opts: CliOptions, io: CliIo): number {
  const metas = rules.map((r) => r.meta);
  if (opts.listRules) {
    write(io, opts.output, formatRuleList(metas, opts.format));
    return 0;
  }

  const roots = opts.paths.map((p) => path.resolve(io.cwd, p));
  const missing = opts.paths.filter((_, i) => !fs.existsSync(roots[i]));
  if (missing.length > 0) throw new UsageError(`no such file or directory: ${missing.join(', ')}`);

  const { config, warnings } = loadCliConfig({
    cwd: io.cwd, configPath: opts.config, rules: opts.rules, exclude: opts.exclude,
    knownRules: new Set(metas.map((m) => m.id)),
  });
  for (const w of warnings) io.stderr.write(`${TOOL_NAME}: warning: ${w}\n`);

  const engine = new Engine({ config });
  // The audit's own summary is not needed: the report counts what it shows.
  const results: FileResult[] = [...audit(engine, roots)];
  const report = buildReport(results, {
    cwd: io.cwd,
    rules: metas,
    ruleSettings: config.rules,
    quiet: opts.quiet,
    lineText: (file, line) => {
      const loaded = engine.docs.load(file);
      return loaded.ok ? loaded.doc.index.lineText(line) : undefined;
    },
  });

  const color = opts.output ? opts.color === true : shouldUseColor({ flag: opts.color, env: io.env, isTTY: !!io.stdout.isTTY });
  const text = opts.format === 'json' ? formatJson(report, ruleDocsUrl)
    : opts.format === 'sarif' ? formatSarif(report)
      : formatText(report, palette(color));
  write(io, opts.output, text);
  if (opts.output && !opts.quiet) io.stderr.write(`${TOOL_NAME}: wrote ${opts.output} (${describe(report)})\n`);

  const decision = decideExit({ severities: allFindings(report).map((f) => f.severity), failOn: opts.failOn, maxWarnings: opts.maxWarnings });
  // The text summary already shows the findings that fail; a warning budget needs saying.
  if (decision.cause === 'max-warnings') io.stderr.write(`${TOOL_NAME}: ${decision.message}\n`);
  return decision.code;
}

function write(io: CliIo, output: string | undefined, text: string): void {
  if (!output) {
    io.stdout.write(text);
    return;
  }
  const file = path.resolve(io.cwd, output);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function describe(report: Report): string {
  const n = report.counts;
  const total = n.error + n.warning + n.info;
  return `${plural(total, 'finding')}: ${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info`;
}
