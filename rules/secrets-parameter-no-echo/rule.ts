// A secret passed as a CloudFormation parameter is shown in clear text in the console, in
// `describe-stacks` and in events unless the parameter is declared NoEcho.
import { defineRule } from '../api';
import { get, str } from '../template/yaml';
import { appendToBlockMap } from '../template/edit';
import { isSecretName } from '../secrets/score';

export default defineRule({
  meta: {
    id: 'secrets-parameter-no-echo',
    description: 'Require `NoEcho: true` on template parameters that carry secrets.',
    category: 'secrets',
    severity: 'warning',
    targets: ['template'],
    fix: 'safe',
    cwe: ['CWE-200'],
    sas: 'SAS-07',
    references: [
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#parameters-section-structure-properties',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/best-practices.html#creds',
    ],
    messages: {
      noEcho: 'Parameter `{name}` looks like a secret but is not `NoEcho`: its value is shown in the console, in describe-stacks output and in stack events.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    for (const p of t.parameters) {
      if (p.noEcho || !isSecretName(p.name)) continue;
      const type = str(get(p.node, 'Type')) ?? 'String';
      if (type !== 'String' && type !== 'CommaDelimitedList') continue; // SSM-typed parameters hold names
      const edit = appendToBlockMap(t.text, p.node, 'NoEcho', 'true');
      ctx.report({
        messageId: 'noEcho',
        span: p.keySpan,
        data: { name: p.name },
        fixes: edit ? [{ title: `Add NoEcho: true to \`${p.name}\``, kind: 'safe', edits: [edit] }] : [],
      });
    }
  },
});
