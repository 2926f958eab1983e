// SARIF output: valid against the SARIF 2.1.0 schema, rule descriptors derived from metadata
// (tags, security-severity, help), and results whose locations, fixes and fingerprints line up.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Category, RuleMeta } from '../rules/api';
import { rules } from '../rules/index';
import type { FileResult, LocatedFinding, Range } from '../server/src/engine/engine';
import { buildReport } from '../server/src/cli/report';
import { toSarif, ruleDescriptor } from '../server/src/cli/formats/sarif';
import { sarifSchemaErrors } from '../scripts/sarif-schema';
import pkg from '../package.json';
import { CORE_RULES, configYaml, runCli, makeProject, removeProject, WILDCARD_SLS, SECRET_ENV_SLS, RISKY_HANDLER } from './support/cli-harness';

const CATEGORIES: Category[] = ['secrets', 'iam', 'input-validation', 'auth', 'encryption', 'logging', 'runtime', 'dos', 'error-handling', 'config'];
const SECURITY_SEVERITY = { error: '8.0', warning: '5.0', info: '2.0' } as const;
const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

const projects: string[] = [];
after(() => projects.forEach(removeProject));

const validateSarif = sarifSchemaErrors;

function assertValid(log: unknown): void {
  const errors = validateSarif(log);
  assert.deepEqual(errors, [], `SARIF schema errors:\n${errors.join('\n')}`);
}

// ---------------------------------------------------------------------------------------------
// The schema check itself must be able to fail.

test('the schema validator rejects broken logs', () => {
  const ok: Sarif.Log = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] };
  assertValid(ok);
  assert.notDeepEqual(validateSarif({ ...ok, version: '2.0.0' }), []);
  const badRegion = {
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a' }, region: { startLine: 0 } } }] }] }],
  };
  assert.notDeepEqual(validateSarif(badRegion), [], 'startLine 0 is invalid');
  const noMessage = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'r' }] }] };
  assert.notDeepEqual(validateSarif(noMessage), [], 'a result needs a message');
});

// ---------------------------------------------------------------------------------------------
// Rule descriptors.

function checkDescriptor(d: Sarif.ReportingDescriptor, meta: RuleMeta): void {
  assert.equal(d.id, meta.id);
  assert.equal(d.shortDescription?.text, meta.description);
  assert.ok(d.fullDescription?.text.startsWith(meta.description.replace(/\.$/, '')), `${meta.id}: fullDescription`);
  assert.equal(d.helpUri, `https://github.com/faaslint/faaslint/blob/main/docs/rules/${meta.id}.md`);
  assert.ok(d.help?.text && d.help.markdown?.includes(d.helpUri), `${meta.id}: help links the docs`);
  assert.equal(d.defaultConfiguration?.level, LEVEL[meta.severity]);
  const tags = d.properties?.tags ?? [];
  assert.ok(CATEGORIES.includes(meta.category), `${meta.id}: category ${meta.category} is one of the ten`);
  assert.ok(tags.includes(meta.category), `${meta.id}: tags include the category`);
  assert.ok(tags.includes('security'), `${meta.id}: tags include "security"`);
  for (const cwe of meta.cwe) {
    assert.match(cwe, /^CWE-\d+$/, `${meta.id}: CWE id format`);
    assert.ok(tags.includes(cwe), `${meta.id}: tags include ${cwe}`);
    assert.ok(tags.includes(`external/cwe/${cwe.toLowerCase()}`), `${meta.id}: tags include GitHub's form of ${cwe}`);
  }
  assert.match(meta.sas, /^SAS-(0[1-9]|1[0-2])$/, `${meta.id}: SAS id`);
  assert.ok(tags.includes(meta.sas), `${meta.id}: tags include ${meta.sas}`);
  const sev = d.properties?.['security-severity'];
  assert.equal(typeof sev, 'string', `${meta.id}: security-severity is a string`);
  assert.match(sev as string, /^\d{1,2}\.\d$/);
  assert.ok(Number(sev) > 0 && Number(sev) <= 10);
  assert.equal(sev, SECURITY_SEVERITY[meta.severity]);
}

