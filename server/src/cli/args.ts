// Command-line parsing. Commander writes help, version and its own error messages to the given
// streams; we turn its exits into return values so `run` alone decides the exit code.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { RuleSetting } from '../engine/config';
import { EXIT_OK, EXIT_USAGE, type FailOn } from './exit';
import { TOOL_NAME, TOOL_VERSION } from './version';

export type Format = 'text' | 'json' | 'sarif';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'none'];
const SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'info', 'off'];

export interface CliOptions {
  paths: string[];
  format: Format;
  output?: string;
  failOn: FailOn;
  config?: string;
  /** `--rule id=setting` overrides, in order (later wins). */
  rules: Record<string, RuleSetting>;
  exclude: string[];
  /** true / false when forced by --color / --no-color; undefined: decide from the terminal. */
  color?: boolean;
  quiet: boolean;
  maxWarnings?: number;
  listRules: boolean;
}

export interface ParseIo {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/** Either options to run with, or an exit code (help/version printed, or a usage error reported). */
export type ParseResult = { ok: true; options: CliOptions } | { ok: false; code: number };

const HELP_AFTER = `
Exit codes:
  0  no finding at or above --fail-on (and no more warnings than --max-warnings)
  1  findings at or above --fail-on, or too many warnings
  2  usage error or internal error (message on stderr)

Configuration:
  .faaslint.yaml in the current directory (or --config FILE):
    rules: { <rule-id>: error|warning|info|off }
    exclude: [<glob>, ...]
    maxFileSize: <bytes>
    maxAnalysisMs: <milliseconds per file>
  --rule and --exclude add to it. .gitignore'd files and node_modules are always skipped.

Formats:
  text   grouped by file: line:col  severity  message  rule-id  (fix available: ...)
  json   { version: 1, tool, files[], findings[], summary } with 1-based lines and columns
  sarif  SARIF 2.1.0, for GitHub code scanning and other SARIF viewers

Environment:
  NO_COLOR        disable colour (same as --no-color)
  FORCE_COLOR     enable colour when not on a terminal (same as --color)
  FAASLINT_DEBUG  print stack traces for internal errors

Examples:
  $ faaslint
  $ faaslint services/api --fail-on warning
  $ faaslint --format sarif --output reports/faaslint.sarif
  $ faaslint --rule secrets-no-hardcoded=warning --rule iam-no-wildcard-action=off
`;

function parseRuleSetting(value: string, previous: Record<string, RuleSetting> | undefined): Record<string, RuleSetting> {
  const m = /^\s*([\w-]+)\s*[=:]\s*(\w+)\s*$/.exec(value);
  if (!m) throw new InvalidArgumentError('Expected <rule-id>=<error|warning|info|off>.');
  const setting = m[2] as RuleSetting;
  if (!SETTINGS.includes(setting)) throw new InvalidArgumentError(`Unknown setting "${m[2]}"; expected one of ${SETTINGS.join(', ')}.`);
  return { ...previous, [m[1]]: setting };
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('Expected a whole number, 0 or more.');
  return Number(value);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function buildProgram(io: ParseIo): Command {
  return new Command(TOOL_NAME)
    .description('Security linter for serverless apps: Serverless Framework, SAM and CloudFormation templates, and their Lambda handlers.')
    .usage('[options] [paths...]')
    .argument('[paths...]', 'files or directories to lint (default: the current directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file (directories are created) instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding has at least this severity').choices(FAIL_ON).default('error'))
    .option('-c, --config <file>', 'configuration file (default: ./.faaslint.yaml when present)')
    .option('-r, --rule <id=severity>', 'set a rule to error|warning|info|off (repeatable)', parseRuleSetting)
    .option('--exclude <glob>', 'skip files matching a glob, relative to each path (repeatable)', collect)
    .option('--max-warnings <n>', 'exit 1 when more than n warnings are reported', parseCount)
    .option('-q, --quiet', 'report errors only: warnings and info are neither shown nor counted')
    .option('--color', 'force coloured text output')
    .option('--no-color', 'disable coloured text output')
    .option('--list-rules', 'list the available rules and exit (as JSON with --format json)')
    .version(TOOL_VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', HELP_AFTER)
    .showHelpAfterError(`(run "${TOOL_NAME} --help" for usage)`)
    .exitOverride()
    .configureOutput({
      writeOut: io.writeOut,
      writeErr: io.writeErr,
      outputError: (text, write) => write(`${TOOL_NAME}: ${text.replace(/^error: /, '')}`),
    });
}

export function parseArgs(argv: string[], io: ParseIo): ParseResult {
  const program = buildProgram(io);
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return { ok: false, code: e.exitCode === 0 ? EXIT_OK : EXIT_USAGE };
    throw e;
  }
  const o = program.opts<{
    format: Format; output?: string; failOn: FailOn; config?: string; rule?: Record<string, RuleSetting>;
    exclude?: string[]; maxWarnings?: number; quiet?: boolean; color?: boolean; listRules?: boolean;
  }>();
  const paths = program.processedArgs[0] as string[] | undefined;
  return {
    ok: true,
    options: {
      paths: paths && paths.length > 0 ? paths : ['.'],
      format: o.format,
      output: o.output,
      failOn: o.failOn,
      config: o.config,
      rules: o.rule ?? {},
      exclude: o.exclude ?? [],
      color: o.color,
      quiet: !!o.quiet,
      maxWarnings: o.maxWarnings,
      listRules: !!o.listRules,
    },
  };
}
