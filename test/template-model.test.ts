// The template model: what the engine understands of Serverless Framework, SAM and
// CloudFormation templates, with ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTemplate } from '../rules/template/build';
import { slsVariables, isOnlyVariables } from '../rules/template/yaml';

const at = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

test('serverless: functions, events, environment, statements in every form', () => {
  const text = `service:
  name: shop
provider:
  name: aws
  runtime: nodejs20.x
  environment:
    TABLE: \${self:custom.table}
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [dynamodb:GetItem, 'dynamodb:PutItem']
          Resource: '*'
  iamRoleStatements:
    - Effect: Allow
      Action: sqs:SendMessage
      Resource: !GetAtt Queue.Arn
functions:
  create:
    handler: src/create.handler
    environment:
      MODE: fast
    events:
      - http: POST /items
      - httpApi:
          method: get
          path: /items/{id}
      - sqs:
          arn: !GetAtt Queue.Arn
      - schedule: rate(1 hour)
    iamRoleStatements:
      - Effect: Allow
        Action: s3:GetObject
        Resource: arn:aws:s3:::b/*
  own:
    handler: src/own.handler
    role: arn:aws:iam::123456789012:role/x
    url: true
resources:
  Resources:
    Queue:
      Type: AWS::SQS::Queue
`;
  const m = buildTemplate('/w/serverless.yml', text)!;
  assert.equal(m.kind, 'serverless');
  assert.equal(m.service, 'shop');
  assert.deepEqual(m.functions.map((f) => f.name), ['create', 'own']);
  const create = m.functions[0];
  assert.equal(create.handler?.value, 'src/create.handler');
  assert.equal(create.runtime?.value, 'nodejs20.x');
  assert.deepEqual(create.events.map((e) => [e.type, e.method, e.path, e.public]), [
    ['http', 'POST', '/items', true],
    ['httpApi', 'GET', '/items/{id}', true],
    ['sqs', undefined, undefined, false],
    ['schedule', undefined, undefined, false],
  ]);
  assert.deepEqual(m.functions[1].events.map((e) => e.type), ['functionUrl']);
  assert.deepEqual(m.environment.map((e) => [e.name, e.scope, e.value.value]), [
    ['TABLE', 'provider', '${self:custom.table}'],
    ['MODE', 'create', 'fast'],
  ]);
  const origins = m.statements.map((s) => [s.origin, s.actions.map((a) => a.value), s.functions]);
  assert.deepEqual(origins, [
    ['functions.create.iamRoleStatements', ['s3:GetObject'], ['create']],
    ['provider.iam.role.statements', ['dynamodb:GetItem', 'dynamodb:PutItem'], []],
    ['provider.iamRoleStatements', ['sqs:SendMessage'], []],
  ]);
  // Ranges point at the source text.
  assert.equal(at(text, m.statements[1].actions[1].span), "'dynamodb:PutItem'");
  assert.equal(at(text, create.keySpan), 'create');
  assert.equal(m.resources[0].type, 'AWS::SQS::Queue');
});

test('serverless: provider statements reach the functions without their own role', () => {
  const m = buildTemplate('/w/serverless.yml', `service: a
provider:
  name: aws
  iam:
    role:
      statements:
        - Effect: Allow
          Action: s3:*
          Resource: '*'
functions:
  one:
    handler: a.one
  two:
    handler: a.two
`)!;
  assert.deepEqual(m.statements[0].functions, ['one', 'two']);
});

