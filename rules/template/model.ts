// The template model rules query: functions, events, environment, IAM statements, resources,
// with the YAML nodes they came from (for ranges and edits). Built once per file version.
import type { Document, Node } from './yaml';
import type { Span } from '../api';
import type { ParseProblem } from './yaml';

export type TemplateKind = 'serverless' | 'sam' | 'cloudformation';

/** One scalar-or-intrinsic value with where it sits. `value` is undefined for intrinsics. */
export interface ValueRef {
  node: Node;
  span: Span;
  value: string | undefined;
}

export interface EnvVarModel {
  name: string;
  keySpan: Span;
  value: ValueRef;
  /** Where it is declared: 'provider', 'globals', or a function's name. */
  scope: string;
}

export type EventType =
  | 'http' | 'httpApi' | 'sqs' | 's3' | 'sns' | 'schedule' | 'eventBridge' | 'stream' | 'alb'
  | 'websocket' | 'cognitoUserPool' | 'iot' | 'cloudwatchLog' | 'kafka' | 'mq' | 'functionUrl' | 'other';

export interface EventModel {
  type: EventType;
  /** The raw type as written (`Api`, `HttpApi`, `http`, …). */
  rawType: string;
  node: Node;
  span: Span;
  method?: string;
  path?: string;
  /** True for events whose payload comes from the internet (API routes, function URLs, ALB, websockets). */
  public: boolean;
}

export interface FunctionModel {
  /** Serverless function key or CloudFormation logical id. */
  name: string;
  keySpan: Span;
  node: Node;
  handler?: ValueRef;
  runtime?: ValueRef;
  /** Directory of the code, relative to the template's folder ('' for the template's folder). */
  codeDir: string;
  /** esbuild entry points declared in SAM Metadata (TypeScript sources). */
  entryPoints: string[];
  events: EventModel[];
  environment: EnvVarModel[];
  /** Where a new environment variable for this function belongs (the Variables/environment map), if present. */
  environmentNode?: Node;
  /** Logical id of the role this function uses, when it names one in the same template. */
  roleRef?: string;
  /** The role is defined outside this template (an ARN, a name, an import): its permissions are unknown. */
  externalRole: boolean;
  /** SAM policy templates (`DynamoDBCrudPolicy`, …) attached to the function. */
  policyTemplates: string[];
}

/** A managed policy attached to a function role or a role resource. */
export interface ManagedPolicyModel {
  value: ValueRef;
  /** The policy name (`AdministratorAccess`) when it can be read from a name, an ARN or a `!Sub`. */
  name: string | undefined;
  /** True for AWS managed policies (`arn:aws:iam::aws:policy/…` or a bare SAM name). */
  awsManaged: boolean;
  origin: string;
  functions: string[];
}

export interface StatementModel {
  node: Node;
  span: Span;
  effect: string | undefined;
  /** Action or NotAction items. */
  actions: ValueRef[];
  actionKey: 'Action' | 'NotAction' | undefined;
  actionNode?: Node;
  resources: ValueRef[];
  resourceKey: 'Resource' | 'NotResource' | undefined;
  principal?: Node;
  condition?: Node;
  /** Human-readable place, e.g. `provider.iam.role.statements` or `Resources.MyRole.Policies`. */
  origin: string;
  /** The functions whose role gets this statement (empty when unknown or not a function role). */
  functions: string[];
}

export interface ResourceModel {
  id: string;
  type: string;
  keySpan: Span;
  node: Node;
  properties?: Node;
}

export interface ParameterModel {
  name: string;
  keySpan: Span;
  node: Node;
  default?: ValueRef;
  noEcho: boolean;
}

export interface TemplateModel {
  uri: string;
  text: string;
  kind: TemplateKind;
  doc: Document.Parsed;
  problems: ParseProblem[];
  /** Serverless `service` name, or undefined. */
  service?: string;
  functions: FunctionModel[];
  resources: ResourceModel[];
  parameters: ParameterModel[];
  statements: StatementModel[];
  managedPolicies: ManagedPolicyModel[];
  /** Every environment variable: provider/globals-level and per function. */
  environment: EnvVarModel[];
  /** The provider-level (or SAM Globals) environment map, if present. */
  sharedEnvironmentNode?: Node;
}
