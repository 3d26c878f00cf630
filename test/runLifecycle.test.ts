/**
 * How a cloud run is named, snapshotted and published, on the file-system storage: the same
 * inputs name the same run, the nightly run adds its date, and latest/ holds exactly one run.
 */
import { describe, expect, it } from 'vitest';
import { publishLatest } from '../shared/pipeline/publishLatest.js';
import { contentHash, isRunInput, runIdFor } from '../shared/pipeline/runId.js';
import { prepareRun } from '../shared/pipeline/startRun.js';
import { FileSystemStorage } from '../shared/storage/fileSystemStorage.js';
import { scratchFolder } from './support/runCli.js';

const at = new Date('2026-11-21T02:00:00Z');

describe('run ids', () => {
  it('depend on the content only: same files, same id, whatever the order; one byte more, another id', () => {
    const a = contentHash([{ name: 'A.csv', etag: '1' }, { name: 'portfolio.json', etag: '2' }]);
    expect(contentHash([{ name: 'portfolio.json', etag: '2' }, { name: 'A.csv', etag: '1' }])).toBe(a);
    expect(contentHash([{ name: 'A.csv', etag: '3' }, { name: 'portfolio.json', etag: '2' }])).not.toBe(a);
    expect(runIdFor('upload', a, at)).toBe(`upload-${a}`);
    expect(runIdFor('schedule', a, at)).toBe(`nightly-2026-11-21-${a}`);
    expect(runIdFor('manual', a, at)).toBe(`manual-2026-11-21-020000-${a}`);
    expect(runIdFor('manual', a, at)).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });

  it('count strategy CSVs and the config as inputs, nothing else', () => {
    expect(['A.csv', 'portfolio.json', 'portfolio.yml', 'notes.txt', 'old/B.csv'].filter(isRunInput)).toEqual(['A.csv', 'portfolio.json', 'portfolio.yml']);
  });
});

describe('prepareRun and publishLatest', () => {
  it('snapshots incoming/ under the run, and publishes the run report as the whole of latest/', async () => {
    const storage = new FileSystemStorage(scratchFolder('lifecycle'));
    await storage.put('incoming/A.csv', 'Date,Return,Margin_Used,Notional_Value\n');
    await storage.put('incoming/portfolio.json', '{}');
    await storage.put('incoming/notes.txt', 'not an input');
    const prepared = await prepareRun(storage, 'upload', at);
    if (!prepared.ready) throw new Error(prepared.reason);
    const { runId, dataPrefix, reportPrefix } = prepared.request;
    expect((await storage.list(dataPrefix)).map(({ key }) => key)).toEqual([`runs/${runId}/input/A.csv`, `runs/${runId}/input/portfolio.json`]);
    expect(await prepareRun(storage, 'upload', at)).toMatchObject({ ready: true, request: { runId } });

    await storage.put('latest/old-chart.png', 'from an older run');
    await storage.put(`${reportPrefix}summary.json`, '{}');
    await storage.put(`${reportPrefix}1_master_aligned_data.csv`, 'Date\n');
    const published = await publishLatest(storage, runId, reportPrefix);
    expect(published.files).toEqual(['1_master_aligned_data.csv', 'summary.json']);
    expect((await storage.list('latest/')).map(({ key }) => key)).toEqual(['latest/1_master_aligned_data.csv', 'latest/run.json', 'latest/summary.json']);
  });

  it('starts nothing when incoming/ holds no input', async () => {
    const storage = new FileSystemStorage(scratchFolder('lifecycle-empty'));
    await storage.put('incoming/readme.txt', 'hello');
    expect(await prepareRun(storage, 'schedule', at)).toEqual({ ready: false, reason: 'nothing to run: no CSV or portfolio config in incoming/' });
  });
});
