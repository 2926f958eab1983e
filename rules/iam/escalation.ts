// The known IAM privilege-escalation paths: actions that let a principal give itself (or a role
// it can use) more permissions than it was granted. Shared so that iam-no-wildcard-resource does
// not repeat, as a scoping warning, what iam-no-privilege-escalation reports as an error.

export interface EscalationPath {
  /** Completes "lets function `X` …"; paths with the same `does` are merged ("to a user or role"). */
  does: string;
  on?: string;
  /**
   * 'any': escalation whatever the Resource (any role or user it may touch can be made admin).
   * 'all': escalation only when Resource covers every role / function (`*`, `role/*`).
   */
  when: 'any' | 'all';
}

const ATTACH = 'attach any managed policy (AdministratorAccess included) to a';
const PUT = 'write an inline policy allowing anything into a';

export const ESCALATION_PATHS: Record<string, EscalationPath> = {
  'iam:createpolicyversion': { when: 'any', does: 'rewrite a managed policy to allow anything' },
  'iam:setdefaultpolicyversion': { when: 'any', does: 'switch a managed policy to a more permissive version' },
  'iam:createaccesskey': { when: 'any', does: 'create access keys for other IAM users' },
  'iam:createloginprofile': { when: 'any', does: 'give other IAM users a console password' },
  'iam:updateloginprofile': { when: 'any', does: "reset other IAM users' console passwords" },
  'iam:attachuserpolicy': { when: 'any', does: ATTACH, on: 'user' },
  'iam:attachgrouppolicy': { when: 'any', does: ATTACH, on: 'group' },
  'iam:attachrolepolicy': { when: 'any', does: ATTACH, on: 'role' },
  'iam:putuserpolicy': { when: 'any', does: PUT, on: 'user' },
  'iam:putgrouppolicy': { when: 'any', does: PUT, on: 'group' },
  'iam:putrolepolicy': { when: 'any', does: PUT, on: 'role' },
  'iam:addusertogroup': { when: 'any', does: 'add a user to a more privileged group' },
  'iam:updateassumerolepolicy': { when: 'any', does: "rewrite a role's trust policy to assume that role" },
  'iam:passrole': { when: 'all', does: 'pass any role, admin roles included, to a service it can start' },
  'lambda:updatefunctioncode': { when: 'all', does: "replace any function's code to run as that function's role" },
  'lambda:updatefunctionconfiguration': { when: 'all', does: "add a layer to any function to run code as that function's role" },
  'sts:assumerole': { when: 'all', does: 'assume any role that trusts this account' },
};

/** `iam:CreateRole` escalates only together with `iam:PassRole` on the roles it creates. */
export const CREATE_ROLE = 'iam:createrole';
export const CREATE_ROLE_PATH: EscalationPath = { when: 'any', does: 'create a role with any permissions and pass it to a service' };

/** "attach … to a user or role; write …" with same-`does` paths merged, in table order. */
export function describePaths(paths: EscalationPath[]): string[] {
  const byDoes = new Map<string, string[]>();
  for (const p of paths) {
    const ons = byDoes.get(p.does) ?? [];
    if (p.on && !ons.includes(p.on)) ons.push(p.on);
    byDoes.set(p.does, ons);
  }
  return [...byDoes].map(([does, ons]) => (ons.length ? `${does} ${ons.join(', ').replace(/, ([^,]*)$/, ' or $1')}` : does));
}
