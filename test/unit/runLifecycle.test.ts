/**
 * How a cloud run is batched, named, snapshotted, published and expired, on the file-system
 * storage with the clock passed in: an upload is complete after the quiet window or at `_DONE`;
 * the same state of incoming/ names the same run, a new upload of the same files another; the
 * pointer latest/run.json only moves forward; the expiry sweep spares the published run.
 */
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishLatest, readLatest } from '#shared/pipeline/publishLatest.ts';
import { discardReport, expireRuns, sealReport } from '#shared/pipeline/runFolders.ts';
import { contentHash, isRunInput, runIdFor } from '#shared/pipeline/runId.ts';
import { observeUpload, prepareRun, readIncoming, takeSnapshot, uploadRunId } from '#shared/pipeline/startRun.ts';
import { manifestKey, runPrefixes } from '#shared/storage/bucketLayout.ts';
import { FileSystemStorage } from '#shared/storage/fileSystemStorage.ts';
import { scratchFolder } from '#test/support/runCli.ts';

const at = new Date('2026-11-21T02:00:00Z');
const seconds = (n: number): Date => new Date(at.getTime() + n * 1000);

describe('run ids', () => {
  it('depend on the state of incoming/: same files and times, same id; one byte or one re-upload more, another id', () => {
    const a = contentHash([{ name: 'A.csv', etag: '1', written: '2026-11-21T01:00:00.000Z' }, { name: 'portfolio.json', etag: '2' }]);
    expect(contentHash([{ name: 'portfolio.json', etag: '2' }, { name: 'A.csv', etag: '1', written: '2026-11-21T01:00:00.000Z' }])).toBe(a);
    expect(contentHash([{ name: 'A.csv', etag: '3', written: '2026-11-21T01:00:00.000Z' }, { name: 'portfolio.json', etag: '2' }])).not.toBe(a);
    expect(contentHash([{ name: 'A.csv', etag: '1', written: '2026-11-22T01:00:00.000Z' }, { name: 'portfolio.json', etag: '2' }])).not.toBe(a);
    expect(runIdFor('upload', a, at)).toBe(`upload-${a}`);
    expect(runIdFor('schedule', a, at)).toBe(`upload-${a}`);
    expect(runIdFor('schedule', a, at, 'unchanged')).toBe(`nightly-2026-11-21-${a}`);
    expect(runIdFor('manual', a, at)).toBe(`manual-2026-11-21-020000-${a}`);
    expect(runIdFor('manual', a, at)).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });

  it('count strategy CSVs and the config as inputs, nothing else (not the _DONE marker)', () => {
    expect(['A.csv', 'portfolio.json', 'portfolio.yml', 'notes.txt', 'old/B.csv', '_DONE'].filter(isRunInput)).toEqual(['A.csv', 'portfolio.json', 'portfolio.yml']);
  });
});

describe('an upload is complete', () => {
  it('once incoming/ has not changed for the quiet window, however many looks and files', async () => {
    const storage = new FileSystemStorage(scratchFolder('batch-quiet'));
    await storage.put('incoming/A.csv', 'a');
    expect(await observeUpload(storage, seconds(0), 60)).toMatchObject({ state: 'arriving', checkAt: seconds(60) });
    await storage.put('incoming/B.csv', 'b');
    expect(await observeUpload(storage, seconds(30), 60)).toMatchObject({ state: 'arriving', checkAt: seconds(90) });
    // A look that changes nothing does not move the window.
    expect(await observeUpload(storage, seconds(59), 60)).toMatchObject({ state: 'arriving', checkAt: seconds(90) });
    expect(await observeUpload(storage, seconds(90), 60)).toMatchObject({ state: 'complete', completedAt: seconds(30), by: 'quiet window' });
  });

  it('at once when _DONE was written after every input, but not when an input is newer than it', async () => {
    const root = scratchFolder('batch-marker');
    const storage = new FileSystemStorage(root);
    await storage.put('incoming/A.csv', 'a');
    await storage.put('incoming/_DONE', '');
    utimesSync(join(root, 'incoming', 'A.csv'), seconds(-10), seconds(-10));
    utimesSync(join(root, 'incoming', '_DONE'), seconds(0), seconds(0));
    expect(await observeUpload(storage, seconds(0), 60)).toMatchObject({ state: 'complete', by: 'marker' });
    await storage.put('incoming/B.csv', 'b');
    utimesSync(join(root, 'incoming', 'B.csv'), seconds(10), seconds(10));
    expect(await observeUpload(storage, seconds(11), 60)).toMatchObject({ state: 'arriving' });
  });

  it('has nothing to run in an empty incoming/', async () => {
    const storage = new FileSystemStorage(scratchFolder('batch-empty'));
    await storage.put('incoming/readme.txt', 'hello');
    expect(await observeUpload(storage, at, 60)).toEqual({ state: 'empty' });
    expect(await prepareRun(storage, 'manual', at)).toEqual({ taken: false, reason: 'nothing to run: no CSV or portfolio config in incoming/' });
  });
});

