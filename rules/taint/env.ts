// The abstract state at one program point: the value of each variable, and which variables or
// property paths a guard has proven safe ("refinements"). Branches clone it and merge after.
import type ts from 'typescript';
import type { Family, Value } from './types';
import { join } from './values';

let nextId = 1;
const ids = new WeakMap<ts.Node, number>();

/** Stable key of a declaration, the root of refinement keys (`k12.body.cmd`). */
export function declKey(decl: ts.Node): string {
  let id = ids.get(decl);
  if (id === undefined) ids.set(decl, (id = nextId++));
  return `k${id}`;
}

export class Env {
  constructor(
    readonly vars = new Map<ts.Identifier, Value>(),
    readonly refined = new Map<string, readonly Family[]>(),
    /** `const file = event.x`: variable key → the path it copies, so a guard on either covers both. */
    readonly aliases = new Map<string, string>(),
  ) {}

  clone(): Env {
    return new Env(new Map(this.vars), new Map(this.refined), new Map(this.aliases));
  }

  replaceWith(other: Env): void {
    for (const [mine, theirs] of [[this.vars, other.vars], [this.refined, other.refined], [this.aliases, other.aliases]] as const) {
      (mine as Map<unknown, unknown>).clear();
      for (const [k, v] of theirs as Map<unknown, unknown>) (mine as Map<unknown, unknown>).set(k, v);
    }
  }

  refine(key: string, families: readonly Family[]): void {
    const add = (k: string) => this.refined.set(k, [...new Set([...(this.refined.get(k) ?? []), ...families])]);
    add(key);
    const target = this.aliases.get(key);
    if (target) add(target);
    for (const [v, src] of this.aliases) if (src === key) add(v);
  }

  /** A write to `key` voids what guards proved about it and about its fields. */
  invalidate(key: string): void {
    const under = (k: string) => k === key || k.startsWith(key + '.') || k.startsWith(key + '[');
    for (const k of [...this.refined.keys()]) if (under(k)) this.refined.delete(k);
    for (const [v, src] of [...this.aliases]) if (under(v) || under(src)) this.aliases.delete(v);
  }

  /** Join of the states reaching a point: taint is unioned, a refinement must hold on every path. */
  static merge(envs: Env[]): Env | undefined {
    if (!envs.length) return undefined;
    if (envs.length === 1) return envs[0].clone();
    const out = new Env();
    const keys = new Set<ts.Identifier>();
    for (const e of envs) for (const k of e.vars.keys()) keys.add(k);
    for (const k of keys) {
      let v: Value | undefined;
      for (const e of envs) v = v === undefined ? e.vars.get(k) ?? { labels: [] } : join(v, e.vars.get(k));
      out.vars.set(k, v!);
    }
    for (const [k, fams] of envs[0].refined) {
      let common = fams;
      for (const e of envs.slice(1)) {
        const other = e.refined.get(k);
        common = other ? common.filter((f) => other.includes(f)) : [];
      }
      if (common.length) out.refined.set(k, common);
    }
    for (const [k, src] of envs[0].aliases) if (envs.every((e) => e.aliases.get(k) === src)) out.aliases.set(k, src);
    return out;
  }
}
