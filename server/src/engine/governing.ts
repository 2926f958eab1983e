// Which templates govern a module: the indexed templates in its folder or an ancestor folder that
// link handler modules in a tree the module is part of (under the deepest folder holding them
// all), and which of those modules import it (then it is a library, not an entry point). Build
// output (cdk.out, .aws-sam, .serverless, node_modules) governs nothing.
import path from 'node:path';
import type { GoverningTemplate } from '../../../rules/api';
import type { TemplateModel } from '../../../rules/template/model';
import type { HandlerModel } from '../../../rules/handler/model';
import { resolveImport, type Probe } from './linker';

const BUILD_DIR = /[\\/](cdk\.out|\.aws-sam|\.serverless|node_modules)[\\/]/;

export function governingTemplates(
  templateLinks: ReadonlyMap<string, ReadonlySet<string>>,
  uri: string,
  deps: Set<string>,
  templateModel: (file: string) => TemplateModel | undefined,
  handlerModel: (file: string) => HandlerModel | undefined,
  probe: Probe,
): GoverningTemplate[] {
  const out: GoverningTemplate[] = [];
  for (const [file, handlers] of templateLinks) {
    if (!handlers.size || BUILD_DIR.test(file)) continue;
    const rel = path.relative(path.dirname(file), uri);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    // Recorded even when it does not govern the module yet: a template edit can widen its tree.
    deps.add(file);
    const handlerFiles = [...handlers];
    if (!withinTree(handlerFiles, uri)) continue;
    const template = templateModel(file);
    if (!template) continue;
    const importers = handlerFiles.filter((h) => {
      if (h === uri) return false;
      const model = handlerModel(h);
      if (model) deps.add(h);
      return !!model?.imports.some((i) => resolveImport(h, i.specifier, probe.isFile) === uri);
    });
    out.push({ template, handlerFiles, importers });
  }
  return out;
}

/** Is the module under the deepest folder that holds all the template's handler modules? */
function withinTree(handlerFiles: string[], uri: string): boolean {
  let common = path.dirname(handlerFiles[0]);
  for (const f of handlerFiles.slice(1)) {
    while (path.relative(common, f).startsWith('..')) {
      const up = path.dirname(common);
      if (up === common) return false;
      common = up;
    }
  }
  const rel = path.relative(common, uri);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}
