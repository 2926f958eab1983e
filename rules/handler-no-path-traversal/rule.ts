// Flags file paths built from the handler's input: fs (and fs/promises, fs-extra) reads,
// writes, deletes and streams, and express `res.sendFile`/`res.download` without a `root`.
// `path.join`/`path.resolve` do not help (they resolve `../`); `path.basename` and a check that
// the resolved path stays under its base directory do.
import { defineRule } from '../api';
import { checkTaint } from '../taint/report';

export default defineRule({
  meta: {
    id: 'handler-no-path-traversal',
    description: 'Disallow file paths built from event or request input in Lambda handlers.',
    category: 'input-validation',
    severity: 'error',
    targets: ['handler'],
    cwe: ['CWE-22'],
    sas: 'SAS-01',
    references: [
      'https://owasp.org/www-community/attacks/Path_Traversal',
      'https://cheatsheetseries.owasp.org/cheatsheets/Nodejs_Security_Cheat_Sheet.html',
      'https://nodejs.org/api/path.html#pathbasenamepath-suffix',
    ],
    messages: {
      path: '`{source}`{at}{origin} is part of the file path `{callee}` uses; with `../` an attacker can reach any file the function can (its code, /tmp of other requests, /proc/self/environ with its credentials). Use `path.basename` of it under a fixed directory, or check that the resolved path stays inside that directory.',
      imported: '`{source}`{at}{origin} is passed to `{via}`, which uses it in a file path ({file}:{line}); with `../` an attacker can reach any file the function can. Use `path.basename` of it under a fixed directory, or check that the resolved path stays inside that directory.',
    },
  },
  check(ctx) {
    checkTaint(ctx, {
      families: ['path'],
      sinkNote: (f) => `\`${f.sink.callee}\` uses the path here`,
      report: (t) => ({ messageId: t.local ? 'path' : 'imported', span: t.span }),
    });
  },
});
