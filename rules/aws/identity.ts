// When two template values name the same resource: the same logical id (`!Ref B`, `!GetAtt B.Arn`,
// a literal equal to B's `BucketName`), or the same name text (Serverless variables expanded), or
// the same ARN. Used to join what the code writes to with what triggers the function.
import type { TemplateModel } from '../template/model';
import { arnParts } from '../functions/triggers';
import { KINDS, resourceNamed, type ResourceKind } from './arns';
import { expandSelf, type TValue } from './template-values';

/** Keys under which a value is known; two values name the same resource when they share one. */
export function identities(t: TemplateModel, kind: ResourceKind, v: TValue): string[] {
  switch (v.kind) {
    case 'ref':
    case 'getatt': {
      const res = t.resources.find((r) => r.id === v.id);
      if (res) return KINDS[kind].types[res.type] ? [`res:${v.id}`] : [];
      return t.parameters.some((p) => p.name === v.id) ? [`param:${v.id}`] : [];
    }
    case 'import':
      return [];
    case 'sub':
    case 'text': {
      const name = nameIn(kind, v.text.trim());
      if (!name) return [];
      const expanded = v.kind === 'text' ? expandSelf(t, name) : name;
      const out = [`name:${expanded}`];
      // A name equal to a resource's own name property (`BucketName: !Sub '${AWS::StackName}-x'`).
      const res = v.kind === 'sub' ? resourceNamed(t, kind, name, true) : !expanded.includes('${') || t.kind === 'serverless' ? resourceNamed(t, kind, expanded) : undefined;
      if (res) out.push(`res:${res.id}`);
      return out;
    }
  }
}

/** The resource name inside an ARN or a queue URL; the text itself when it is a plain name. */
function nameIn(kind: ResourceKind, text: string): string | undefined {
  if (!text) return undefined;
  if (text.startsWith('https://')) {
    if (kind !== 'queue') return undefined;
    const segs = text.split('/');
    return segs[segs.length - 1] || undefined;
  }
  if (!text.startsWith('arn:')) return text;
  const parts = arnParts(text);
  const resource = parts[5];
  if (resource === undefined) return undefined;
  switch (kind) {
    case 'bucket': return resource.split('/')[0] || undefined;
    case 'table': return /^table\/([^/]+)/.exec(resource)?.[1];
    case 'stream': return /^stream\/([^/]+)/.exec(resource)?.[1];
    default: return resource;
  }
}
