const { execSync } = require('node:child_process');
const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');
const { saveJob } = require('./lib/jobs');

const s3 = new S3Client({});

exports.handler = async (event) => {
  const { name } = event.pathParameters;
  const { width } = JSON.parse(event.body || '{}');
  const source = await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: name }));
  // The path parameter becomes a file path: `..%2F` in the name writes outside /tmp/work.
  const input = `/tmp/work/${name}`;
  await require('node:fs/promises').writeFile(input, await source.Body.transformToByteArray());

  // Event input goes straight into a shell command.
  execSync(`convert ${input} -resize ${width} /tmp/out.png`);

  const out = await require('node:fs/promises').readFile('/tmp/out.png');
  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: `thumbs/${name}`, Body: out }));
  const job = await saveJob({ name, width });
  return { statusCode: 201, body: JSON.stringify(job) };
};
