// SARIF 2.1.0 schema validation, shared by the SARIF tests, the editor end-to-end tests and the
// fuzzer. The official schema ships with @microsoft/jest-sarif (a dev dependency).
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const SCHEMA = path.join(__dirname, '..', 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

let validator: ValidateFunction | undefined;

/** Schema errors of a SARIF log (path, message, parameters); empty when it is valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!validator) {
    const { $schema, id, ...rest } = JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
    // Ajv 8 speaks draft-06+; the schema's only draft-04-only construct is the root `id`.
    if ($schema !== DRAFT_04) throw new Error(`SARIF schema draft changed (${String($schema)}): revisit scripts/sarif-schema.ts`);
    // unicodeRegExp off: the schema's `language` pattern has a stray `]`, legal only without the u flag.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    validator = ajv.compile({ ...rest, $id: id as string });
  }
  return validator(log) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
