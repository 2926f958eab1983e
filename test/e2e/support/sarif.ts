// SARIF 2.1.0 schema validation for logs the editor writes (the schema ships with
// @microsoft/jest-sarif, a dev dependency).
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ROOT } from './env';

const SCHEMA = path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
let validator: ValidateFunction | undefined;

/** Schema errors of a SARIF log; empty when valid. */
export function sarifErrors(log: unknown): string[] {
  if (!validator) {
    // The schema is draft-04; Ajv 8 speaks draft-06+. Its only draft-04-only construct is the root `id`.
    const { $schema: _draft, id, ...rest } = JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
    // unicodeRegExp off: the schema's `language` pattern has a stray `]`, legal only without the u flag.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    validator = ajv.compile({ ...rest, $id: id as string });
  }
  return validator(log) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
