// Flags SQL text built from the handler's input: pg, mysql/mysql2, knex raw clauses, sequelize,
// Prisma's `…Unsafe` methods, the RDS Data API. Values passed separately (`$1`/`?` with a values
// array, Prisma's tagged `$queryRaw`, knex bindings) never reach the SQL text, so they are not
// flows. The fix moves interpolated values into a values array when that is exact.
import ts from 'typescript';
import { defineRule, type Fix } from '../api';
import { checkTaint, callAt } from '../taint/report';
import { sqlCall } from '../taint/sinks';
import { parameterizeFix } from './fix';

export default defineRule({
  meta: {
    id: 'handler-no-sql-injection',
    description: 'Disallow SQL text built from event or request input in Lambda handlers.',
    category: 'input-validation',
    severity: 'error',
    targets: ['handler'],
    fix: 'suggestion',
    cwe: ['CWE-89'],
    sas: 'SAS-01',
    references: [
      'https://owasp.org/www-community/attacks/SQL_Injection',
      'https://cheatsheetseries.owasp.org/cheatsheets/Query_Parameterization_Cheat_Sheet.html',
      'https://node-postgres.com/features/queries#parameterized-query',
      'https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/API_ExecuteStatement.html',
    ],
    messages: {
      query: '`{source}`{at}{origin} becomes part of the SQL text run by `{callee}`; an attacker can read or change any data the database user can. Pass it as a query parameter instead.',
      dataApi: '`{source}`{at}{origin} becomes part of the `sql` of `{callee}` (RDS Data API); an attacker can read or change any data the database user can. Pass it in `parameters` instead.',
      imported: '`{source}`{at}{origin} is passed to `{via}`, which builds it into SQL text ({file}:{line}); an attacker can read or change any data the database user can. Pass it as a query parameter instead.',
    },
  },
  check(ctx) {
    checkTaint(ctx, {
      families: ['sql'],
      sinkNote: (f) => `\`${f.sink.callee}\` runs the SQL here`,
      report: (t) => {
        if (!t.local) return { messageId: 'imported', span: t.span };
        if (t.flow.sink.detail === 'sql') return { messageId: 'dataApi', span: t.span };
        const fixes: Fix[] = [];
        const call = callAt(t.model.sf, t.span);
        const sql = call && ts.isCallExpression(call) ? sqlCall(call) : undefined;
        const fix = call && ts.isCallExpression(call) && sql ? parameterizeFix(call, sql.dialect) : undefined;
        if (fix) fixes.push(fix);
        return { messageId: 'query', span: t.span, fixes };
      },
    });
  },
});
