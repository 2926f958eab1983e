// Flags outbound requests whose URL or host comes from the handler's input: fetch, axios, got,
// undici, http(s).get/request, request, superagent, needle. Input after a fixed origin (a path
// segment, a query value) cannot choose the host and is not reported; an allow-list check of the
// URL's host clears it.
import { defineRule } from '../api';
import { checkTaint } from '../taint/report';

export default defineRule({
  meta: {
    id: 'handler-no-ssrf',
    description: 'Disallow outbound requests to URLs or hosts taken from event or request input in Lambda handlers.',
    category: 'input-validation',
    severity: 'error',
    targets: ['handler'],
    cwe: ['CWE-918'],
    sas: 'SAS-01',
    references: [
      'https://owasp.org/www-community/attacks/Server_Side_Request_Forgery',
      'https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html',
    ],
    messages: {
      url: '`{source}`{at}{origin} chooses where `{callee}` sends its request; an attacker can make the function call internal services in its VPC, the Lambda runtime API, or any host, with the function\'s network access. Check the URL\'s host against an allow-list, or keep a fixed origin and put the input only in the path or query (encodeURIComponent).',
      imported: '`{source}`{at}{origin} is passed to `{via}`, which sends a request to it ({file}:{line}); an attacker can make the function call internal services or any host. Check the URL\'s host against an allow-list, or keep a fixed origin and put the input only in the path or query.',
    },
  },
  check(ctx) {
    checkTaint(ctx, {
      families: ['url'],
      sinkNote: (f) => `\`${f.sink.callee}\` sends the request here`,
      report: (t) => ({ messageId: t.local ? 'url' : 'imported', span: t.span }),
    });
  },
});
