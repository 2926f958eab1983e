// The SDK → IAM mapping: every action it can produce exists in the IAM data set, and the
// documented exceptions hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionsFor, CLIENT_PREFIX, DOCUMENT_CLIENT_OPS } from '../rules/aws/sdk-actions';
import { actionInfo, expandAction, isKnownService } from '../rules/aws/iam-data';
import { buildHandler } from '../rules/handler/build';
import { moduleSdkCalls } from '../rules/aws/sdk-calls';

test('exceptions map to the permission IAM checks', () => {
  assert.deepEqual(actionsFor('s3', 'ListObjectsV2'), ['s3:ListBucket']);
  assert.deepEqual(actionsFor('s3', 'HeadObject'), ['s3:GetObject']);
  assert.deepEqual(actionsFor('lib-dynamodb', 'Put'), ['dynamodb:PutItem']);
  assert.deepEqual(actionsFor('lib-storage', 'Upload'), ['s3:PutObject']);
  assert.deepEqual(actionsFor('sqs', 'SendMessageBatch'), ['sqs:SendMessage']);
  assert.deepEqual(actionsFor('lambda', 'Invoke'), ['lambda:InvokeFunction']);
  assert.deepEqual(actionsFor('sfn', 'StartExecution'), ['states:StartExecution']);
  assert.deepEqual(actionsFor('apigatewaymanagementapi', 'PostToConnection'), ['execute-api:ManageConnections']);
});

test('every mapped action exists in the IAM data set', () => {
  const samples: Array<[string, string]> = [
    ['s3', 'ListObjectsV2'], ['s3', 'HeadObject'], ['s3', 'CopyObject'], ['s3', 'DeleteObjects'], ['s3', 'GetObject'],
    ['sqs', 'SendMessageBatch'], ['sqs', 'DeleteMessageBatch'], ['sns', 'PublishBatch'], ['lambda', 'Invoke'],
    ['bedrock-runtime', 'Converse'], ['bedrock-runtime', 'ConverseStream'], ['secrets-manager', 'GetSecretValue'],
    ['ssm', 'GetParameter'], ['eventbridge', 'PutEvents'], ['cloudwatch-logs', 'PutLogEvents'], ['sfn', 'StartExecution'],
    ['apigatewaymanagementapi', 'PostToConnection'], ['cognito-identity-provider', 'AdminGetUser'], ['kinesis', 'PutRecords'],
    ['firehose', 'PutRecordBatch'], ['kms', 'Decrypt'], ['iot-data-plane', 'Publish'], ['rds-data', 'ExecuteStatement'],
    ['sesv2', 'SendEmail'], ['dynamodb-streams', 'GetRecords'], ['lib-storage', 'Upload'],
    ...Object.keys(DOCUMENT_CLIENT_OPS).map((op): [string, string] => ['lib-dynamodb', op]),
  ];
  for (const [client, op] of samples) {
    for (const a of actionsFor(client, op)) assert.ok(actionInfo(a), `${client} ${op} → ${a} is not an IAM action`);
  }
  for (const prefix of Object.values(CLIENT_PREFIX)) assert.ok(isKnownService(prefix), `unknown IAM service prefix ${prefix}`);
});

test('wildcards expand over the data set', () => {
  const put = expandAction('s3:Put*').map((a) => a.action);
  assert.ok(put.includes('s3:PutObject') && put.every((a) => /^s3:Put/.test(a)));
  assert.equal(actionInfo('XRAY:puttracesegments')?.resourceLevel, false);
  assert.equal(actionInfo('s3:GetObject')?.level, 'Read');
});

test('SDK calls: v3 commands, namespace imports, lib-dynamodb, lib-storage, v2 clients', () => {
  const m = buildHandler('/w/a.ts', `
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import * as sqs from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Upload } from '@aws-sdk/lib-storage';
const AWS = require('aws-sdk');
const sns = new AWS.SNS();
const doc = new AWS.DynamoDB.DocumentClient();
export const handler = async () => {
  await s3.send(new GetObjectCommand({}));
  await client.send(new sqs.SendMessageCommand({}));
  await ddb.send(new QueryCommand({}));
  await new Upload({ client, params: {} }).done();
  await sns.publish({}).promise();
  await doc.put({}).promise();
};`);
  assert.deepEqual(moduleSdkCalls(m).map((c) => c.actions.join(',')), [
    's3:GetObject', 'sqs:SendMessage', 'dynamodb:Query', 's3:PutObject', 'sns:Publish', 'dynamodb:PutItem',
  ]);
});

test('rules/aws/iam-actions.json matches the pinned data set', () => {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/update-iam-data.ts', '--check'], { cwd: require('node:path').join(__dirname, '..'), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