describe('snapshots', () => {
  it('copy the inputs under the run and write the manifest last, once', async () => {
    const storage = new FileSystemStorage(scratchFolder('snapshot'));
    await storage.put('incoming/A.csv', 'Date,Return,Margin_Used,Notional_Value\n');
    await storage.put('incoming/portfolio.json', '{}');
    await storage.put('incoming/notes.txt', 'not an input');
    const incoming = await readIncoming(storage);
    const runId = uploadRunId(incoming, 'upload', at);
    const snapshot = await takeSnapshot(storage, incoming, { runId, trigger: 'upload', command: 'run', uploadCompletedAt: at });
    expect(snapshot).toMatchObject({ taken: true, request: { runId, uploadCompletedAt: at.toISOString(), ...runPrefixes(runId) } });
    expect((await storage.list(`runs/${runId}/input/`)).map(({ key }) => key)).toEqual([`runs/${runId}/input/A.csv`, `runs/${runId}/input/portfolio.json`]);
    expect(JSON.parse(new TextDecoder().decode(await storage.get(manifestKey(runId))))).toMatchObject({ runId, files: [{ name: 'A.csv' }, { name: 'portfolio.json' }] });
    expect(await takeSnapshot(storage, incoming, { runId, trigger: 'upload', command: 'run', uploadCompletedAt: seconds(5) })).toMatchObject({
      taken: true,
      existing: true,
      request: { uploadCompletedAt: at.toISOString() },
    });
  });
});

describe('publishing latest/run.json', () => {
  const run = async (storage: FileSystemStorage, runId: string, completed: Date) => {
    const prefixes = runPrefixes(runId);
    await storage.put(`${prefixes.stagingPrefix}summary.json`, `{"run": "${runId}"}\n`);
    await storage.put(`${prefixes.stagingPrefix}charts/portfolio.png`, 'png');
    await sealReport(storage, prefixes);
    return { runId, ...prefixes, uploadCompletedAt: completed.toISOString(), command: 'run' as const };
  };

  it('points at a sealed report and moves only to a later upload: A -> B -> A ends on the second A, an older run finishing last moves nothing', async () => {
    const storage = new FileSystemStorage(scratchFolder('publish'));
    const a1 = await run(storage, 'upload-a1', seconds(0));
    const b = await run(storage, 'upload-b', seconds(100));
    const a2 = await run(storage, 'upload-a2', seconds(200));
    expect(await publishLatest(storage, b, seconds(150))).toMatchObject({ published: true, latest: { runId: 'upload-b' } });
    expect(await publishLatest(storage, a1, seconds(160))).toMatchObject({ published: false, latest: { runId: 'upload-b' } });
    expect(await publishLatest(storage, a2, seconds(260))).toMatchObject({ published: true, latest: { runId: 'upload-a2' } });
    // A retry of a publish that already happened is a success that changes nothing.
    expect(await publishLatest(storage, a2, seconds(270))).toMatchObject({ published: true, latest: { runId: 'upload-a2', publishedAt: seconds(260).toISOString() } });
    const { pointer } = await readLatest(storage);
    expect(pointer).toMatchObject({ runId: 'upload-a2', report: 'runs/upload-a2/report/', input: 'runs/upload-a2/input/', files: ['charts/portfolio.png', 'summary.json'] });
  });

  it('lets two runs publishing at once both see the other: exactly the later upload ends in latest/', async () => {
    const folder = scratchFolder('publish-race');
    const storage = new FileSystemStorage(folder);
    const early = await run(storage, 'upload-early', seconds(0));
    const late = await run(storage, 'upload-late', seconds(10));
    // The race made certain, whatever the machine's load: both read the pointer before either
    // writes, the later run writes first, and the earlier one's conditional write then fails.
    const earlyHasRead = signal();
    const lateHasWritten = signal();
    const lateStorage = new (class extends FileSystemStorage {
      override async putIf(...args: Parameters<FileSystemStorage['putIf']>): Promise<boolean> {
        await earlyHasRead.promise;
        const written = await super.putIf(...args);
        lateHasWritten.resolve();
        return written;
      }
    })(folder);
    const earlyStorage = new (class extends FileSystemStorage {
      override async getTagged(...args: Parameters<FileSystemStorage['getTagged']>): ReturnType<FileSystemStorage['getTagged']> {
        const stored = await super.getTagged(...args);
        earlyHasRead.resolve();
        return stored;
      }
      override async putIf(...args: Parameters<FileSystemStorage['putIf']>): Promise<boolean> {
        await lateHasWritten.promise;
        return super.putIf(...args);
      }
    })(folder);
    const outcomes = await Promise.all([publishLatest(lateStorage, late, seconds(20)), publishLatest(earlyStorage, early, seconds(20))]);
    expect(outcomes.map(({ published }) => published)).toEqual([true, false]);
    expect((await readLatest(storage)).pointer?.runId).toBe('upload-late');
  });

  it('never discards or expires the published run, and expires the others past the retention', async () => {
    const storage = new FileSystemStorage(scratchFolder('expire'));
    const published = await run(storage, 'upload-kept', seconds(0));
    const failed = await run(storage, 'upload-failed', seconds(5));
    await publishLatest(storage, published, seconds(10));
    expect(await discardReport(storage, published)).toEqual({ removed: 0, kept: true });
    expect(await discardReport(storage, failed)).toEqual({ removed: 2, kept: false });
    await storage.put('runs/upload-failed/input/A.csv', 'a');
    const later = new Date(Date.now() + 91 * 24 * 3600 * 1000);
    expect(await expireRuns(storage, new Date(Date.now() + 24 * 3600 * 1000), 90)).toEqual({ expired: [], kept: 2 });
    expect(await expireRuns(storage, later, 90)).toEqual({ expired: ['upload-failed'], kept: 1 });
    expect((await storage.list('runs/upload-kept/')).map(({ key }) => key)).toEqual(['runs/upload-kept/report/charts/portfolio.png', 'runs/upload-kept/report/summary.json']);
  });
});

/** A promise and the function that settles it: one thread of a race waits for a step of the other. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
