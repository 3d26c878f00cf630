/**
 * The bucket of the pipeline: `incoming/` (what users drop), `runs/<runId>/` (each run's input
 * snapshot and report), `work/<runId>/` (intermediate columns and the report being written),
 * `latest/run.json` (the pointer to the last published report). Encrypted, versioned, private,
 * TLS-only, access-logged. Work files expire by a lifecycle rule; old runs are expired by the run
 * state machine (a lifecycle rule cannot spare the run `latest/` points to).
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { WORK_PREFIX } from '#shared/storage/bucketLayout.ts';

export interface ReportBucketProps {
  /** Days intermediate columns are kept under `work/`. @default 7 */
  readonly workRetentionDays?: number;
  /** What happens to the bucket when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export type PrefixAccess = 'read' | 'write' | 'delete' | 'list';

const actionsFor: Record<Exclude<PrefixAccess, 'list'>, string[]> = {
  read: ['s3:GetObject'],
  write: ['s3:PutObject', 's3:AbortMultipartUpload'],
  delete: ['s3:DeleteObject'],
};

export class ReportBucket extends Construct {
  /** The bucket laid out as shared/storage/bucketLayout.ts says. */
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ReportBucketProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the report bucket; logging it into itself would loop.',
    });
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'report-bucket/',
      removalPolicy,
      lifecycleRules: [
        { id: 'ExpireWork', prefix: WORK_PREFIX, expiration: Duration.days(props.workRetentionDays ?? 7) },
        { id: 'ExpireReplacedVersions', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'RemoveDeleteMarkers', expiredObjectDeleteMarker: true },
      ],
    });
    // Object Created events go to EventBridge. Set on the bucket itself: the L2 flag would add a
    // custom-resource Lambda that a bucket created in this same stack does not need.
    (this.bucket.node.defaultChild as CfnBucket).addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', true);
  }

  /** Grants reading or writing the objects matching `pattern` (a key pattern with `*`, such as each run report's limits.json) only. */
  grantObjects(grantee: IGrantable & Construct, pattern: string, access: 'read' | 'write', reason: string): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: actionsFor[access], resources: [this.bucket.arnForObjects(pattern)] }));
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    Validations.of(grantee).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${pattern}]`, reason });
  }

  /** Grants exactly these actions on the objects under `prefix` (and listing of that prefix only). */
  grantPrefix(grantee: IGrantable & Construct, prefix: string, ...access: PrefixAccess[]): void {
    const objectActions = access.flatMap((kind) => (kind === 'list' ? [] : actionsFor[kind]));
    if (objectActions.length > 0) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: objectActions, resources: [this.bucket.arnForObjects(`${prefix}*`)] }),
      );
      const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
      Validations.of(grantee).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason: `Objects under ${prefix} only: a run's files are named by the run and its users, so they are not known when deploying.`,
      });
    }
    if (access.includes('list')) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [this.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
        }),
      );
    }
  }
}
