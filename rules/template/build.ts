// Builds the template model from a parsed YAML/JSON document: Serverless Framework, SAM or
// plain CloudFormation. Pure and total: odd shapes yield fewer facts, never an exception.
import {
  parseYaml, get, getPath, pairs, keyName, str, rawStr, items, spanOf, deref, intrinsic, isMap, isSeq,
  type Node, type Document,
} from './yaml';
import type {
  TemplateModel, TemplateKind, FunctionModel, EventModel, EventType, EnvVarModel, StatementModel,
  ResourceModel, ParameterModel, ValueRef, ManagedPolicyModel,
} from './model';

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

export function detectKind(root: unknown, doc: Document): TemplateKind | undefined {
  if (!isMap(root)) return undefined;
  const transform = get(root, 'Transform', doc);
  if (items(transform, doc).some((t) => str(t) === SAM_TRANSFORM)) return 'sam';
  if (get(root, 'service', doc) !== undefined && (get(root, 'provider', doc) || get(root, 'functions', doc))) {
    return 'serverless';
  }
  if (get(root, 'AWSTemplateFormatVersion', doc) !== undefined) return 'cloudformation';
  const resources = get(root, 'Resources', doc);
  const typed = pairs(resources, doc).some((p) => /^(AWS|Custom|Alexa)::/.test(str(get(p.value, 'Type', doc)) ?? ''));
  return typed ? 'cloudformation' : undefined;
}

export function valueRef(node: Node | undefined): ValueRef | undefined {
  const span = spanOf(node);
  if (!node || !span) return undefined;
  return { node, span, value: str(node) };
}

/** Parses and models a template; undefined when the text is not a deployment template. */
export function buildTemplate(uri: string, text: string, kindHint?: TemplateKind): TemplateModel | undefined {
  const { doc, problems } = parseYaml(text);
  const root = deref(doc.contents, doc);
  const kind = detectKind(root, doc) ?? kindHint;
  if (!kind) return undefined;
  const model: TemplateModel = {
    uri, text, kind, doc, problems,
    functions: [], resources: [], parameters: [], statements: [], managedPolicies: [], environment: [],
  };
  if (!isMap(root)) return model;
  if (kind === 'serverless') buildServerless(model, root, doc);
  else buildCloudFormation(model, root, doc, get(root, 'Globals', doc));
  // Functions whose role is not defined in this template have unknown permissions.
  for (const f of model.functions) {
    if (f.roleRef && !model.resources.some((r) => r.id === f.roleRef && r.type === 'AWS::IAM::Role')) f.externalRole = true;
  }
  return model;
}

// ---------- Serverless Framework ----------

