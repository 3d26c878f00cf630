/**
 * `npx cdk synth` as a deployer runs it: the pinned CLI, offline, bundling every handler with
 * esbuild, cdk-nag on. It must succeed and leave a deployable assembly.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#test/support/paths.ts';

const ROOT = REPO_ROOT;

describe('cdk synth', () => {
  it('synthesizes the stack offline with every handler bundled and cdk-nag clean', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pc-cdk-'));
    const { stderr } = await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '-o', out, '-c', 'notifyEmail=pm@example.com'], {
      cwd: ROOT,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stderr).not.toMatch(/ERROR|AwsSolutions-/);
    const template = JSON.parse(readFileSync(join(out, 'PortfolioCombiner.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
    const functions = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(21);
    const assets = functions.map((fn) => join(out, fn.Metadata?.['aws:asset:path'] ?? 'missing'));
    for (const asset of assets) expect(existsSync(join(asset, 'index.mjs'))).toBe(true);
    // The chart drawers (the run's charts, the optimizer's page) carry the native canvas module
    // and the font beside the code; no other bundle reaches for the canvas it does not carry.
    const drawsCharts = (asset: string) => existsSync(join(asset, 'fonts', 'DejaVuSans.ttf'));
    const chartDrawers = assets.filter(drawsCharts);
    expect(chartDrawers).toHaveLength(2);
    for (const asset of chartDrawers) expect(existsSync(join(asset, 'node_modules', '@napi-rs', 'canvas-linux-x64-gnu'))).toBe(true);
    // The run's chart drawer draws on every vCPU: its worker thread's bundle lies beside its
    // handler's, and loads there (its canvas module and font found beside it).
    const withWorker = chartDrawers.filter((asset) => existsSync(join(asset, 'render-charts-worker.mjs')));
    expect(withWorker).toHaveLength(1);
    const loaded = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', "await import('./render-charts-worker.mjs'); console.log('loaded')"], { cwd: withWorker[0] });
    expect(loaded.stdout.trim()).toBe('loaded');
    for (const asset of assets.filter((asset) => !drawsCharts(asset))) {
      expect(readFileSync(join(asset, 'index.mjs'), 'utf8'), asset).not.toContain('@napi-rs/canvas');
    }
  }, 180_000);
});
