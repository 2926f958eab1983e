// Resource resolution for least privilege and loop detection: code values, the function's
// environment, ARNs in each template's own syntax, and the identity of two references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHandler } from '../rules/handler/build';
import { buildTemplate } from '../rules/template/build';
import { moduleSdkCalls } from '../rules/aws/sdk-calls';
import { actionScopes, callArgs, resolveValue } from '../rules/aws/resources';
import { arnOf, renderArn, queueArnFromUrl } from '../rules/aws/arns';
import { identities } from '../rules/aws/identity';
import { eventSources } from '../rules/aws/event-sources';
import { templateValue } from '../rules/aws/template-values';
import type { TemplateModel } from '../rules/template/model';

function template(text: string, uri = '/w/serverless.yml'): TemplateModel {
  const t = buildTemplate(uri, text);
  assert.ok(t, 'not a template');
  return t;
}

/** The rendered ARNs each action of each call needs ('*' for none, '?' for unresolved). */
function scopes(t: TemplateModel, fnName: string, code: string, style: 'yaml-short' | 'yaml-long' | 'json' = 'yaml-short'): string[] {
  const fn = t.functions.find((f) => f.name === fnName)!;
  const calls = moduleSdkCalls(buildHandler('/w/h.ts', code));
  return calls.flatMap((c) => actionScopes(t, fn, c).map((s) => `${s.action} ${!s.resolved ? '?' : s.anyResource ? '*' : s.arns.map((a) => renderArn(a, style)).join(' | ')}`));
}

const SLS = `
service: media
custom:
  table: \${self:service}-\${sls:stage}-media
  bucketRef: { Ref: Media }
provider:
  name: aws
  environment:
    TABLE: \${self:custom.table}
functions:
  api:
    handler: h.handler
    environment:
      BUCKET: \${self:custom.bucketRef}
      QUEUE_URL: https://sqs.eu-west-1.amazonaws.com/123456789012/jobs
      TABLE: \${self:service}-own
resources:
  Resources:
    Media:
      Type: AWS::S3::Bucket
`;

test('process.env → function environment (own before provider) → Serverless ARN syntax', () => {
  const t = template(SLS);
  assert.deepEqual(scopes(t, 'api', `
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { S3Client, ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const { TABLE } = process.env;
const cfg = { bucket: process.env.BUCKET };
export const handler = async () => {
  await db.send(new PutCommand({ TableName: TABLE, Item: {} }));
  await db.send(new QueryCommand({ TableName: TABLE, IndexName: 'byDate' }));
  await s3.send(new ListObjectsV2Command({ Bucket: cfg.bucket }));
  await s3.send(new GetObjectCommand({ Bucket: cfg.bucket, Key: 'k' }));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: 'x' }));
};`, 'yaml-long'), [
    "dynamodb:PutItem 'arn:aws:dynamodb:${aws:region}:${aws:accountId}:table/${self:service}-own'",
    "dynamodb:Query 'arn:aws:dynamodb:${aws:region}:${aws:accountId}:table/${self:service}-own/index/byDate'",
    "s3:ListBucket { 'Fn::GetAtt': [Media, Arn] }",
    "s3:GetObject { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Media, Arn] }, '/*']] }",
    "sqs:SendMessage 'arn:aws:sqs:eu-west-1:123456789012:jobs'",
  ]);
});

test('unresolvable resources stay unresolved, resource-less actions need *', () => {
  const t = template(SLS);
  assert.deepEqual(scopes(t, 'api', `
import { S3Client, PutObjectCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
let bucket = process.env.BUCKET;
export const handler = async (event) => {
  await s3.send(new PutObjectCommand({ Bucket: event.bucket, Key: 'k' }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k' }));
  await s3.send(new PutObjectCommand({ Bucket: process.env.NOT_SET, Key: 'k' }));
  await s3.send(new ListBucketsCommand({}));
  await sns.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'hi' }));
  await sns.send(new PublishCommand({ TopicArn: 'orders', Message: 'a name is not an ARN' }));
};`), ['s3:PutObject ?', 's3:PutObject ?', 's3:PutObject ?', 's3:ListAllMyBuckets *', 'sns:Publish *', 'sns:Publish ?']);
});