function buildServerless(m: TemplateModel, root: Node, doc: Document): void {
  const service = get(root, 'service', doc);
  m.service = str(service) ?? str(get(service, 'name', doc));
  const provider = get(root, 'provider', doc);
  const providerRuntime = get(provider, 'runtime', doc);
  const sharedEnv = get(provider, 'environment', doc);
  m.sharedEnvironmentNode = isMap(sharedEnv) ? sharedEnv : undefined;
  m.environment.push(...envVars(sharedEnv, 'provider', doc));

  const functionsNode = get(root, 'functions', doc);
  const fnPairs = isSeq(functionsNode)
    ? items(functionsNode, doc).flatMap((n) => pairs(n, doc))
    : pairs(functionsNode, doc);
  const sharedRoleFns: string[] = [];
  for (const p of fnPairs) {
    const name = keyName(p);
    const body = deref(p.value, doc);
    const keySpan = spanOf(p.key);
    if (!name || !keySpan || !body) continue;
    const envNode = get(body, 'environment', doc);
    const fn: FunctionModel = {
      name, keySpan, node: body,
      handler: valueRef(get(body, 'handler', doc)),
      runtime: valueRef(get(body, 'runtime', doc) ?? providerRuntime),
      codeDir: '',
      entryPoints: [],
      events: slsEvents(body, doc),
      environment: envVars(envNode, name, doc),
      environmentNode: isMap(envNode) ? envNode : undefined,
      externalRole: false,
      policyTemplates: [],
    };
    if (get(body, 'url', doc) !== undefined) {
      const url = get(body, 'url', doc)!;
      fn.events.push({ type: 'functionUrl', rawType: 'url', node: url, span: spanOf(url)!, public: true });
    }
    m.functions.push(fn);
    m.environment.push(...fn.environment);
    const ownStatements = [
      ...items(get(body, 'iamRoleStatements', doc), doc),
      ...items(getPath(body, ['iam', 'role', 'statements'], doc), doc),
    ];
    for (const s of ownStatements) pushStatement(m, s, doc, `functions.${name}.iamRoleStatements`, [name]);
    const fnRole = get(body, 'role', doc);
    if (fnRole !== undefined) {
      // `role: MyRole` names a role in resources; anything else (an ARN, a variable) is external.
      fn.roleRef = str(fnRole) && !str(fnRole)!.includes(':') ? str(fnRole) : refName(fnRole);
      fn.externalRole = !fn.roleRef;
    } else if (!ownStatements.length) sharedRoleFns.push(name);
  }

  const role = getPath(provider, ['iam', 'role'], doc);
  // `provider.iam.role: arn:…` / `provider.role: …`: every shared-role function uses a role defined elsewhere.
  const providerRole = get(provider, 'role', doc);
  if ((role !== undefined && !isMap(role)) || providerRole !== undefined) {
    for (const f of m.functions) if (sharedRoleFns.includes(f.name)) f.externalRole = true;
  }
  for (const p of items(get(role, 'managedPolicies', doc), doc)) pushManagedPolicy(m, p, 'provider.iam.role.managedPolicies', sharedRoleFns);
  for (const p of items(get(provider, 'managedPolicyArns', doc), doc)) pushManagedPolicy(m, p, 'provider.managedPolicyArns', sharedRoleFns);
  const providerStatements: Array<[Node[], string]> = [
    [items(get(role, 'statements', doc), doc), 'provider.iam.role.statements'],
    [items(get(provider, 'iamRoleStatements', doc), doc), 'provider.iamRoleStatements'],
  ];
  for (const [list, origin] of providerStatements) {
    for (const s of list) pushStatement(m, s, doc, origin, sharedRoleFns);
  }

  const resources = getPath(root, ['resources', 'Resources'], doc);
  if (resources) buildResources(m, resources, doc, undefined);
}

function slsEvents(fnBody: Node, doc: Document): EventModel[] {
  const out: EventModel[] = [];
  for (const ev of items(get(fnBody, 'events', doc), doc)) {
    for (const p of pairs(ev, doc)) {
      const rawType = keyName(p);
      const node = deref(p.value, doc) ?? ev;
      const span = spanOf(p.key);
      if (!rawType || !span) continue;
      const type = SLS_EVENT_TYPES[rawType] ?? 'other';
      const e: EventModel = { type, rawType, node, span, public: PUBLIC_TYPES.has(type) };
      if (type === 'http' || type === 'httpApi') {
        const s = str(node);
        if (s !== undefined) {
          const [a, b] = s.trim().split(/\s+/, 2);
          if (b !== undefined) { e.method = a.toUpperCase(); e.path = b; } else if (a === '*') { e.method = '*'; e.path = '*'; } else e.path = a;
        } else {
          e.method = str(get(node, 'method', doc))?.toUpperCase();
          e.path = str(get(node, 'path', doc));
        }
      }
      out.push(e);
    }
  }
  return out;
}

