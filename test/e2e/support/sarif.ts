// SARIF 2.1.0 schema validation for logs the editor writes.
export { sarifSchemaErrors as sarifErrors } from '../../../scripts/sarif-schema';
