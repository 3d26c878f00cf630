/**
 * Every object a moto_server test left in the bucket, written to a folder so two versions of the
 * code can be compared file by file (the byte-identity check of a refactor, issue 12). Asked for
 * with `PC_BUCKET_SNAPSHOT=<folder>`; nothing is written without it. What differs from one run to
 * the next and not with the code is normalised: run ids (hashes of moto's write times) become
 * `<kind>-RUN<n>` in the order the runs took their snapshots, their bare hashes `HASH<n>`, and ISO
 * times that S3 gave (not the test's clock) `<s3-time>`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type _Object } from '@aws-sdk/client-s3';
import type { LocalCloud } from './localCloud.ts';

const RUN_ID = /^(upload|optimize|manual|nightly)-(?:\d{4}-\d\d-\d\d(?:-\d{6})?-)?([0-9a-f]{24})$/;
const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;

async function listAll(cloud: LocalCloud): Promise<_Object[]> {
  const objects: _Object[] = [];
  let token: string | undefined;
  do {
    const listed = await cloud.s3.send(new ListObjectsV2Command({ Bucket: cloud.bucket, ContinuationToken: token }));
    objects.push(...(listed.Contents ?? []));
    token = listed.NextContinuationToken;
  } while (token !== undefined);
  return objects;
}

/** Writes the bucket under `process.env.PC_BUCKET_SNAPSHOT`, if set. */
export async function snapshotBucketIfAsked(cloud: LocalCloud): Promise<void> {
  const folder = process.env['PC_BUCKET_SNAPSHOT'];
  if (folder === undefined || folder === '') return;
  const objects = await listAll(cloud);
  const started = new Map<string, number>();
  for (const { Key, LastModified } of objects) {
    const [, runId, file] = (Key ?? '').split('/');
    if ((Key ?? '').startsWith('runs/') && file === 'snapshot.json' && runId !== undefined) started.set(runId, LastModified?.getTime() ?? 0);
  }
  const runIds = new Set(objects.flatMap(({ Key }) => (Key ?? '').split('/').filter((part) => RUN_ID.test(part))));
  const ordered = [...runIds].sort((a, b) => (started.get(a) ?? Number.POSITIVE_INFINITY) - (started.get(b) ?? Number.POSITIVE_INFINITY) || a.localeCompare(b));
  // Whole ids first: an optimize run on the same files as an upload run shares its hash.
  const hashes = new Map<string, string>();
  const replacements: [string, string][] = ordered.map((runId, index) => {
    const [, kind, hash] = RUN_ID.exec(runId) ?? [];
    if (hash !== undefined && !hashes.has(hash)) hashes.set(hash, `HASH${index + 1}`);
    return [runId, `${kind}-RUN${index + 1}`];
  });
  replacements.push(...hashes);
  // The minutes moto stamped objects with: the real clock's, never the test's (a fixed day in the past).
  const s3Times = new Set(objects.map(({ LastModified }) => LastModified?.toISOString().slice(0, 16)));
  const normalise = (text: string): string =>
    replacements
      .reduce((result, [from, to]) => result.replaceAll(from, to), text)
      .replace(ISO_TIME, (time) => (s3Times.has(time.slice(0, 16)) ? '<s3-time>' : time));

  rmSync(folder, { recursive: true, force: true });
  for (const { Key } of objects) {
    const key = Key ?? '';
    const object = await cloud.s3.send(new GetObjectCommand({ Bucket: cloud.bucket, Key: key }));
    // latin1 keeps every byte as one character, so binary objects pass through unchanged but for ASCII ids.
    const body = Buffer.from(normalise(Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array()).toString('latin1')), 'latin1');
    const path = join(folder, normalise(key).replace(/\/$/, '/.folder'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, body);
  }
}
