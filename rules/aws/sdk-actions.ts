// AWS SDK operation → IAM action. Most operations map to `<prefix>:<Operation>`; the exceptions
// below are the ones where IAM names the permission differently (checked against the AWS Service
// Authorization Reference).

/** `@aws-sdk/client-<name>` and v2 `AWS.<Class>` → IAM service prefix (only where they differ). */
export const CLIENT_PREFIX: Record<string, string> = {
  'sfn': 'states', 'cloudwatch-logs': 'logs', 'eventbridge': 'events', 'secrets-manager': 'secretsmanager',
  'api-gateway': 'apigateway', 'apigatewaymanagementapi': 'execute-api', 'cognito-identity-provider': 'cognito-idp',
  'dynamodb-streams': 'dynamodb', 'elastic-load-balancing-v2': 'elasticloadbalancing', 'sesv2': 'ses',
  'iot-data-plane': 'iot', 'bedrock-runtime': 'bedrock', 'bedrock-agent-runtime': 'bedrock',
  'timestream-write': 'timestream', 'timestream-query': 'timestream', 'kinesis-analytics-v2': 'kinesisanalytics',
  'cognito-identity': 'cognito-identity', 'rds-data': 'rds-data', 'lib-dynamodb': 'dynamodb', 'lib-storage': 's3',
};

/** v2 `new AWS.<Class>()` → client name used above. */
export const V2_CLASS: Record<string, string> = {
  S3: 's3', DynamoDB: 'dynamodb', DocumentClient: 'lib-dynamodb', SQS: 'sqs', SNS: 'sns', SES: 'ses', Lambda: 'lambda',
  SSM: 'ssm', SecretsManager: 'secrets-manager', KMS: 'kms', StepFunctions: 'sfn', CloudWatch: 'cloudwatch',
  CloudWatchLogs: 'cloudwatch-logs', EventBridge: 'eventbridge', Kinesis: 'kinesis', Firehose: 'firehose',
  ApiGatewayManagementApi: 'apigatewaymanagementapi', CognitoIdentityServiceProvider: 'cognito-identity-provider',
  STS: 'sts', Rekognition: 'rekognition', Textract: 'textract', Comprehend: 'comprehend', Translate: 'translate',
  Polly: 'polly', IotData: 'iot-data-plane', RDSDataService: 'rds-data', Athena: 'athena', Glue: 'glue', EC2: 'ec2',
  ECS: 'ecs', XRay: 'xray', CloudFormation: 'cloudformation', IAM: 'iam', DynamoDBStreams: 'dynamodb-streams',
};

/** Operations whose IAM action differs from the operation name, keyed `prefix:Operation`. */
export const EXCEPTION_TABLE: Record<string, string[]> = {
  's3:ListObjectsV2': ['s3:ListBucket'],
  's3:ListObjects': ['s3:ListBucket'],
  's3:ListObjectVersions': ['s3:ListBucketVersions'],
  's3:HeadObject': ['s3:GetObject'],
  's3:HeadBucket': ['s3:ListBucket'],
  's3:ListBuckets': ['s3:ListAllMyBuckets'],
  's3:CopyObject': ['s3:GetObject', 's3:PutObject'],
  's3:DeleteObjects': ['s3:DeleteObject'],
  's3:CreateMultipartUpload': ['s3:PutObject'],
  's3:UploadPart': ['s3:PutObject'],
  's3:CompleteMultipartUpload': ['s3:PutObject'],
  's3:Upload': ['s3:PutObject'],
  'sqs:SendMessageBatch': ['sqs:SendMessage'],
  'sqs:DeleteMessageBatch': ['sqs:DeleteMessage'],
  'sqs:ChangeMessageVisibilityBatch': ['sqs:ChangeMessageVisibility'],
  'sns:PublishBatch': ['sns:Publish'],
  'lambda:Invoke': ['lambda:InvokeFunction'],
  'lambda:InvokeAsync': ['lambda:InvokeFunction'],
  'lambda:InvokeWithResponseStream': ['lambda:InvokeFunction'],
  'execute-api:PostToConnection': ['execute-api:ManageConnections'],
  'execute-api:GetConnection': ['execute-api:ManageConnections'],
  'execute-api:DeleteConnection': ['execute-api:ManageConnections'],
  'bedrock:Converse': ['bedrock:InvokeModel'],
  'bedrock:ConverseStream': ['bedrock:InvokeModelWithResponseStream'],
  'ses:SendEmail': ['ses:SendEmail'],
  // Transactions are authorised per item operation (no TransactGetItems/TransactWriteItems action).
  'dynamodb:TransactGetItems': ['dynamodb:GetItem'],
  'dynamodb:TransactWriteItems': ['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  'dynamodb:BatchExecuteStatement': ['dynamodb:PartiQLSelect'],
  'dynamodb:ExecuteStatement': ['dynamodb:PartiQLSelect'],
};

/** `@aws-sdk/lib-dynamodb` document commands and v2 DocumentClient methods → DynamoDB operations. */
export const DOCUMENT_CLIENT_OPS: Record<string, string> = {
  Put: 'PutItem', Get: 'GetItem', Update: 'UpdateItem', Delete: 'DeleteItem', Query: 'Query', Scan: 'Scan',
  BatchGet: 'BatchGetItem', BatchWrite: 'BatchWriteItem', TransactGet: 'TransactGetItems', TransactWrite: 'TransactWriteItems',
  ExecuteStatement: 'PartiQLSelect',
};

export function prefixForClient(client: string): string {
  return CLIENT_PREFIX[client] ?? client;
}

/** IAM actions for an SDK operation of a client (`s3`, `GetObject`) → [`s3:GetObject`]. */
export function actionsFor(client: string, operation: string): string[] {
  const prefix = prefixForClient(client);
  let op = operation;
  if (client === 'lib-dynamodb') op = DOCUMENT_CLIENT_OPS[operation] ?? operation;
  const key = `${prefix}:${op}`;
  return EXCEPTION_TABLE[key] ?? [key];
}
