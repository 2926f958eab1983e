// The facts the taint analysis produces and the values it tracks. Flows are plain data (spans,
// strings), so rules and other front ends (a Python analysis later) can share them.
import type { Span } from '../api';

/**
 * What a sink does with a string. A sanitizer clears the families it makes safe: `path.basename`
 * stops `../` for file paths but not `;` for a shell, so sanitizing is per family.
 */
export type Family =
  | 'shell' | 'path' | 'sql' | 'code' | 'url' | 'html'
  /** Strings in a NoSQL query language: Mongo `$where`, DynamoDB expressions, PartiQL. */
  | 'nosql'
  /** An attacker-shaped object where a string was expected (`{ "$ne": null }` in a Mongo filter). */
  | 'object'
  | 'regex' | 'deserialize' | 'redirect';
export const ALL_FAMILIES: readonly Family[] = ['shell', 'path', 'sql', 'code', 'url', 'html', 'nosql', 'object', 'regex', 'deserialize', 'redirect'];

/** One hop of a flow, for explanations (a binding, an argument, a return). */
export interface Step { uri: string; span: Span; note: string }

/** A Lambda event, or the request object of a web framework running inside the Lambda. */
export type InputKind = 'event' | 'request';

export type Origin =
  /** Attacker-controlled input of an entry point (the event, an express `req`). */
  | { kind: 'source'; uri: string; base: string; input: InputKind; parsedBody?: boolean }
  /** The n-th parameter of a function being summarised; substituted at each call. */
  | { kind: 'param'; index: number; rest: boolean };

/** Taint carried by a value: where it came from and what has happened to it since. */
export interface Label {
  origin: Origin;
  /** Access path after the origin, e.g. `.pathParameters.file`. */
  access: string;
  /** Still a plain read of the origin (property/element access only): the path names the input. */
  exact: boolean;
  /** Where the input was read (source labels); the widest exact access expression. */
  span?: Span;
  steps: readonly Step[];
  /** Families a sanitizer or guard has made this value safe for. */
  cleared: readonly Family[];
  /**
   * May be an object or array the attacker shaped (parsed JSON), not just a string: true after
   * `JSON.parse`, false once made into a string; undefined: as the access path says (see
   * `mayBeObject`).
   */
  structured?: boolean;
}

/** Abstract value: its taint, plus per-field taint for object literals we built ourselves. */
export interface Value {
  labels: readonly Label[];
  /** Known fields (object literals); reading another field gives `rest`. */
  fields?: ReadonlyMap<string, Value>;
  rest?: readonly Label[];
  /** A validation outcome (`const ok = validate(body)`): when truthy/falsy, `key` is validated. */
  validates?: { key: string; when: boolean; families: readonly Family[] };
}

export interface SinkInfo {
  uri: string;
  /** The whole sink call. */
  span: Span;
  /** 1-based line of the call, for messages that point into another file. */
  line: number;
  /** e.g. `child_process.execSync` */
  kind: string;
  family: Family;
  /** The callee as written, e.g. `cp.exec`. */
  callee: string;
  /** Which argument carries the taint. */
  argIndex: number;
  /** True when a shell parses the string; false when the input only chooses the program. */
  shell: boolean;
  /** What part of the sink the input reaches, when not simply an argument (`FilterExpression`, `$where`, `Location`). */
  detail?: string;
}

export interface Flow {
  source: { desc: string; uri: string; span: Span | undefined };
  sink: SinkInfo;
  steps: readonly Step[];
  /** The call in the entry's file that leads to a sink in another file. */
  callSite?: Span;
  /** The input may be an attacker-shaped object here (parsed JSON), not only a string. */
  structured: boolean;
}

/** A function the analysis starts from and how its input arrives. */
export interface Entry {
  /** Export name the entry belongs to (`handler`, `default`, …). */
  exportName: string;
  /** The function whose first parameter is attacker-controlled. */
  fn: import('typescript').FunctionLikeDeclaration;
  /** How the first parameter is named in descriptions: `event`, `req`. */
  base: string;
  input: InputKind;
  /** A middleware parsed the body already (middy's JSON body parser): `event.body` is an object. */
  parsedBody?: boolean;
}
