/**
 * A presigned link to a run's page (index.html, optimizer.html) for the email. It is signed with the notifier's role
 * credentials, which are temporary: the link cannot outlive them, whatever expiry it asks for,
 * so the email says until when it really works.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ReportLocation } from '#shared/report/notifications.ts';
import { baseName } from '#shared/storage/storage.ts';

/** SigV4's longest presigned lifetime. */
const MAX_LINK_SECONDS = 7 * 24 * 3600;

export async function reportLink(client: S3Client, bucket: string, key: string, now: Date = new Date()): Promise<ReportLocation['link']> {
  const credentials = await client.config.credentials();
  const credentialsEnd = credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
  const validUntil = new Date(Math.min(now.getTime() + MAX_LINK_SECONDS * 1000, credentialsEnd));
  const expiresIn = Math.max(60, Math.floor((validUntil.getTime() - now.getTime()) / 1000));
  const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
  const why =
    credentialsEnd < now.getTime() + MAX_LINK_SECONDS * 1000
      ? "the link is signed with the notifier's temporary role credentials and ends with them; after that, use the S3 location above."
      : 'presigned links last at most 7 days; after that, use the S3 location above.';
  return { page: baseName(key), url, validUntil, why };
}
