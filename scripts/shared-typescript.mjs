// An esbuild plugin: every `import ts from 'typescript'` in a bundle reads one module that
// requires TypeScript from `requirePath` (kept outside the bundle). Marking 'typescript' itself
// external would give each importing module its own interop copy of TypeScript's ~2,300 exports
// as getters: 38 copies, ~90,000 closures that stay in the heap (~12 MB, marked at every full
// collection) and ~0.1 s at start. Used by scripts/build.mjs and by the bench, which must load
// TypeScript as the shipped bundles do.

/** @param {string} requirePath what the bundle requires at run time */
export function sharedTypescript(requirePath) {
  return {
    name: 'shared-typescript',
    setup(build) {
      build.onResolve({ filter: /^typescript$/ }, () => ({ path: 'typescript', namespace: 'shared-typescript' }));
      build.onLoad({ filter: /.*/, namespace: 'shared-typescript' }, () => ({
        contents: `const ts = require(${JSON.stringify(requirePath)});\nexport default ts;\n`,
        loader: 'js',
      }));
      build.onResolve({ filter: /.*/, namespace: 'shared-typescript' }, (args) => ({ path: args.path, external: true }));
    },
  };
}
