/**
 * GET /api/portfolio/limits: the answer built from the report latest/run.json points to, with no
 * AWS (the handler against moto_server and the synthesized API are in test/cloud/).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishLatest } from '#shared/pipeline/publishLatest.ts';
import { sealReport } from '#shared/pipeline/runFolders.ts';
import { LATEST_LIMITS_NAME, limitsResponse, limitsUnreadable, methodNotAllowed, NO_LIMITS_MESSAGE, NO_REPORT_MESSAGE, readLatestLimits } from '#shared/report/limitsResponse.ts';
import { LATEST_POINTER_KEY, LATEST_PREFIX, runPrefixes } from '#shared/storage/bucketLayout.ts';
import { FileSystemStorage } from '#shared/storage/fileSystemStorage.ts';
import { joinKey } from '#shared/storage/storage.ts';
import { bodyOf, bytes, LIMITS, LIMITS_TEXT } from '#test/support/limitsFixture.ts';

describe('the answer from what latest/ holds', () => {
  it('is 200 with limits.json exactly as the run wrote it, as JSON', () => {
    const response = limitsResponse({ found: true, bytes: bytes(LIMITS_TEXT) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['Content-Type']).toBe('application/json');
    expect(response.body).toBe(LIMITS_TEXT);
    expect(JSON.parse(response.body)).toEqual(LIMITS);
  });

  it('is 404 with a message saying why when the latest report has no limits.json', () => {
    const response = limitsResponse({ found: false, reportPublished: true });
    expect(response.statusCode).toBe(404);
    expect(response.headers['Content-Type']).toBe('application/json');
    expect(bodyOf(response)).toEqual({
      message:
        'The latest report has no limits.json: the last successful run did not use allocation, rebalancing or limits (SPEC part B). Set one in portfolio.json and run again.',
    });
    expect(bodyOf(response)['message']).toBe(NO_LIMITS_MESSAGE);
  });

  it('is 404 saying no run has succeeded yet when latest/ is empty', () => {
    const response = limitsResponse({ found: false, reportPublished: false });
    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toEqual({ message: NO_REPORT_MESSAGE });
  });

  it('is 502 with a message, not the file, when the stored limits.json is broken', () => {
    for (const stored of ['{"date": "2024-12-31", ', '[]', JSON.stringify({ ...LIMITS, perStrategy: 'none' }), '\u00ff']) {
      const response = limitsResponse({ found: true, bytes: stored === '\u00ff' ? Uint8Array.of(0xff, 0xfe) : bytes(stored) });
      expect(response.statusCode, stored).toBe(502);
      expect(response.headers['Content-Type']).toBe('application/json');
      expect(String(bodyOf(response)['message'])).toContain(LATEST_LIMITS_NAME);
    }
  });

  it('is 405 with Allow: GET for any other method, and 502 with the request id when S3 cannot be read', () => {
    const refused = methodNotAllowed('POST');
    expect(refused).toMatchObject({ statusCode: 405, headers: { Allow: 'GET', 'Content-Type': 'application/json' } });
    expect(String(bodyOf(refused)['message'])).toContain('only GET');
    const unreadable = limitsUnreadable('req-1');
    expect(unreadable.statusCode).toBe(502);
    expect(bodyOf(unreadable)).toEqual({ message: expect.stringContaining(LATEST_LIMITS_NAME), requestId: 'req-1' });
  });

  it('reads latest/ as publishLatest leaves it: nothing, a report without limits, a report with them', async () => {
    expect(LATEST_POINTER_KEY).toBe(joinKey(LATEST_PREFIX, 'run.json'));
    const storage = new FileSystemStorage(mkdtempSync(join(tmpdir(), 'pc-limits-')));
    expect(await readLatestLimits(storage)).toEqual({ found: false, reportPublished: false });
    const publish = async (runId: string, completed: string, files: Record<string, string>) => {
      const prefixes = runPrefixes(runId);
      for (const [name, body] of Object.entries(files)) await storage.put(`${prefixes.stagingPrefix}${name}`, body);
      await sealReport(storage, prefixes);
      await publishLatest(storage, { runId, ...prefixes, uploadCompletedAt: completed, command: 'run' }, new Date(completed));
    };

    await publish('a', '2026-11-20T10:00:00Z', { 'summary.json': '{}\n' });
    expect(await readLatestLimits(storage)).toEqual({ found: false, reportPublished: true });

    await publish('b', '2026-11-20T11:00:00Z', { 'summary.json': '{}\n', 'limits.json': LIMITS_TEXT });
    const latest = await readLatestLimits(storage);
    expect(latest.found && new TextDecoder().decode(latest.bytes)).toBe(LIMITS_TEXT);

    // A later run without part B: its report has no limits.json, and the endpoint says so.
    await publish('c', '2026-11-20T12:00:00Z', { 'summary.json': '{}\n' });
    expect(await readLatestLimits(storage)).toEqual({ found: false, reportPublished: true });
  });
});
