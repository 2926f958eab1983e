// matchSinks answers most calls without asking the sink families: a method name no family knows
// (`console.log`), a plain function that is no import, global sink or DynamoDB method
// (`validate(x)`). On every call and `new` of every handler fixture and the example project, its
// answer must equal what the families say when asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { buildHandler } from '../rules/handler/build';
import { matchSinks, sinkFamilies } from '../rules/taint/sinks';
import { listDir, stripWithMap, isFixtureSource } from './support/lint-dir';

const ROOT = path.join(import.meta.dirname, '..');
const HANDLER = /\.(js|mjs|cjs|ts|mts|tsx|jsx)$/;

function handlerFiles(): string[] {
  const dirs = fs.readdirSync(path.join(ROOT, 'rules')).map((r) => path.join(ROOT, 'rules', r, 'fixtures')).filter((d) => fs.existsSync(d));
  dirs.push(path.join(ROOT, 'examples'));
  return dirs.flatMap((d) => listDir(d).filter((f) => isFixtureSource(f) && HANDLER.test(f)).map((f) => path.join(d, f)));
}

test('the sink shortcuts agree with the sink families on every call of every fixture', () => {
  let calls = 0;
  let shortcut = 0;
  let sinks = 0;
  const wrong: string[] = [];
  for (const file of handlerFiles()) {
    const model = buildHandler(file, stripWithMap(fs.readFileSync(file, 'utf8')).linted);
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
        calls++;
        const fast = matchSinks(n);
        const full = sinkFamilies(n);
        if (fast.length === 0 && full.length === 0) shortcut++;
        if (full.length) sinks++;
        const brief = (ms: typeof full) => JSON.stringify(ms.map((m) => ({ family: m.family, kind: m.kind, args: m.args })));
        if (brief(fast) !== brief(full)) wrong.push(`${path.relative(ROOT, file)}: ${n.getText(model.sf).slice(0, 60)}: ${brief(fast)} ≠ ${brief(full)}`);
      }
      ts.forEachChild(n, visit);
    };
    visit(model.sf);
  }
  assert.deepEqual(wrong, []);
  // Enough of both kinds for the comparison to mean something.
  assert.ok(sinks > 150, `${sinks} sink calls`);
  assert.ok(shortcut > 500, `${shortcut} of ${calls} calls are no sink`);
});