const SLS_EVENT_TYPES: Record<string, EventType> = {
  http: 'http', httpApi: 'httpApi', sqs: 'sqs', s3: 's3', sns: 'sns', schedule: 'schedule',
  eventBridge: 'eventBridge', cloudwatchEvent: 'eventBridge', stream: 'stream', alb: 'alb',
  websocket: 'websocket', cognitoUserPool: 'cognitoUserPool', iot: 'iot', cloudwatchLog: 'cloudwatchLog',
  kafka: 'kafka', msk: 'kafka', activemq: 'mq', rabbitmq: 'mq',
};
const PUBLIC_TYPES = new Set<EventType>(['http', 'httpApi', 'alb', 'websocket', 'functionUrl']);

// ---------- SAM and CloudFormation ----------

const SAM_EVENT_TYPES: Record<string, EventType> = {
  Api: 'http', HttpApi: 'httpApi', SQS: 'sqs', S3: 's3', SNS: 'sns', Schedule: 'schedule',
  ScheduleV2: 'schedule', EventBridgeRule: 'eventBridge', CloudWatchEvent: 'eventBridge',
  DynamoDB: 'stream', Kinesis: 'stream', Cognito: 'cognitoUserPool', IoTRule: 'iot',
  CloudWatchLogs: 'cloudwatchLog', MSK: 'kafka', SelfManagedKafka: 'kafka', MQ: 'mq',
};

function buildCloudFormation(m: TemplateModel, root: Node, doc: Document, globals: Node | undefined): void {
  const gFn = get(globals, 'Function', doc);
  const gEnv = getPath(gFn, ['Environment', 'Variables'], doc);
  m.sharedEnvironmentNode = isMap(gEnv) ? gEnv : undefined;
  m.environment.push(...envVars(gEnv, 'globals', doc));
  for (const p of pairs(get(root, 'Parameters', doc), doc)) {
    const name = keyName(p);
    const keySpan = spanOf(p.key);
    const node = deref(p.value, doc);
    if (!name || !keySpan || !node) continue;
    const param: ParameterModel = {
      name, keySpan, node,
      default: valueRef(get(node, 'Default', doc)),
      noEcho: /^true$/i.test(str(get(node, 'NoEcho', doc)) ?? ''),
    };
    m.parameters.push(param);
  }
  const resources = get(root, 'Resources', doc);
  if (resources) buildResources(m, resources, doc, gFn);
}

function buildResources(m: TemplateModel, resources: Node, doc: Document, gFn: Node | undefined): void {
  const roleStatements: Array<{ roleIds: string[]; list: Node[]; origin: string }> = [];
  const roleManaged: Array<{ roleId: string; node: Node }> = [];
  for (const p of pairs(resources, doc)) {
    const id = keyName(p);
    const node = deref(p.value, doc);
    const keySpan = spanOf(p.key);
    if (!id || !node || !keySpan) continue;
    const type = str(get(node, 'Type', doc)) ?? '';
    const props = get(node, 'Properties', doc);
    m.resources.push({ id, type, keySpan, node, properties: props } satisfies ResourceModel);
    switch (type) {
      case 'AWS::Serverless::Function':
        samFunction(m, id, keySpan, node, props, gFn, doc);
        break;
      case 'AWS::Lambda::Function':
        lambdaFunction(m, id, keySpan, node, props, doc);
        break;
      case 'AWS::IAM::Role':
        for (const arn of items(get(props, 'ManagedPolicyArns', doc), doc)) roleManaged.push({ roleId: id, node: arn });
        for (const pol of items(get(props, 'Policies', doc), doc)) {
          roleStatements.push({ roleIds: [id], list: statementsOf(get(pol, 'PolicyDocument', doc), doc), origin: `Resources.${id}.Policies` });
        }
        for (const s of statementsOf(get(props, 'AssumeRolePolicyDocument', doc), doc)) {
          pushStatement(m, s, doc, `Resources.${id}.AssumeRolePolicyDocument`, []);
        }
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        roleStatements.push({
          roleIds: items(get(props, 'Roles', doc), doc).map(refName).filter((x): x is string => !!x),
          list: statementsOf(get(props, 'PolicyDocument', doc), doc),
          origin: `Resources.${id}.PolicyDocument`,
        });
        break;
      case 'AWS::S3::BucketPolicy':
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::SNS::TopicPolicy':
        for (const s of statementsOf(get(props, 'PolicyDocument', doc), doc)) {
          pushStatement(m, s, doc, `Resources.${id}.PolicyDocument`, []);
        }
        break;
    }
  }
  // Role policies reach the functions that use the role; resolved after every function is known.
  for (const { roleIds, list, origin } of roleStatements) {
    const fns = m.functions.filter((f) => f.roleRef && roleIds.includes(f.roleRef)).map((f) => f.name);
    for (const s of list) pushStatement(m, s, doc, origin, fns);
  }
  for (const { roleId, node } of roleManaged) {
    pushManagedPolicy(m, node, `Resources.${roleId}.ManagedPolicyArns`, m.functions.filter((f) => f.roleRef === roleId).map((f) => f.name));
  }
}

