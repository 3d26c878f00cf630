/** The core's storage interface on S3: the adapter the Lambdas use (SPEC 8: only storage differs). */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { ObjectNotFound, type ObjectBody, type Storage, type StoredObject } from '../../shared/storage/storage.js';

/** A fault of S3 itself (throttling, 5xx) that a retry may cure; the state machine retries on this name. */
export class StorageUnavailable extends Error {
  override name = 'StorageUnavailable';
}

export class S3Storage implements Storage {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async get(key: string): Promise<Uint8Array> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (response.Body === undefined) throw new ObjectNotFound(key);
      return await response.Body.transformToByteArray();
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

  async list(prefix: string): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined) found.push({ key: object.Key, size: object.Size ?? 0, etag: object.ETag });
        }
        token = page.NextContinuationToken;
      } while (token !== undefined);
    } catch (error) {
      throw classified(error);
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async copy(sourceKey: string, targetKey: string): Promise<void> {
    try {
      await this.client.send(
        new CopyObjectCommand({ Bucket: this.bucket, Key: targetKey, CopySource: `${this.bucket}/${encodeURIComponent(sourceKey).replaceAll('%2F', '/')}` }),
      );
    } catch (error) {
      if (error instanceof NoSuchKey) throw new ObjectNotFound(sourceKey);
      throw classified(error);
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

function classified(error: unknown): unknown {
  if (error instanceof ObjectNotFound) return error;
  if (error instanceof S3ServiceException && (error.$retryable !== undefined || (error.$metadata.httpStatusCode ?? 0) >= 500)) {
    return new StorageUnavailable(`S3 ${error.name}: ${error.message}`, { cause: error });
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
