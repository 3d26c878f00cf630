/** The core's storage interface on S3: the adapter the Lambdas use (SPEC 8: only storage differs). */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCopyCommand,
  AbortMultipartUploadCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { ObjectNotFound, type ObjectBody, type Storage, type StoredObject, type TaggedObject, type WriteCondition } from '#shared/storage/storage.ts';

/** A fault of S3 itself (throttling, 5xx, a network timeout) that a retry may cure; the state machine retries on this name. */
export class StorageUnavailable extends Error {
  override name = 'StorageUnavailable';
}

/** The largest object one CopyObject request copies; larger ones are copied in parts. */
export const SINGLE_COPY_LIMIT = 5 * 1024 ** 3;

export class S3Storage implements Storage {
  private readonly client: S3Client;
  readonly bucket: string;
  /** Objects above this many bytes are copied with UploadPartCopy, in parts of `copyPartBytes`. */
  private readonly multipartCopyAbove: number;
  private readonly copyPartBytes: number;

  constructor(client: S3Client, bucket: string, multipartCopyAbove: number = SINGLE_COPY_LIMIT, copyPartBytes: number = 512 * 1024 ** 2) {
    this.client = client;
    this.bucket = bucket;
    this.multipartCopyAbove = multipartCopyAbove;
    this.copyPartBytes = copyPartBytes;
  }

  async get(key: string): Promise<Uint8Array> {
    return this.read(key, undefined);
  }

  async getRange(key: string, start: number, end: number): Promise<Uint8Array> {
    if (end <= start) return new Uint8Array(0);
    return this.read(key, `bytes=${start}-${end - 1}`);
  }

  /**
   * The body read into one buffer of its announced length: collecting the chunks and joining
   * them would hold the object twice (a 679 MB column bundle became 1.36 GB in the stage).
   */
  private async read(key: string, range: string | undefined): Promise<Uint8Array> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range }));
      if (response.Body === undefined) throw new ObjectNotFound(key);
      const length = response.ContentLength;
      if (length === undefined) return await response.Body.transformToByteArray();
      const bytes = new Uint8Array(length);
      let filled = 0;
      for await (const chunk of response.Body as AsyncIterable<Uint8Array>) {
        bytes.set(chunk, filled);
        filled += chunk.length;
      }
      return filled === length ? bytes : bytes.subarray(0, filled);
    } catch (error) {
      if (error instanceof NoSuchKey) throw new ObjectNotFound(key);
      throw classified(error);
    }
  }

  async put(key: string, body: ObjectBody): Promise<void> {
    try {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentTypeOf(key) }));
      } else {
        // A multipart upload either completes whole or is aborted: readers never see part of it.
        const upload = new Upload({
          client: this.client,
          params: { Bucket: this.bucket, Key: key, Body: Readable.from(body), ContentType: contentTypeOf(key) },
        });
        await upload.done();
      }
    } catch (error) {
      throw classified(error);
    }
  }

  async getTagged(key: string): Promise<TaggedObject | null> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (response.Body === undefined) return null;
      return { bytes: await response.Body.transformToByteArray(), etag: response.ETag ?? '' };
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw classified(error);
    }
  }

  async putIf(key: string, body: string, condition: WriteCondition): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentTypeOf(key),
          ...('absent' in condition ? { IfNoneMatch: '*' } : { IfMatch: condition.etag }),
        }),
      );
      return true;
    } catch (error) {
      // PreconditionFailed: someone else wrote first; ConditionalRequestConflict (409): a concurrent
      // conditional write is in flight. Either way this write lost and the caller reads again.
      const status = (error as S3ServiceException).$metadata?.httpStatusCode;
      if (status === 412 || status === 409 || (error as Error).name === 'PreconditionFailed') return false;
      if ('etag' in condition && (error instanceof NoSuchKey || status === 404)) return false;
      throw classified(error);
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined) found.push({ key: object.Key, size: object.Size ?? 0, etag: object.ETag, lastModified: object.LastModified });
        }
        token = page.NextContinuationToken;
      } while (token !== undefined);
    } catch (error) {
      throw classified(error);
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async folders(prefix: string): Promise<string[]> {
    const found: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
        for (const common of page.CommonPrefixes ?? []) if (common.Prefix !== undefined) found.push(common.Prefix);
        token = page.NextContinuationToken;
      } while (token !== undefined);
    } catch (error) {
      throw classified(error);
    }
    return found.sort();
  }

  async copy(sourceKey: string, targetKey: string, knownSize?: number): Promise<void> {
    const copySource = `${this.bucket}/${encodeURIComponent(sourceKey).replaceAll('%2F', '/')}`;
    try {
      const size = knownSize ?? (await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: sourceKey }))).ContentLength ?? 0;
      if (size > this.multipartCopyAbove) {
        await this.copyInParts(copySource, targetKey, size);
        return;
      }
      await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: targetKey, CopySource: copySource }));
    } catch (error) {
      if (error instanceof NoSuchKey || (error as S3ServiceException).name === 'NotFound') throw new ObjectNotFound(sourceKey);
      throw classified(error);
    }
  }

  /** S3 copies at most 5 GB in one request; larger objects are copied part by part and completed, or aborted whole. */
  private async copyInParts(copySource: string, targetKey: string, size: number): Promise<void> {
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: targetKey, ContentType: contentTypeOf(targetKey) }));
    try {
      const parts = [];
      for (let start = 0, number = 1; start < size; start += this.copyPartBytes, number += 1) {
        const end = Math.min(size, start + this.copyPartBytes) - 1;
        const part = await this.client.send(
          new UploadPartCopyCommand({ Bucket: this.bucket, Key: targetKey, UploadId, PartNumber: number, CopySource: copySource, CopySourceRange: `bytes=${start}-${end}` }),
        );
        parts.push({ PartNumber: number, ETag: part.CopyPartResult?.ETag });
      }
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: targetKey, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (error) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: targetKey, UploadId })).catch(() => undefined);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw classified(error);
    }
  }
}

/** Network faults of the SDK's HTTP handler: the request may not have reached S3, and another try may. */
const NETWORK_FAULTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED', 'NetworkingError']);

function classified(error: unknown): unknown {
  if (error instanceof ObjectNotFound || error instanceof StorageUnavailable) return error;
  if (error instanceof S3ServiceException && (error.$retryable !== undefined || (error.$metadata.httpStatusCode ?? 0) >= 500)) {
    return new StorageUnavailable(`S3 ${error.name}: ${error.message}`, { cause: error });
  }
  const { name, code } = error as { name?: string; code?: string };
  if (NETWORK_FAULTS.has(name ?? '') || NETWORK_FAULTS.has(code ?? '')) {
    return new StorageUnavailable(`S3 could not be reached (${name ?? code}): ${(error as Error).message}`, { cause: error });
  }
  return error;
}

function contentTypeOf(key: string): string {
  if (key.endsWith('.csv')) return 'text/csv; charset=utf-8';
  if (key.endsWith('.json')) return 'application/json';
  if (key.endsWith('.html')) return 'text/html; charset=utf-8';
  if (key.endsWith('.png')) return 'image/png';
  return 'application/octet-stream';
}
