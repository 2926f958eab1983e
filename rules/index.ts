// The rule registry, sorted by id. Adding a rule: create rules/<id>/rule.ts and list it here.
import type { Rule } from './api';
import handlerNoExecWithEventInput from './handler-no-exec-with-event-input/rule';
import handlerNoSqlInjection from './handler-no-sql-injection/rule';
import handlerNoCodeInjection from './handler-no-code-injection/rule';
import handlerNoPathTraversal from './handler-no-path-traversal/rule';
import handlerNoSsrf from './handler-no-ssrf/rule';
import handlerNoNosqlInjection from './handler-no-nosql-injection/rule';
import handlerNoRegexInjection from './handler-no-regex-injection/rule';
import handlerNoUnsafeDeserialization from './handler-no-unsafe-deserialization/rule';
import handlerNoOpenRedirect from './handler-no-open-redirect/rule';
import handlerNoReflectedXss from './handler-no-reflected-xss/rule';
import inputValidationNoRequestValidation from './input-validation-no-request-validation/rule';
import authNoPublicRoute from './auth-no-public-route/rule';
import functionNoMissingHandler from './function-no-missing-handler/rule';
import handlerNoVerboseErrors from './handler-no-verbose-errors/rule';
import handlerNoCrossRequestState from './handler-no-cross-request-state/rule';
import handlerNoTmpLeftovers from './handler-no-tmp-leftovers/rule';
import iamMissingAction from './iam-missing-action/rule';
import iamNoAdminManagedPolicy from './iam-no-admin-managed-policy/rule';
import iamNoNotAction from './iam-no-not-action/rule';
import iamNoPrivilegeEscalation from './iam-no-privilege-escalation/rule';
import iamNoPublicPrincipal from './iam-no-public-principal/rule';
import iamNoWildcardAction from './iam-no-wildcard-action/rule';
import iamNoWildcardResource from './iam-no-wildcard-resource/rule';
import iamUnusedAction from './iam-unused-action/rule';
import runtimeNoDeprecated from './runtime-no-deprecated/rule';
import encryptionNoPlainHttp from './encryption-no-plain-http/rule';
import loggingNoSensitiveDump from './logging-no-sensitive-dump/rule';
import secretsNoHardcoded from './secrets-no-hardcoded/rule';
import secretsParameterNoEcho from './secrets-parameter-no-echo/rule';
import dosSqsVisibilityTimeout from './dos-sqs-visibility-timeout/rule';
import dosNoMaxTimeout from './dos-no-max-timeout/rule';
import dosNoFailureDestination from './dos-no-failure-destination/rule';
import dosNoRecursiveInvocation from './dos-no-recursive-invocation/rule';
import encryptionNoUnencryptedTopicStream from './encryption-no-unencrypted-topic-stream/rule';
import loggingNoTracing from './logging-no-tracing/rule';
import loggingNoLogRetention from './logging-no-log-retention/rule';
import encryptionNoS3SecureTransport from './encryption-no-s3-secure-transport/rule';
import encryptionNoEnvKmsKey from './encryption-no-env-kms-key/rule';
import dosNoReservedConcurrency from './dos-no-reserved-concurrency/rule';
import functionNoUnreferencedHandler from './function-no-unreferenced-handler/rule';

export const rules: Rule[] = ([
  handlerNoExecWithEventInput,
  handlerNoSqlInjection,
  handlerNoCodeInjection,
  handlerNoPathTraversal,
  handlerNoSsrf,
  handlerNoNosqlInjection,
  handlerNoRegexInjection,
  handlerNoUnsafeDeserialization,
  handlerNoOpenRedirect,
  handlerNoReflectedXss,
  inputValidationNoRequestValidation,
  authNoPublicRoute,
  functionNoMissingHandler,
  handlerNoVerboseErrors,
  handlerNoCrossRequestState,
  handlerNoTmpLeftovers,
  iamMissingAction,
  iamNoAdminManagedPolicy,
  iamNoNotAction,
  iamNoPrivilegeEscalation,
  iamNoPublicPrincipal,
  iamNoWildcardAction,
  iamNoWildcardResource,
  iamUnusedAction,
  runtimeNoDeprecated,
  encryptionNoPlainHttp,
  loggingNoSensitiveDump,
  secretsNoHardcoded,
  secretsParameterNoEcho,
  dosSqsVisibilityTimeout,
  dosNoMaxTimeout,
  dosNoFailureDestination,
  dosNoRecursiveInvocation,
  encryptionNoUnencryptedTopicStream,
  loggingNoTracing,
  loggingNoLogRetention,
  encryptionNoS3SecureTransport,
  encryptionNoEnvKmsKey,
  dosNoReservedConcurrency,
  functionNoUnreferencedHandler,
] as Rule[]).sort((a, b) => a.meta.id.localeCompare(b.meta.id));

export function ruleById(id: string): Rule | undefined {
  return rules.find((r) => r.meta.id === id);
}
