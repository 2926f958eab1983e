// Which functions answer a template's public routes: the route's own function (Serverless and
// SAM events), or the function an API Gateway method, HTTP API route or function URL resource
// points at (directly, or through the integration resource it names).
import type { TemplateModel, FunctionModel } from '../template/model';
import { templateRoutes, type Route } from './routes';
import { mentions } from '../functions/refs';
import { logicalId } from '../functions/settings';

/** Routes with no protection at all (no authorizer, IAM auth or API key), by the function behind them. */
export function publicRouteFunctions(t: TemplateModel): Map<FunctionModel, Route[]> {
  const out = new Map<FunctionModel, Route[]>();
  for (const r of templateRoutes(t)) {
    if (r.protection !== 'none' || r.method === 'OPTIONS') continue;
    for (const fn of r.fn ? [r.fn] : functionsBehind(t, r)) {
      const list = out.get(fn) ?? [];
      list.push(r);
      out.set(fn, list);
    }
  }
  return out;
}

/** The functions a route resource points at, directly or through one integration resource. */
function functionsBehind(t: TemplateModel, r: Route): FunctionModel[] {
  if (!r.node) return [];
  const direct = t.functions.filter((fn) => mentions(t, r.node, logicalId(fn)));
  if (direct.length) return direct;
  const integrations = t.resources.filter((x) => x.type === 'AWS::ApiGatewayV2::Integration' && mentions(t, r.node, x.id));
  return t.functions.filter((fn) => integrations.some((x) => mentions(t, x.properties, logicalId(fn))));
}
