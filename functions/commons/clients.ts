/**
 * AWS SDK clients, one per container. They honour AWS_ENDPOINT_URL (moto, LocalStack); S3 then
 * uses path-style addressing, which a local endpoint needs.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { requiredEnvironment } from './environment.ts';
import { S3Storage } from './s3Storage.ts';

const local = process.env['AWS_ENDPOINT_URL'] !== undefined;

let s3: S3Client | undefined;
let sfn: SFNClient | undefined;
let sns: SNSClient | undefined;
let scheduler: SchedulerClient | undefined;

export function s3Client(): S3Client {
  s3 ??= new S3Client({ forcePathStyle: local });
  return s3;
}

export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}

export function snsClient(): SNSClient {
  sns ??= new SNSClient({});
  return sns;
}

export function schedulerClient(): SchedulerClient {
  scheduler ??= new SchedulerClient({});
  return scheduler;
}

export function reportStorage(): S3Storage {
  return new S3Storage(s3Client(), requiredEnvironment('BUCKET_NAME'));
}
