// Flags redirects whose target comes from the handler's input: a `Location` header in a Lambda
// proxy response, `res.redirect`, `res.location`, `res.setHeader('Location', …)`.
import { defineRule } from '../api';
import { checkTaint } from '../taint/report';

export default defineRule({
  meta: {
    id: 'handler-no-open-redirect',
    description: 'Disallow redirects to URLs taken from event or request input without an allow-list in Lambda handlers.',
    category: 'input-validation',
    severity: 'warning',
    targets: ['handler'],
    cwe: ['CWE-601'],
    sas: 'SAS-01',
    references: [
      'https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html',
      'https://owasp.org/www-community/attacks/Unvalidated_Redirects_and_Forwards',
    ],
    messages: {
      header: '`{source}`{at}{origin} is the `Location` of this response; an attacker can make a link to your domain redirect to a phishing site. Redirect only to fixed paths, or check the target\'s host against an allow-list.',
      redirect: '`{source}`{at}{origin} chooses where `{callee}` redirects; an attacker can make a link to your domain redirect to a phishing site. Redirect only to fixed paths, or check the target\'s host against an allow-list.',
      imported: '`{source}`{at}{origin} is passed to `{via}`, which redirects to it ({file}:{line}); an attacker can make a link to your domain redirect to a phishing site. Check the target\'s host against an allow-list.',
    },
  },
  check(ctx) {
    checkTaint(ctx, {
      families: ['redirect'],
      sinkNote: (f) => (f.sink.kind === 'Location header' ? 'the response redirects here' : `\`${f.sink.callee}\` redirects here`),
      report: (t) => ({ messageId: !t.local ? 'imported' : t.flow.sink.kind === 'Location header' ? 'header' : 'redirect', span: t.span }),
    });
  },
});
