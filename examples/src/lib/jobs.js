const { randomUUID } = require('node:crypto');
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand, GetCommand } = require('@aws-sdk/lib-dynamodb');

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

async function saveJob(job) {
  const item = { id: randomUUID(), ...job, createdAt: Date.now() };
  await db.send(new PutCommand({ TableName: process.env.TABLE, Item: item }));
  return item;
}

async function getJob(id) {
  const { Item } = await db.send(new GetCommand({ TableName: process.env.TABLE, Key: { id } }));
  return Item;
}

module.exports = { saveJob, getJob };