test('the registry holds the expected rules', () => {
  const ids = rules.map((r) => r.meta.id);
  for (const id of ['handler-no-exec-with-event-input', 'iam-no-wildcard-action', 'secrets-no-hardcoded']) {
    assert.ok(ids.includes(id), `${id} is registered`);
  }
});

test('every registered rule has a descriptor with category, CWE and SAS tags and a security-severity', () => {
  assert.ok(rules.length > 0, 'no rules registered');
  for (const r of rules) checkDescriptor(ruleDescriptor(r.meta), r.meta);
});

// ---------------------------------------------------------------------------------------------
// A synthetic report exercises every part of the output, independent of what the rules find.

const CWD = path.resolve('/work/demo project');
const at = (line: number, character: number, endLine: number, endCharacter: number): Range => ({ start: { line, character }, end: { line: endLine, character: endCharacter } });

const META_A: RuleMeta = {
  id: 'demo-no-wildcard', description: 'Disallow wildcards.', category: 'iam', severity: 'error', targets: ['template'], fix: 'suggestion',
  cwe: ['CWE-269'], sas: 'SAS-04', references: ['https://example.com/least-privilege'], messages: {},
};
const META_B: RuleMeta = {
  id: 'demo-prefer-logging', description: 'Require structured logs.', category: 'logging', severity: 'info', targets: ['handler'],
  cwe: ['CWE-778', 'CWE-223'], sas: 'SAS-10', references: [], messages: {},
};

function finding(over: Partial<LocatedFinding> & Pick<LocatedFinding, 'ruleId' | 'uri' | 'range' | 'start' | 'end'>): LocatedFinding {
  return { severity: 'error', message: 'A message.', messageId: 'm', data: {}, fixes: [], related: [], ...over };
}

function syntheticResults(): FileResult[] {
  const sls = path.join(CWD, 'my app', 'serverless.yml');
  const handler = path.join(CWD, 'src', 'handler.js');
  const outside = path.resolve('/elsewhere/shared.yml');
  return [
    {
      file: sls, kind: 'template', dependsOn: [], problems: [],
      findings: [finding({
        ruleId: 'demo-no-wildcard', uri: sls, start: 120, end: 123, range: at(8, 18, 8, 21), message: 'Allows every action.',
        fixes: [{
          title: 'Replace `*` with 2 actions', kind: 'suggestion',
          edits: [
            { file: sls, start: 120, end: 123, newText: "['s3:GetObject', 's3:PutObject']", range: at(8, 18, 8, 21) },
            { file: handler, uri: handler, start: 0, end: 0, newText: '// reviewed\n', range: at(0, 0, 0, 0) },
          ],
        }, { title: 'An empty fix is dropped', kind: 'suggestion', edits: [] }],
        related: [{ uri: handler, start: 40, end: 52, message: 'The call that needs s3:GetObject', range: at(2, 10, 2, 22) }],
      })],
    },
    {
      file: handler, kind: 'handler', dependsOn: [], problems: [],
      findings: [finding({ ruleId: 'demo-prefer-logging', severity: 'info', uri: handler, start: 60, end: 71, range: at(3, 2, 3, 13) })],
    },
    { file: path.join(CWD, 'broken.yml'), kind: 'none', dependsOn: [], findings: [], problems: [{ message: 'Unexpected end of flow sequence', severity: 'error', range: at(0, 5, 0, 6) }] },
    { file: path.join(CWD, 'big.json'), kind: 'none', dependsOn: [], findings: [], problems: [], skipped: 'larger than the 2.0 MB limit' },
    { file: outside, kind: 'template', dependsOn: [], problems: [], findings: [finding({ ruleId: 'demo-no-wildcard', uri: outside, start: 0, end: 1, range: at(0, 0, 0, 1) })] },
  ];
}

function syntheticLog(): Sarif.Log {
  const report = buildReport(syntheticResults(), {
    cwd: CWD, rules: [META_A, META_B], ruleSettings: { 'demo-prefer-logging': 'off', 'demo-no-wildcard': 'warning' }, quiet: false,
    lineText: (_file, line) => `line ${line}`,
  });
  return toSarif(report);
}

test('synthetic report: valid SARIF 2.1.0', () => {
  assertValid(syntheticLog());
});

