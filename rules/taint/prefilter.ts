// Whether an entry can reach a sink at all, decided from syntax before the interpreter runs. The
// interpreter reports taint only where a call or `new` is a sink (matchSinks), where a response
// object literal has headers (a Location header, an HTML body), or inside a local module it
// follows; all of these are in the top-level statements the entry reaches by name, or in a
// module one of them calls. An entry that reaches none has no flows.
import ts from 'typescript';
import { memo, type HandlerModel } from '../handler/model';
import { partOf } from '../handler/build';
import { anyWithin, syntaxIndex } from '../handler/syntax-index';
import { reach } from '../handler/reach';
import { matchSinks, propName, type SinkMatch } from './sinks';
import { moduleRef, skipParens } from './modules';

// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  isElementAccessExpression, isMethodDeclaration, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment,
  isShorthandPropertyAssignment, isStringLiteralLike, isTemplateExpression,
} = ts;

export function mayReachSink(model: HandlerModel, fn: ts.Node): boolean {
  // Per file version (what a call is depends on declarations elsewhere in the module): entries
  // share most of what they reach.
  const known = memo(model, 'sink-statements', () => new Map<ts.Node, boolean>());
  const headers = memo(model, 'headers-at', () => occurrences(model.sf.text, 'eaders'));
  // A local module is named by a string (an import, a require): without one, no call leads into one.
  const localModules = memo(model, 'local-specifiers', () => syntaxIndex(model).strings.some((x) => isStringLiteralLike(x) && x.text.startsWith('.')));
  for (const st of reach(model.sf, fn).statements) {
    let may = known.get(st);
    if (may === undefined) known.set(st, (may = statementMayHoldSink(st, headers, localModules)));
    if (may) return true;
  }
  return false;
}

/** Where `word` occurs in `text`, in order. */
function occurrences(text: string, word: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + 1)) out.push(i);
  return out;
}

function statementMayHoldSink(st: ts.Node, headers: readonly number[], localModules: boolean): boolean {
  const part = partOf(st as ts.Statement);
  if (!part || part.tooDeep) return true;
  // Response headers (Location, content type), however the object is built (a key may be
  // spelled with escapes: its name or string value decoded).
  if (anyWithin(headers, st.pos, st.end)) return true;
  for (const n of part.names) if (n.includes('eaders')) return true;
  for (const x of part.index.strings) {
    if (!isTemplateExpression(x)) {
      if (x.text.includes('eaders')) return true;
      continue;
    }
    if (x.head.text.includes('eaders') || x.templateSpans.some((sp) => sp.literal.text.includes('eaders'))) return true;
  }
  for (const n of part.index.news) if (matchSinks(n).some((m) => canHit(m, n))) return true;
  for (const c of part.index.calls) {
    if (matchSinks(c).some((m) => canHit(m, c))) return true;
    // A function of a local module: its sinks are found by following it.
    if (localModules && fromLocalModule(c.expression)) return true;
  }
  return false;
}

/**
 * `lib.users.find(…)` with `lib` from `./lib`: a member chain comes from the module its root
 * does (what moduleRef finds for the whole chain), so only the root is resolved.
 */
function fromLocalModule(callee: ts.Expression): boolean {
  let e = skipParens(callee);
  while (isPropertyAccessExpression(e) || (isElementAccessExpression(e) && isStringLiteralLike(e.argumentExpression))) e = skipParens(e.expression);
  return !!moduleRef(e)?.module.startsWith('.');
}

/**
 * A sink that reads only named fields of an object argument cannot be hit when every such
 * argument is an object literal with none of those fields (and no spread or computed key).
 */
function canHit(m: SinkMatch, node: ts.CallExpression | ts.NewExpression): boolean {
  return m.args.some((a) => {
    if (!a.fieldsOnly || !a.fields) return true;
    const arg = node.arguments?.[a.index];
    if (!arg) return false;
    const o = skipParens(arg);
    if (!isObjectLiteralExpression(o)) return true;
    const wanted = a.ci ? a.fields.map((f) => f.toLowerCase()) : a.fields;
    return o.properties.some((p) => {
      if (!(isPropertyAssignment(p) || isShorthandPropertyAssignment(p) || isMethodDeclaration(p))) return true; // spread
      const name = propName(p.name);
      return name === undefined || wanted.includes(a.ci ? name.toLowerCase() : name);
    });
  });
}