test('SAM: Globals, CodeUri, events, inline policies, parameters, esbuild entry points', () => {
  const text = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Secret:
    Type: String
    NoEcho: true
    Default: x
Globals:
  Function:
    Runtime: nodejs18.x
    CodeUri: src/
    Environment:
      Variables:
        SHARED: one
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        EntryPoints: [app.ts]
    Properties:
      Handler: app.lambdaHandler
      Policies:
        - DynamoDBCrudPolicy: { TableName: !Ref T }
        - Statement:
            - Effect: Allow
              Action: 'sqs:*'
              Resource: !GetAtt Q.Arn
      Events:
        Get:
          Type: Api
          Properties: { Path: /hello, Method: get }
        Queue:
          Type: SQS
          Properties: { Queue: !GetAtt Q.Arn }
`;
  const m = buildTemplate('/w/template.yaml', text)!;
  assert.equal(m.kind, 'sam');
  const fn = m.functions[0];
  assert.equal(fn.runtime?.value, 'nodejs18.x');
  assert.equal(fn.codeDir, 'src/');
  assert.deepEqual(fn.entryPoints, ['app.ts']);
  assert.deepEqual(fn.events.map((e) => [e.type, e.method, e.path]), [['http', 'GET', '/hello'], ['sqs', undefined, undefined]]);
  assert.deepEqual(m.statements.map((s) => [s.actions.map((a) => a.value), s.functions]), [[['sqs:*'], ['Fn']]]);
  assert.deepEqual(m.parameters.map((p) => [p.name, p.noEcho, p.default?.value]), [['Secret', true, 'x']]);
  assert.deepEqual(m.environment.map((e) => [e.name, e.scope]), [['SHARED', 'globals']]);
});

test('CloudFormation JSON: role policies reach the functions that use the role; intrinsics never crash', () => {
  const text = JSON.stringify({
    Resources: {
      R: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyDocument: { Statement: { Effect: 'Allow', Action: { 'Fn::If': ['C', 's3:*', 's3:GetObject'] }, Resource: '*' } } }] } },
      P: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'R' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['sns:Publish'], Resource: '*' }] } } },
      F: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs20.x', Role: { 'Fn::GetAtt': ['R', 'Arn'] } } },
    },
  }, null, 2);
  const m = buildTemplate('/w/stack.json', text)!;
  assert.equal(m.kind, 'cloudformation');
  assert.deepEqual(m.statements.map((s) => [s.actions.map((a) => a.value ?? '<intrinsic>'), s.functions]), [
    [['<intrinsic>'], ['F']],
    [['sns:Publish'], ['F']],
  ]);
  assert.equal(m.functions[0].roleRef, 'R');
});

test('not a template, broken YAML, anchors and merge keys', () => {
  assert.equal(buildTemplate('/w/x.yml', 'name: ci\non: [push]\njobs: {}\n'), undefined);
  const broken = buildTemplate('/w/serverless.yml', 'service: a\nprovider:\n  name: aws\n  environment:\n    A: "unterminated\nfunctions:\n  f: { handler: a.b\n');
  assert.ok(broken && broken.problems.length > 0, 'broken YAML yields parse problems');
  const anchors = buildTemplate('/w/serverless.yml', `service: a
provider: { name: aws }
x-common: &common
  handler: src/a.handler
  runtime: nodejs20.x
functions:
  f:
    <<: *common
    timeout: 10
`)!;
  assert.equal(anchors.functions[0].handler?.value, 'src/a.handler');
});

test('Serverless variables are kept as symbols', () => {
  assert.deepEqual(slsVariables('${ssm:/a/b}-${self:custom.x}-${file(./c.yml):k}').map((v) => [v.source, v.address]), [
    ['ssm', '/a/b'], ['self', 'custom.x'], ['file()', './c.yml'],
  ]);
  assert.ok(isOnlyVariables('${env:A}'));
  assert.ok(!isOnlyVariables('x-${env:A}'));
});

test('managed policies and how well a function role is known', () => {
  const sam = buildTemplate('/w/template.yaml', `Transform: AWS::Serverless-2016-10-31
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.handler
      Policies:
        - AdministratorAccess
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/PowerUserAccess
        - DynamoDBCrudPolicy: { TableName: t }
  B:
    Type: AWS::Serverless::Function
    Properties:
      Handler: b.handler
      Role: arn:aws:iam::123456789012:role/shared
  C:
    Type: AWS::Lambda::Function
    Properties:
      Handler: c.handler
      Role: !GetAtt CRole.Arn
  CRole:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws:iam::123456789012:policy/team/Custom]
`)!;
  assert.deepEqual(sam.managedPolicies.map((p) => [p.name, p.awsManaged, p.functions]), [
    ['AdministratorAccess', true, ['A']],
    ['PowerUserAccess', true, ['A']],
    ['Custom', false, ['C']],
  ]);
  assert.deepEqual(sam.functions.map((f) => [f.name, f.externalRole, f.policyTemplates]), [
    ['A', false, ['DynamoDBCrudPolicy']],
    ['B', true, []],
    ['C', false, []],
  ]);
  const sls = buildTemplate('/w/serverless.yml', `service: s
provider:
  name: aws
  iam:
    role:
      managedPolicies: ['arn:aws:iam::aws:policy/AmazonS3FullAccess']
functions:
  one: { handler: a.one }
  two: { handler: a.two, role: arn:aws:iam::123456789012:role/x }
  three: { handler: a.three, role: Missing }
`)!;
  assert.deepEqual(sls.managedPolicies.map((p) => [p.name, p.functions]), [['AmazonS3FullAccess', ['one']]]);
  assert.deepEqual(sls.functions.map((f) => f.externalRole), [false, true, true]);
});
