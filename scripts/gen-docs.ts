// Generates docs/rules/<id>.md, docs/rules/README.md and the README rules table from rule
// metadata, rules/<id>/docs.md and rules/<id>/fixtures/.
//
//   node --import tsx scripts/gen-docs.ts           write what changed
//   node --import tsx scripts/gen-docs.ts --check   exit 1 listing stale files, write nothing
//   --root DIR                                      another checkout (tests)
import path from 'node:path';
import { parseArgs } from 'node:util';
import { rules } from '../rules/index';
import { planDocs, staleFiles, writeDocs } from './docs/plan';

function main(): number {
  let values: { check?: boolean; root?: string };
  try {
    ({ values } = parseArgs({ options: { check: { type: 'boolean' }, root: { type: 'string' } }, strict: true }));
  } catch (e) {
    console.error(`gen-docs: ${(e as Error).message}\nusage: gen-docs [--check] [--root DIR]`);
    return 2;
  }
  const root = path.resolve(values.root ?? path.join(__dirname, '..'));
  const plan = planDocs(root, rules.map((r) => r.meta));
  for (const w of plan.warnings) console.error(`gen-docs: warning: ${w}`);
  for (const e of plan.errors) console.error(`gen-docs: ${e}`);

  if (values.check) {
    const stale = staleFiles(root, plan);
    if (stale.length > 0) {
      console.error(`gen-docs: generated docs are stale:\n${stale.map((s) => `  ${s}`).join('\n')}\nRun \`npm run docs\` and commit the result.`);
    }
    if (stale.length > 0 || plan.errors.length > 0) return 1;
    console.log(`gen-docs: docs are up to date (${plan.files.size} files)`);
    return 0;
  }
  const changed = writeDocs(root, plan);
  console.log(changed.length ? `gen-docs: wrote ${changed.join(', ')}` : `gen-docs: docs are up to date (${plan.files.size} files)`);
  return 0;
}

process.exitCode = main();
