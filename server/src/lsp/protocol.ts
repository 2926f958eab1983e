// faaslint's own LSP extensions, shared by the server and the VS Code client (types and names
// only, no imports, so the client bundle pulls in nothing from the server).

/** `faaslint/audit`: lint every file of the workspace folders, publish diagnostics, return totals. */
export const AUDIT_REQUEST = 'faaslint/audit';

export interface AuditParams {
  /** Client-created progress token (LSP work-done progress); the server creates one otherwise. */
  workDoneToken?: string | number;
}

export type SeverityName = 'error' | 'warning' | 'info';

export interface AuditTopFinding {
  ruleId: string;
  severity: SeverityName;
  category: string;
  message: string;
  uri: string;
  /** Workspace-relative path, for display. */
  path: string;
  /** 1-based, for display. */
  line: number;
}

export interface AuditRoute {
  method: string;
  path: string;
  function: string;
  /** Template path relative to its workspace folder, and the route's line. */
  template: string;
  uri: string;
  line: number;
  protection: string;
  detail: string;
  handlerChecksIdentity: boolean | null;
  publicBothSides: boolean;
}

export interface AuditResult {
  /** Files analysed (or looked at and skipped). */
  files: number;
  skipped: number;
  /** Files with at least one finding. */
  filesWithFindings: number;
  findings: number;
  /** Files whose text did not parse cleanly. */
  filesWithProblems: number;
  bySeverity: Record<SeverityName, number>;
  byCategory: Record<string, number>;
  byRule: Record<string, { count: number; category: string; description: string }>;
  /** The most severe findings first, at most 20. */
  top: AuditTopFinding[];
  cancelled: boolean;
  durationMs: number;
  roots: string[];
  /** The route auth matrix: every HTTP route and function URL with its protection. */
  routes: AuditRoute[];
  /** The same totals as a Markdown report, ready to show. */
  markdown: string;
}

/** Commands the server executes (`workspace/executeCommand`); the client's own start with `faaslint.` too but differ. */
export const SERVER_COMMANDS = {
  /** args: [ruleId] — opens the rule's documentation page. */
  openRuleDocs: 'faaslint.server.openRuleDocs',
  /** args: [] — runs the workspace audit with server-created progress; returns an AuditResult. */
  audit: 'faaslint.server.audit',
} as const;

export const CODE_ACTION_FIX_ALL_KIND = 'source.fixAll.faaslint';

export function docsUrl(ruleId: string): string {
  return `https://github.com/faaslint/faaslint/blob/main/docs/rules/${encodeURIComponent(ruleId)}.md`;
}