test('CloudFormation: !Ref/!GetAtt/!Sub/parameters/imports in short, long and JSON forms', () => {
  const t = template(`
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  TableName: { Type: String }
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: h.handler
      Role: arn:aws:iam::123456789012:role/x
      Environment:
        Variables:
          TABLE: !Ref TableName
          QUEUE: !Ref Q
          TOPIC: !ImportValue shared-topic-arn
          SECRET: !Sub '\${AWS::StackName}/db'
          FN: !GetAtt Other.Arn
          PREFIX: !Sub '\${AWS::StackName}'
  Q: { Type: AWS::SQS::Queue }
  Other: { Type: AWS::Lambda::Function }
`, '/w/stack.yaml');
  assert.deepEqual(scopes(t, 'Fn', `
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
export const handler = async () => {
  await db.send(new GetItemCommand({ TableName: process.env.TABLE, Key: {} }));
  await sqs.send(new DeleteMessageCommand({ QueueUrl: process.env.QUEUE, ReceiptHandle: 'r' }));
  await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC, Message: 'm' }));
  await sm.send(new GetSecretValueCommand({ SecretId: process.env.SECRET }));
  await l.send(new InvokeCommand({ FunctionName: process.env.FN }));
  await l.send(new InvokeCommand({ FunctionName: process.env.FN, Qualifier: 'live' }));
  await s3.send(new PutObjectCommand({ Bucket: \`\${process.env.PREFIX}-uploads\`, Key: 'k' }));
};`), [
    "dynamodb:GetItem !Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}'",
    'sqs:DeleteMessage !GetAtt Q.Arn',
    "sns:Publish !ImportValue 'shared-topic-arn'",
    "secretsmanager:GetSecretValue !Sub 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${AWS::StackName}/db-*'",
    'lambda:InvokeFunction !GetAtt Other.Arn',
    'lambda:InvokeFunction ?',
    "s3:PutObject !Sub 'arn:${AWS::Partition}:s3:::${AWS::StackName}-uploads/*'",
  ]);
  const q = arnOf(t, 'queue', { kind: 'ref', id: 'Q' })!;
  assert.equal(renderArn(q, 'json'), '{ "Fn::GetAtt": ["Q", "Arn"] }');
  assert.equal(renderArn(q, 'yaml-long'), "{ 'Fn::GetAtt': [Q, Arn] }");
});

test('CopyObject reads its source bucket; batch and transaction requests name every table', () => {
  const t = template(SLS);
  const fn = t.functions[0];
  const calls = moduleSdkCalls(buildHandler('/w/h.js', `
const { S3Client, CopyObjectCommand } = require('@aws-sdk/client-s3');
const { DynamoDBDocumentClient, BatchWriteCommand } = require('@aws-sdk/lib-dynamodb');
exports.handler = async () => {
  await s3.send(new CopyObjectCommand({ Bucket: 'dest', CopySource: \`/\${process.env.BUCKET}/a/b.txt\`, Key: 'x' }));
  await db.send(new BatchWriteCommand({ RequestItems: { [process.env.TABLE]: [], audit: [] } }));
};`));
  const copy = callArgs(calls[0])!;
  assert.deepEqual(copy.map((a) => [a.actions, a.value]), [
    [['s3:GetObject'], [{ kind: 'env', name: 'BUCKET' }]],
    [['s3:PutObject'], [{ kind: 'literal', text: 'dest' }]],
  ]);
  const batch = callArgs(calls[1])!;
  assert.deepEqual(batch.map((a) => resolveValue(t, fn, a.value)), [{ kind: 'text', text: '${self:service}-own' }, { kind: 'text', text: 'audit' }]);
});

