// The JSON schema of `.faaslint.yaml` (completion and validation in editors), generated from the
// rule registry so every rule id is offered.
import type { RuleMeta } from '../../rules/api';

export const SCHEMA_PATH = 'schemas/faaslint.schema.json';

export function renderConfigSchema(metas: readonly RuleMeta[]): string {
  const setting = { enum: ['error', 'warning', 'info', 'off'] };
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'faaslint configuration (.faaslint.yaml)',
    type: 'object',
    additionalProperties: false,
    properties: {
      rules: {
        description: 'Severity per rule id, or off.',
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries([...metas].sort((a, b) => a.id.localeCompare(b.id)).map((m) => [m.id, { ...setting, description: `${m.description} (default: ${m.severity})` }])),
      },
      exclude: { description: 'Glob patterns of files to skip, relative to the workspace root.', type: 'array', items: { type: 'string' } },
      maxFileSize: { description: 'Files larger than this many bytes are skipped with a reason (default 2097152).', type: 'integer', minimum: 1 },
    },
  };
  return JSON.stringify(schema, null, 2) + '\n';
}
