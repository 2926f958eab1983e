// The contract between rules and the engine. Pure: no fs, no LSP, no settings.
import type { TemplateModel, FunctionModel } from './template/model';
import type { HandlerModel } from './handler/model';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
export type Category =
  | 'secrets' | 'iam' | 'input-validation' | 'auth' | 'encryption'
  | 'logging' | 'runtime' | 'dos' | 'error-handling' | 'config';
/** What a rule looks at: one template, one handler (or any JS/TS module), or a dotenv file. */
export type Target = 'template' | 'handler' | 'dotenv';

export interface RuleMeta {
  /** `<subject>-<check>`: stable, used in suppressions and config. */
  id: string;
  /** Starts with Disallow / Require / Limit. */
  description: string;
  category: Category;
  severity: Severity;
  targets: Target[];
  /** Kind of the rule's fixes, when it has any. */
  fix?: 'safe' | 'suggestion';
  /** e.g. ['CWE-798'] */
  cwe: string[];
  /** Serverless risk id, SAS-01 … SAS-12. */
  sas: string;
  references: string[];
  /** Message templates by id, with `{placeholder}`s. */
  messages: Record<string, string>;
}

/** Half-open offset range [start, end) in a file's text. */
export interface Span { start: number; end: number }

export interface TextEdit extends Span {
  newText: string;
  /** Another file to edit; the finding's own file when absent. */
  uri?: string;
}

export interface Fix {
  title: string;
  kind: 'safe' | 'suggestion';
  edits: TextEdit[];
}

export interface Related extends Span { uri: string; message: string }

export interface Finding extends Span {
  ruleId: string;
  severity: Severity;
  uri: string;
  message: string;
  messageId: string;
  data: Record<string, string | number>;
  fixes: Fix[];
  related: Related[];
}

export interface Report {
  messageId: string;
  span: Span;
  data?: Record<string, string | number>;
  fixes?: Fix[];
  related?: Related[];
  /** Overrides the rule's default severity for this one finding (e.g. a partial wildcard is a warning). */
  severity?: Severity;
}

/** A linked handler: the module a template function points to, and the export it names. */
export interface LinkedHandler {
  uri: string;
  exportName: string;
  model: HandlerModel;
}

/** A template function that points at a handler module. */
export interface LinkedFunction {
  template: TemplateModel;
  fn: FunctionModel;
  exportName: string;
}

/** A template in a module's folder or an ancestor folder, with the handler modules it links. */
export interface GoverningTemplate {
  template: TemplateModel;
  /** The handler modules its functions point at. */
  handlerFiles: string[];
  /** Those of them that import the module asked about directly. */
  importers: string[];
}

/** Cross-file lookups the engine answers; each lookup is recorded so edits refresh dependents. */
export interface Workspace {
  handlerFor(template: TemplateModel, fn: FunctionModel): LinkedHandler | undefined;
  /**
   * Whether a function's handler module exists: 'found', 'missing' (a Node.js handler path that
   * matches no file), or 'unknown' (another runtime, no handler, a path built elsewhere).
   */
  handlerStatus(template: TemplateModel, fn: FunctionModel): 'found' | 'missing' | 'unknown';
  functionsFor(handler: HandlerModel): LinkedFunction[];
  /** Local modules a handler imports (one level; rules recurse with their own bounds). */
  importedModule(from: HandlerModel, specifier: string): HandlerModel | undefined;
  /**
   * The packages the nearest package.json above a file declares (dependencies, devDependencies,
   * peer and optional), or undefined when there is none or it does not parse.
   */
  packageDependencies?(uri: string): ReadonlySet<string> | undefined;
  /**
   * The indexed templates that govern a module: those in its folder or an ancestor folder whose
   * functions link handler modules, when the module sits under the deepest folder holding all of
   * them (so a template linking `src/handlers/*` does not govern `scripts/`). Build output
   * folders are excluded.
   */
  governingTemplates?(uri: string): GoverningTemplate[];
}

export type FileInput =
  | { target: 'template'; template: TemplateModel }
  | { target: 'handler'; handler: HandlerModel }
  | { target: 'dotenv'; dotenv: import('./dotenv/model').DotenvModel };

export interface RuleContext {
  uri: string;
  text: string;
  input: FileInput;
  workspace: Workspace;
  /** The date rules compare against (runtime deprecation); fixed in tests. */
  now: Date;
  report(r: Report): void;
  /**
   * CPU milliseconds left of the file's analysis budget (Infinity when unlimited). Long analyses
   * check it and throw AnalysisStopped, so one huge file cannot hold a rule past the limit.
   */
  timeLeft?(): number;
}

/** Thrown by a rule's analysis when `timeLeft()` ran out: the engine reports "analysis stopped". */
export class AnalysisStopped extends Error {
  constructor() {
    super('analysis time limit reached');
    this.name = 'AnalysisStopped';
  }
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** Fills `{name}` placeholders; unknown ones stay visible so a missing datum is noticed. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in data ? String(data[k]) : m));
}
