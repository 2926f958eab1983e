// The structural template edits new fixes rely on: a new top-level section before an entry, a new
// resource after another, a new item at the end of a block list. Layout kept, CRLF kept, comments
// above a key stay with it, flow collections and JSON refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml, get, getPath, items, str } from '../rules/template/yaml';
import { insertEntryBefore, insertEntryAfter, appendToBlockSeq } from '../rules/template/edit';
import type { TextEdit } from '../rules/api';

const apply = (text: string, e: TextEdit | undefined) => {
  assert.ok(e, 'an edit');
  return text.slice(0, e.start) + e.newText + text.slice(e.end);
};

const SAM = `Transform: AWS::Serverless-2016-10-31
# The functions.
Resources:
  Fn:
    Type: AWS::Serverless::Function
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: b
Outputs: {}
`;

test('insertEntryBefore adds a section above the key and the comments that describe it', () => {
  const { doc } = parseYaml(SAM);
  const out = apply(SAM, insertEntryBefore(SAM, doc.contents as never, 'Resources', 'Globals', [[1, 'Function:'], [2, 'Tracing: Active']]));
  assert.ok(out.includes('Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Tracing: Active\n\n# The functions.\nResources:'), out);
  const re = parseYaml(out);
  assert.deepEqual(re.problems, []);
  assert.equal(str(getPath(re.doc.contents, ['Globals', 'Function', 'Tracing'])), 'Active');
  assert.equal(insertEntryBefore(SAM, doc.contents as never, 'Nope', 'Globals', []), undefined);
});

test('insertEntryAfter puts a resource right after another, in the document indentation', () => {
  const { doc } = parseYaml(SAM);
  const resources = get(doc.contents, 'Resources');
  const out = apply(SAM, insertEntryAfter(SAM, resources as never, 'Fn', 'Policy', [[1, 'Type: AWS::S3::BucketPolicy']]));
  const re = parseYaml(out);
  assert.deepEqual(re.problems, []);
  const keys = (get(re.doc.contents, 'Resources') as { items: Array<{ key: { value: string } }> }).items.map((p) => p.key.value);
  assert.deepEqual(keys, ['Fn', 'Policy', 'Bucket']);
  assert.equal(str(getPath(re.doc.contents, ['Resources', 'Policy', 'Type'])), 'AWS::S3::BucketPolicy');
});

test('appendToBlockSeq adds an item aligned with the others, CRLF kept', () => {
  const text = 'Statement:\r\n  - Effect: Allow\r\n    Action: s3:GetObject\r\nNext: 1\r\n';
  const { doc } = parseYaml(text);
  const out = apply(text, appendToBlockSeq(text, get(doc.contents, 'Statement') as never, [[0, 'Effect: Deny'], [0, 'Condition:'], [1, 'Bool:'], [2, "'aws:SecureTransport': 'false'"]]));
  assert.ok(!/[^\r]\n/.test(out), 'CRLF only');
  const re = parseYaml(out);
  assert.deepEqual(re.problems, []);
  const list = items(get(re.doc.contents, 'Statement'));
  assert.equal(list.length, 2);
  assert.equal(str(getPath(list[1], ['Condition', 'Bool', 'aws:SecureTransport'])), 'false');
  assert.equal(str(get(re.doc.contents, 'Next')), '1');
});

test('flow collections and JSON get no structural edit', () => {
  const json = '{ "Resources": { "B": { "Type": "AWS::S3::Bucket" } }, "L": [1, 2] }';
  const { doc } = parseYaml(json);
  assert.equal(insertEntryAfter(json, get(doc.contents, 'Resources') as never, 'B', 'P', [[1, 'Type: X']]), undefined);
  assert.equal(insertEntryBefore(json, doc.contents as never, 'Resources', 'Globals', [[1, 'Function:']]), undefined);
  assert.equal(appendToBlockSeq(json, get(doc.contents, 'L') as never, [[0, '3']]), undefined);
});
