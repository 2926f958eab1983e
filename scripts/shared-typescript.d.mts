import type { Plugin } from 'esbuild';
export declare function sharedTypescript(requirePath: string): Plugin;
