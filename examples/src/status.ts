import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';
import { getJob } from './lib/jobs';

// Reporting to the metrics vendor; the key should not live here.
const METRICS_API_KEY = 'f3Kq9Lm2Xv8RtY6wPz4NcB1hT7sD0uJe';

export const handler: APIGatewayProxyHandlerV2 = async (event) => {
  const id = event.pathParameters?.id;
  if (!id || !/^[0-9a-f-]{36}$/.test(id)) return { statusCode: 400, body: 'bad id' };
  const job = await getJob(id);
  await fetch('https://metrics.example.com/v1/events', {
    method: 'POST',
    headers: { 'x-api-key': METRICS_API_KEY },
    body: JSON.stringify({ event: 'job.status', id }),
  });
  return job ? { statusCode: 200, body: JSON.stringify(job) } : { statusCode: 404, body: 'not found' };
};