function pushManagedPolicy(m: TemplateModel, node: Node, origin: string, functions: string[]): void {
  const value = valueRef(node);
  if (!value) return;
  // A name, an ARN, or `!Sub arn:${AWS::Partition}:iam::aws:policy/X`: read the name from the text.
  const i = intrinsic(node);
  const text = value.value ?? (i?.fn === 'Fn::Sub' ? rawStr(i.arg) ?? str(items(i.arg)[0]) : undefined);
  let name: string | undefined;
  let awsManaged = false;
  if (text) {
    const arn = /^arn:[^:]+:iam::([^:]*):policy\/(?:.*\/)?([^/]+)$/.exec(text.replace(/\$\{[^}]*\}/g, 'x'));
    if (arn) { name = arn[2]; awsManaged = arn[1] === 'aws'; }
    else if (!text.includes(':')) { name = text; awsManaged = true; }
  }
  m.managedPolicies.push({ value, name, awsManaged, origin, functions } satisfies ManagedPolicyModel);
}

function samFunction(m: TemplateModel, id: string, keySpan: FunctionModel['keySpan'], node: Node, props: Node | undefined, gFn: Node | undefined, doc: Document): void {
  const pick = (k: string) => get(props, k, doc) ?? get(gFn, k, doc);
  const envNode = getPath(props, ['Environment', 'Variables'], doc);
  const entry = getPath(node, ['Metadata', 'BuildProperties', 'EntryPoints'], doc);
  const fn: FunctionModel = {
    name: id, keySpan, node,
    handler: valueRef(pick('Handler')),
    runtime: valueRef(pick('Runtime')),
    codeDir: str(pick('CodeUri')) ?? '',
    entryPoints: items(entry, doc).map(str).filter((x): x is string => !!x),
    events: [],
    environment: envVars(envNode, id, doc),
    environmentNode: isMap(envNode) ? envNode : undefined,
    roleRef: refName(get(props, 'Role', doc)),
    externalRole: get(props, 'Role', doc) !== undefined && !refName(get(props, 'Role', doc)),
    policyTemplates: [],
  };
  for (const ep of pairs(get(props, 'Events', doc), doc)) {
    const ev = deref(ep.value, doc);
    const rawType = str(get(ev, 'Type', doc)) ?? 'other';
    const type = SAM_EVENT_TYPES[rawType] ?? 'other';
    const evProps = get(ev, 'Properties', doc);
    const span = spanOf(ep.key);
    if (!ev || !span) continue;
    fn.events.push({
      type, rawType, node: ev, span, public: PUBLIC_TYPES.has(type),
      method: str(get(evProps, 'Method', doc))?.toUpperCase(),
      path: str(get(evProps, 'Path', doc)),
    });
  }
  const url = get(props, 'FunctionUrlConfig', doc);
  if (url) fn.events.push({ type: 'functionUrl', rawType: 'FunctionUrlConfig', node: url, span: spanOf(url)!, public: true });
  m.functions.push(fn);
  m.environment.push(...fn.environment);
  // SAM `Policies`: a managed policy name/ARN, a policy template, or an inline policy document.
  for (const pol of items(get(props, 'Policies', doc), doc)) {
    const inline = get(pol, 'Statement', doc);
    if (inline !== undefined) {
      for (const s of statementsOf(pol, doc)) pushStatement(m, s, doc, `Resources.${id}.Policies`, [id]);
    } else if (isMap(pol)) {
      for (const p of pairs(pol, doc)) { const k = keyName(p); if (k) fn.policyTemplates.push(k); }
    } else {
      pushManagedPolicy(m, pol, `Resources.${id}.Policies`, [id]);
    }
  }
}