test('synthetic report: tool, rules and base URI', () => {
  const log = syntheticLog();
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'faaslint');
  assert.equal(run.tool.driver.version, pkg.version);
  assert.equal(run.tool.driver.informationUri, 'https://github.com/faaslint/faaslint');
  assert.deepEqual(run.tool.driver.rules?.map((r) => r.id), ['demo-no-wildcard', 'demo-prefer-logging']);
  checkDescriptor(run.tool.driver.rules![0], META_A);
  checkDescriptor(run.tool.driver.rules![1], META_B);
  const base = run.originalUriBaseIds?.SRCROOT?.uri;
  assert.equal(base, pathToFileURL(CWD).href + '/');
  assert.equal(run.columnKind, 'utf16CodeUnits');
});

test('synthetic report: results with rule index, level, 1-based region relative to SRCROOT', () => {
  const [run] = syntheticLog().runs;
  const results = run.results!;
  assert.equal(results.length, 3);
  const [first, second, outside] = results;
  assert.equal(first.ruleId, 'demo-no-wildcard');
  assert.equal(first.ruleIndex, 0);
  assert.equal(first.level, 'error');
  assert.equal(first.message.text, 'Allows every action.');
  const loc = first.locations![0].physicalLocation!;
  assert.deepEqual(loc.artifactLocation, { uri: 'my%20app/serverless.yml', uriBaseId: 'SRCROOT' });
  assert.deepEqual(loc.region, { startLine: 9, startColumn: 19, endLine: 9, endColumn: 22 });

  assert.equal(second.ruleIndex, 1);
  assert.equal(second.level, 'note', 'info is a SARIF note');

  const outsideLoc = outside.locations![0].physicalLocation!.artifactLocation!;
  assert.equal(outsideLoc.uri, pathToFileURL(path.resolve('/elsewhere/shared.yml')).href);
  assert.equal(outsideLoc.uriBaseId, undefined);
});

test('synthetic report: related locations and fixes across files', () => {
  const first = syntheticLog().runs[0].results![0];
  assert.deepEqual(first.relatedLocations, [{
    id: 1,
    physicalLocation: { artifactLocation: { uri: 'src/handler.js', uriBaseId: 'SRCROOT' }, region: { startLine: 3, startColumn: 11, endLine: 3, endColumn: 23 } },
    message: { text: 'The call that needs s3:GetObject' },
  }]);
  assert.equal(first.fixes?.length, 1, 'a fix without edits is left out');
  const fix = first.fixes![0];
  assert.equal(fix.description?.text, 'Replace `*` with 2 actions');
  assert.deepEqual(fix.artifactChanges.map((c) => c.artifactLocation.uri), ['my%20app/serverless.yml', 'src/handler.js']);
  const [replace] = fix.artifactChanges[0].replacements;
  assert.equal(replace.deletedRegion.charOffset, 120);
  assert.equal(replace.deletedRegion.charLength, 3);
  assert.equal(replace.deletedRegion.startLine, 9);
  assert.equal(replace.insertedContent?.text, "['s3:GetObject', 's3:PutObject']");
  const [insert] = fix.artifactChanges[1].replacements;
  assert.deepEqual({ offset: insert.deletedRegion.charOffset, length: insert.deletedRegion.charLength }, { offset: 0, length: 0 });
});

test('synthetic report: fingerprints, notifications and configuration overrides', () => {
  const run = syntheticLog().runs[0];
  for (const r of run.results!) assert.match(r.partialFingerprints?.['faaslint/v1'] ?? '', /^[0-9a-f]{32}:\d+$/);
  const notes = run.invocations![0].toolExecutionNotifications!;
  assert.ok(notes.some((n) => n.level === 'note' && /Skipped: larger than/.test(n.message.text!) && n.locations![0].physicalLocation!.artifactLocation!.uri === 'big.json'));
  assert.ok(notes.some((n) => n.level === 'error' && n.message.text === 'Unexpected end of flow sequence' && n.locations![0].physicalLocation!.region!.startColumn === 6));
  assert.deepEqual(run.invocations![0].ruleConfigurationOverrides, [
    { descriptor: { id: 'demo-no-wildcard', index: 0 }, configuration: { level: 'warning' } },
    { descriptor: { id: 'demo-prefer-logging', index: 1 }, configuration: { enabled: false } },
  ]);
  assert.equal(run.invocations![0].executionSuccessful, true);
});

