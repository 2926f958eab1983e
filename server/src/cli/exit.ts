// Exit codes and the decision between them. 2 is reserved for "faaslint could not do its job"
// so CI can tell a failed check from a broken invocation.
import type { Severity } from '../../../rules/api';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export type FailOn = Severity | 'none';

/** A bad invocation (unknown option, missing path, unreadable config): exit 2 with `message`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

export interface ExitInputs {
  severities: readonly Severity[];
  failOn: FailOn;
  /** Fail when more warnings than this are reported; undefined disables the check. */
  maxWarnings?: number;
}

export interface ExitDecision {
  code: number;
  cause?: 'fail-on' | 'max-warnings';
  message?: string;
}

export function decideExit({ severities, failOn, maxWarnings }: ExitInputs): ExitDecision {
  if (failOn !== 'none') {
    const n = severities.filter((s) => atLeast(s, failOn)).length;
    if (n > 0) return { code: EXIT_FINDINGS, cause: 'fail-on', message: `${n} finding${n === 1 ? '' : 's'} at or above ${failOn}` };
  }
  if (maxWarnings !== undefined) {
    const w = severities.filter((s) => s === 'warning').length;
    if (w > maxWarnings) return { code: EXIT_FINDINGS, cause: 'max-warnings', message: `too many warnings (${w}, maximum ${maxWarnings})` };
  }
  return { code: EXIT_OK };
}