function lambdaFunction(m: TemplateModel, id: string, keySpan: FunctionModel['keySpan'], node: Node, props: Node | undefined, doc: Document): void {
  const envNode = getPath(props, ['Environment', 'Variables'], doc);
  const fn: FunctionModel = {
    name: id, keySpan, node,
    handler: valueRef(get(props, 'Handler', doc)),
    runtime: valueRef(get(props, 'Runtime', doc)),
    codeDir: str(get(props, 'Code', doc)) ?? '',
    entryPoints: [],
    events: [],
    environment: envVars(envNode, id, doc),
    environmentNode: isMap(envNode) ? envNode : undefined,
    roleRef: refName(get(props, 'Role', doc)),
    externalRole: !refName(get(props, 'Role', doc)),
    policyTemplates: [],
  };
  m.functions.push(fn);
  m.environment.push(...fn.environment);
}

/** `!Ref X`, `!GetAtt X.Arn`, `{ 'Fn::GetAtt': [X, Arn] }` → X. */
export function refName(node: Node | undefined): string | undefined {
  const i = intrinsic(node);
  if (!i) return undefined;
  if (i.fn === 'Ref') return str(i.arg) ?? (i.arg && (i.arg as { value?: unknown }).value as string);
  if (i.fn === 'Fn::GetAtt') {
    const plain = (i.arg as { value?: unknown } | undefined)?.value;
    if (typeof plain === 'string') return plain.split('.')[0];
    const first = items(i.arg)[0];
    const v = first && (first as { value?: unknown }).value;
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

function statementsOf(policyDoc: Node | undefined, doc: Document): Node[] {
  return items(get(policyDoc, 'Statement', doc), doc);
}

function pushStatement(m: TemplateModel, node: Node, doc: Document, origin: string, functions: string[]): void {
  const span = spanOf(node);
  if (!span || !isMap(node)) return;
  const actionKey = get(node, 'Action', doc) !== undefined ? 'Action' : get(node, 'NotAction', doc) !== undefined ? 'NotAction' : undefined;
  const resourceKey = get(node, 'Resource', doc) !== undefined ? 'Resource' : get(node, 'NotResource', doc) !== undefined ? 'NotResource' : undefined;
  const actionNode = actionKey ? get(node, actionKey, doc) : undefined;
  m.statements.push({
    node, span, origin, functions,
    effect: str(get(node, 'Effect', doc)),
    actionKey, actionNode,
    actions: listOrIntrinsic(actionNode, doc),
    resourceKey,
    resources: listOrIntrinsic(resourceKey ? get(node, resourceKey, doc) : undefined, doc),
    principal: get(node, 'Principal', doc),
    condition: get(node, 'Condition', doc),
  });
}

function listOrIntrinsic(node: Node | undefined, doc: Document): ValueRef[] {
  if (!node) return [];
  const list = intrinsic(node, doc) ? [node] : items(node, doc);
  return list.map(valueRef).filter((v): v is ValueRef => !!v);
}

function envVars(node: Node | undefined, scope: string, doc: Document): EnvVarModel[] {
  const out: EnvVarModel[] = [];
  for (const p of pairs(node, doc)) {
    const name = keyName(p);
    const keySpan = spanOf(p.key);
    const value = valueRef(deref(p.value, doc));
    if (name && keySpan && value) out.push({ name, keySpan, value, scope });
  }
  return out;
}
