// The route auth matrix: every HTTP route and function URL of the audited templates, with the
// protection the template gives it and whether the handler checks the caller in code.
import path from 'node:path';
import { templateRoutes, STATE_CHANGING } from '../../../rules/auth/routes';
import { checksIdentity } from '../../../rules/auth/identity';
import type { Engine } from './engine';

export interface RouteRow {
  method: string;
  path: string;
  function: string;
  template: string;
  line: number;
  /** authorizer | iam | api-key | none | unknown */
  protection: string;
  detail: string;
  /** undefined when the handler could not be read. */
  handlerChecksIdentity: boolean | undefined;
  /** A state-changing route that is public in the template and in the code. */
  publicBothSides: boolean;
}

export function routeMatrix(engine: Engine, templateFiles: string[]): RouteRow[] {
  const rows: RouteRow[] = [];
  for (const file of templateFiles) {
    const loaded = engine.docs.load(file);
    if (!loaded.ok || loaded.doc.model.kind !== 'template') continue;
    const t = loaded.doc.model.template;
    for (const r of templateRoutes(t)) {
      const linked = r.fn ? engine.linkedHandler(t, r.fn) : undefined;
      const identity = linked ? checksIdentity(linked.model) : undefined;
      const open = r.protection === 'none' || r.protection === 'api-key';
      rows.push({
        method: r.method,
        path: r.path,
        function: r.fn?.name ?? '',
        template: file,
        line: loaded.doc.index.position(r.span.start).line + 1,
        protection: r.protection,
        detail: r.detail,
        handlerChecksIdentity: identity,
        publicBothSides: open && identity !== true && (STATE_CHANGING.has(r.method) || r.kind === 'url'),
      });
    }
  }
  return rows.sort((a, b) => a.template.localeCompare(b.template) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

export function relativeTo(roots: string[], file: string): string {
  const root = roots.find((r) => file.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  return root ? path.relative(root, file) : file;
}