// ---------------------------------------------------------------------------------------------
// The real CLI on a real project.

function sarifOf(cwd: string): Sarif.Log {
  const r = runCli(['--format', 'sarif'], { cwd });
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return JSON.parse(r.stdout) as Sarif.Log;
}

/** 0-based offset of a 1-based line/column in `text`. */
function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
  return offset + column - 1;
}

test('CLI: valid SARIF describing every registered rule, results pointing at their descriptors', () => {
  const cwd = makeProject({ '.faaslint.yaml': configYaml(CORE_RULES), 'serverless.yml': WILDCARD_SLS.replace('    handler: handler.main', '    handler: handler.main\n    environment:\n      KEY_ID: AKIA4QX7R2M3PLKDTWZN') });
  projects.push(cwd);
  const log = sarifOf(cwd);
  assertValid(log);
  const run = log.runs[0];
  assert.deepEqual(run.tool.driver.rules!.map((d) => d.id), rules.map((r) => r.meta.id));
  run.tool.driver.rules!.forEach((d, i) => checkDescriptor(d, rules[i].meta));

  const results = run.results!;
  for (const r of results) assert.equal(run.tool.driver.rules![r.ruleIndex!].id, r.ruleId);
  const iam = results.find((r) => r.ruleId === 'iam-no-wildcard-action');
  assert.ok(iam, JSON.stringify(results, null, 2));
  assert.deepEqual(iam.locations![0].physicalLocation, {
    artifactLocation: { uri: 'serverless.yml', uriBaseId: 'SRCROOT' },
    region: { startLine: 9, startColumn: 19, endLine: 9, endColumn: 22 },
  });
  assert.ok(results.some((r) => r.ruleId === 'secrets-no-hardcoded'), 'the env var key is found');
});

test('CLI: fix replacements point at the same text by offset and by line/column', () => {
  const cwd = makeProject({ '.faaslint.yaml': configYaml(CORE_RULES), 'serverless.yml': SECRET_ENV_SLS, 'handler.js': RISKY_HANDLER });
  projects.push(cwd);
  const log = sarifOf(cwd);
  assertValid(log);
  const base = log.runs[0].originalUriBaseIds!.SRCROOT.uri!;
  let checked = 0;
  for (const r of log.runs[0].results!) {
    for (const fix of r.fixes ?? []) {
      for (const change of fix.artifactChanges) {
        const file = new URL(change.artifactLocation.uri!, change.artifactLocation.uriBaseId ? base : undefined);
        const text = fs.readFileSync(file, 'utf8');
        for (const { deletedRegion: d } of change.replacements) {
          assert.equal(d.charOffset, offsetOf(text, d.startLine!, d.startColumn!), `${change.artifactLocation.uri}: offset and line/column agree`);
          assert.equal(d.charOffset! + d.charLength!, offsetOf(text, d.endLine!, d.endColumn!));
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 0, 'no fix replacements were produced');
});

test('CLI: fingerprints are stable across runs and line moves', () => {
  const cwd = makeProject({ '.faaslint.yaml': configYaml(CORE_RULES), 'serverless.yml': WILDCARD_SLS });
  projects.push(cwd);
  const before = sarifOf(cwd).runs[0].results!;
  assert.ok(before.length > 0);
  const again = sarifOf(cwd).runs[0].results!;
  assert.deepEqual(again.map((r) => r.partialFingerprints), before.map((r) => r.partialFingerprints));
  fs.writeFileSync(path.join(cwd, 'serverless.yml'), '# moved down by a comment\n' + WILDCARD_SLS);
  const moved = sarifOf(cwd).runs[0].results!;
  assert.deepEqual(moved.map((r) => r.partialFingerprints), before.map((r) => r.partialFingerprints));
  assert.deepEqual(moved.map((r) => r.locations![0].physicalLocation!.region!.startLine), before.map((r) => r.locations![0].physicalLocation!.region!.startLine! + 1));
});