test('queue URLs and identities: the same resource however it is written', () => {
  const t = template(SLS);
  assert.equal(queueArnFromUrl(t, 'https://sqs.us-east-1.amazonaws.com/123456789012/q1'), 'arn:aws:sqs:us-east-1:123456789012:q1');
  assert.equal(queueArnFromUrl(t, 'https://example.com/q1'), undefined);
  // `${self:custom.bucketRef}` is `{ Ref: Media }`: the same logical id as `!GetAtt Media.Arn`.
  const viaSelf = templateValue(t, t.functions[0].environment.find((e) => e.name === 'BUCKET')!.value.node)!;
  assert.deepEqual(identities(t, 'bucket', viaSelf), identities(t, 'bucket', { kind: 'getatt', id: 'Media', attr: 'Arn' }));
  // Serverless variables expand before names compare.
  assert.deepEqual(identities(t, 'table', { kind: 'text', text: '${self:custom.table}' }), identities(t, 'table', { kind: 'text', text: 'media-${sls:stage}-media' }));
  assert.notDeepEqual(identities(t, 'queue', { kind: 'text', text: 'arn:aws:sqs:eu-west-1:1:a' }), identities(t, 'queue', { kind: 'text', text: 'arn:aws:sqs:eu-west-1:1:b' }));
});

test('event sources: S3 filters and event types, queues, DynamoDB streams', () => {
  const t = template(`
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: h.handler
      Events:
        Up:
          Type: S3
          Properties:
            Bucket: !Ref B
            Events: [s3:ObjectRemoved:*]
            Filter: { S3Key: { Rules: [{ Name: prefix, Value: in/ }] } }
        Q:
          Type: SQS
          Properties: { Queue: !GetAtt Q.Arn }
        T:
          Type: DynamoDB
          Properties: { Stream: !GetAtt T.StreamArn, StartingPosition: LATEST }
  B: { Type: AWS::S3::Bucket }
  Q: { Type: AWS::SQS::Queue }
  T: { Type: AWS::DynamoDB::Table }
`, '/w/template.yaml');
  const sources = eventSources(t, t.functions[0]);
  assert.deepEqual(sources.map((s) => [s.kind, s.ids, s.prefix, s.onCreate]), [
    ['bucket', ['res:B'], 'in/', false],
    ['queue', ['res:Q'], undefined, undefined],
    ['table', ['res:T'], undefined, undefined],
  ]);
});

test('EventBridge buses (the default bus when an entry names none), state machines, SSM names', () => {
  const t = template(`
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: h.handler
      Environment:
        Variables:
          BUS: !Ref Bus
          FLOW: !Ref Flow
  Bus: { Type: AWS::Events::EventBus, Properties: { Name: orders } }
  Flow: { Type: AWS::Serverless::StateMachine }
`, '/w/template.yaml');
  assert.deepEqual(scopes(t, 'Fn', `
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SSMClient, GetParametersCommand } from '@aws-sdk/client-ssm';
export const handler = async () => {
  await eb.send(new PutEventsCommand({ Entries: [{ EventBusName: process.env.BUS, Detail: '{}' }, { Source: 'app', Detail: '{}' }] }));
  await sfn.send(new StartExecutionCommand({ stateMachineArn: process.env.FLOW, input: '{}' }));
  await ssm.send(new GetParametersCommand({ Names: ['/app/a', 'b'] }));
};`), [
    "events:PutEvents !GetAtt Bus.Arn | !Sub 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default'",
    'states:StartExecution !Ref Flow',
    "ssm:GetParameters !Sub 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/a' | !Sub 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/b'",
  ]);
});

test('hand-written event source mappings: what Lambda polls with the role', async () => {
  const { pollerNeeds } = await import('../rules/aws/event-sources');
  const t = template(`
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: { Handler: h.handler, Role: !GetAtt R.Arn }
  R: { Type: AWS::IAM::Role }
  Q: { Type: AWS::SQS::Queue }
  T: { Type: AWS::DynamoDB::Table }
  M1: { Type: AWS::Lambda::EventSourceMapping, Properties: { EventSourceArn: !GetAtt Q.Arn, FunctionName: !Ref Fn } }
  M2: { Type: AWS::Lambda::EventSourceMapping, Properties: { EventSourceArn: !GetAtt T.StreamArn, FunctionName: !GetAtt Fn.Arn } }
`, '/w/stack.yaml');
  const needs = pollerNeeds(t, t.functions[0]).map((n) => `${n.action} ${n.arn ? renderArn(n.arn, 'yaml-short') : '?'}`);
  assert.ok(needs.includes('sqs:ReceiveMessage !GetAtt Q.Arn'), needs.join('\n'));
  assert.ok(needs.includes('dynamodb:GetRecords !GetAtt T.StreamArn'), needs.join('\n'));
  assert.equal(needs.length, 6);
});
