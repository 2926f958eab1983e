// The tool's name and version, taken from package.json at build time (esbuild inlines the JSON).
import { version } from '../../../package.json';

export const TOOL_NAME = 'faaslint';
export const TOOL_VERSION: string = version;
export const INFORMATION_URI = 'https://github.com/faaslint/faaslint';

/** The generated docs page of a rule (also its SARIF helpUri and LSP codeDescription). */
export function ruleDocsUrl(id: string): string {
  return `${INFORMATION_URI}/blob/main/docs/rules/${id}.md`;
}
