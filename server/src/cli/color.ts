// Terminal colour: on for a TTY unless --no-color or NO_COLOR; --color or FORCE_COLOR force it.
// Plain ANSI codes: four colours do not justify a dependency.

export interface ColorInputs {
  /** --color (true) / --no-color (false) / neither (undefined). */
  flag?: boolean;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

export function shouldUseColor({ flag, env, isTTY }: ColorInputs): boolean {
  if (flag !== undefined) return flag;
  // https://no-color.org: any non-empty value disables colour.
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

export interface Palette {
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  underline(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const same = (s: string) => s;

export function palette(enabled: boolean): Palette {
  if (!enabled) return { red: same, yellow: same, blue: same, green: same, dim: same, bold: same, underline: same };
  return {
    red: wrap(31, 39), yellow: wrap(33, 39), blue: wrap(34, 39), green: wrap(32, 39),
    dim: wrap(2, 22), bold: wrap(1, 22), underline: wrap(4, 24),
  };
}
