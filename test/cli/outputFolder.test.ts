/**
 * The output folder as a careless or hostile user meets it (issue 10): `--out` overlapping the
 * inputs, a file, an unwritable place, a second run at the same time, what killed runs left
 * behind, and a kill at any instant of publishing. The real command, as a separate process
 * where a test needs one (a kill, another process's lock, another user's rights).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { spawnCli } from '#test/support/spawnCli.ts';
import { csv, GOOD_CSV, HEADER, portfolio, snapshot, strategy, type Snapshot } from '#test/support/writeCase.ts';

const BETA_CSV = csv(HEADER, '2024-01-02,-0.002,2000,30000', '2024-01-03,0.004,2000,30000', '2024-01-04,0.001,1000,15000');

/** A scratch folder with `data/` (Alpha, Beta and the config) and the path `report` for `--out`. */
function scratchCase(label: string, config = portfolio(['Alpha', 'Beta'])): { root: string; data: string; out: string } {
  const root = scratchFolder(label);
  const data = join(root, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'Alpha.csv'), GOOD_CSV);
  writeFileSync(join(data, 'Beta.csv'), BETA_CSV);
  writeFileSync(join(data, 'portfolio.json'), JSON.stringify(config));
  return { root, data, out: join(root, 'report') };
}

function versionsOf(root: string): string[] {
  const store = join(root, '.report.versions');
  return existsSync(store) ? readdirSync(store).sort() : [];
}

describe('--out must not overlap the inputs (exit 2, naming both flags, nothing written)', () => {
  it('--out equal to --data, with a strategy named like a report file, leaves the input as it was', async () => {
    const { root, data } = scratchCase('overlap-same', portfolio(['correlation']));
    writeFileSync(join(data, 'correlation.csv'), GOOD_CSV);
    const before = snapshot(root);
    const result = await runCli(['run', '--data', data, '--out', data]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr[0]).toMatch(/--out .* and --data .* overlap/);
    expect(snapshot(root)).toEqual(before);
  });

  it.each([
    ['--out inside --data', (data: string) => join(data, 'report')],
    ['--out holding --data', (data: string) => join(data, '..')],
  ])('%s is refused', async (_, outOf) => {
    const { root, data } = scratchCase('overlap');
    const before = snapshot(root);
    const result = await runCli(['run', '--data', data, '--out', outOf(data)]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.join('\n')).toMatch(/--out .* and --data .* overlap/);
    expect(snapshot(root)).toEqual(before);
  });

  it('a config inside --out is refused too, naming --config', async () => {
    const { root, data, out } = scratchCase('overlap-config');
    mkdirSync(out);
    writeFileSync(join(out, 'portfolio.json'), readFileSync(join(data, 'portfolio.json')));
    const result = await runCli(['run', '--data', data, '--config', join(out, 'portfolio.json'), '--out', out]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr[0]).toMatch(/--out .* and --config .* overlap/);
    expect(versionsOf(root)).toEqual([]);
  });

  it('the current folder is refused as --out: it would be replaced under the user\'s shell', async () => {
    const { data } = scratchCase('overlap-cwd');
    const result = await runCli(['run', '--data', data, '--out', '.']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr[0]).toMatch(/--out \. is the current folder/);
  });
});

describe('--out problems are found before the run starts (exit 1, nothing written)', () => {
  it('--out naming a file: the one error, even with a bad CSV that the run would have reported', async () => {
    const { root, data, out } = scratchCase('out-file');
    writeFileSync(out, 'not a folder');
    writeFileSync(join(data, 'Alpha.csv'), csv(HEADER, '2024-01-02,bad,1000,10000'));
    const before = snapshot(root);
    const result = await runCli(['run', '--data', data, '--out', out]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr[0]).toBe(`error: --out ${out} is a file, not a folder`);
    expect(result.stderr.join('\n')).not.toMatch(/Alpha\.csv/);
    expect(snapshot(root)).toEqual(before);
  });

  it('an unwritable folder: one line naming --out and the folder, exit 1, nothing written', async () => {
    const { root, data } = scratchCase('out-unwritable');
    const locked = join(root, 'locked');
    mkdirSync(locked);
    chmodSync(root, 0o755);
    chmodSync(locked, 0o555);
    const out = join(locked, 'report');
    const before = snapshot(root);
    // Root may write anywhere: the command runs as nobody, as a user without the right would.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = await spawnCli(['run', '--data', data, '--out', out], { ...asUser, cwd: root });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(
      `error: --out ${out}: cannot write in ${locked} (permission denied); the report is published by replacing --out in one step, which needs write access to the folder that holds it`,
    );
    expect(snapshot(root)).toEqual(before);
  });
});

describe('a report folder the user cannot write into is no obstacle: the new version is built beside it', () => {
  it('with charts/ of the previous report read-only, the next run replaces the whole report (it used to crash after 2 of 11 files)', async () => {
    const { root, data, out } = scratchCase('charts-read-only');
    // Root may write anywhere: the runs are made as nobody, owner of the folder, as a user would be.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    chmodSync(root, 0o777);
    expect((await spawnCli(['run', '--data', data, '--out', out], asUser)).exitCode).toBe(0);
    const before = snapshot(out);
    chmodSync(join(out, 'charts'), 0o555);
    writeFileSync(join(data, 'portfolio.json'), JSON.stringify(portfolio([strategy('Alpha', { allocatedCapital: 200000 }), 'Beta'])));
    const result = await spawnCli(['run', '--data', data, '--out', out], asUser);
    expect(result.exitCode, result.stderr).toBe(0);
    const after = snapshot(out);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(after['summary.json']).not.toBe(before['summary.json']);
    expect(after['charts/portfolio.png']).not.toBe(before['charts/portfolio.png']);
  });
});

describe('one run at a time per output folder', () => {
  function holdLock(root: string, pid: number): string {
    const store = join(root, '.report.versions');
    mkdirSync(store, { recursive: true });
    const lock = join(store, 'lock');
    writeFileSync(lock, JSON.stringify({ pid, host: hostname(), since: '2026-12-02T02:00:00.000Z' }));
    return lock;
  }

  it('a second run while another process holds the lock is refused, naming the process, and writes nothing', async () => {
    const { root, data, out } = scratchCase('lock-live');
    const lock = holdLock(root, process.pid);
    const before = snapshot(root);
    const result = await spawnCli(['run', '--data', data, '--out', out]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(
      `error: --out ${out}: another run (process ${process.pid} on ${hostname()}, since 2026-12-02T02:00:00.000Z) is writing there; wait for it to end (if no run is going on, remove ${lock})`,
    );
    expect(snapshot(root)).toEqual(before);
  });

  it('the lock of a process that is gone (a killed run) is taken over, and released at the end', async () => {
    const { root, data, out } = scratchCase('lock-stale');
    const gone = spawnSync(process.execPath, ['-e', '']);
    expect(gone.status).toBe(0);
    holdLock(root, gone.pid);
    const result = await spawnCli(['run', '--data', data, '--out', out]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    expect(versionsOf(root)).toHaveLength(1);
  });

  it('what killed runs left behind (staging folders of this and of earlier versions) is removed by the next run', async () => {
    const { root, data, out } = scratchCase('leftovers');
    mkdirSync(join(root, '.report.staging-AbC123', 'work'), { recursive: true });
    writeFileSync(join(root, '.report.staging-AbC123', 'work', 'scaled.bin'), Buffer.alloc(1 << 20));
    mkdirSync(join(root, '.report.versions', 'staging-XyZ789', 'report'), { recursive: true });
    writeFileSync(join(root, '.report.versions', 'staging-XyZ789', 'report', 'summary.json'), '{}');
    const result = await runCli(['run', '--data', data, '--out', out]);
    expect(result.exitCode).toBe(0);
    expect(readdirSync(root).sort()).toEqual(['.report.versions', 'data', 'report']);
    expect(versionsOf(root)).toEqual([expect.stringMatching(/^v-/)]);
  });
});

describe('publishing is all or nothing, whenever the command is killed', () => {
  /** The folder a reader sees: every file under --out, links followed. */
  const reader = (out: string): Snapshot => snapshot(out);
  const USER_FILES = 190;

  /**
   * An output folder published by an earlier run (allocated 100,000 each) with the user's own
   * 190 files beside it; the run under test (200,000 each) replaces every report file.
   */
  async function prepared(): Promise<{ template: string; data: string; oldView: Snapshot; newView: Snapshot }> {
    const template = scratchFolder('kill-template');
    const { data } = scratchCase('kill-data');
    const newConfig = portfolio([strategy('Alpha', { allocatedCapital: 200000 }), strategy('Beta', { allocatedCapital: 200000 })]);
    writeFileSync(join(data, 'new.json'), JSON.stringify(newConfig));
    expect((await runCli(['run', '--data', data, '--out', join(template, 'report')])).exitCode).toBe(0);
    mkdirSync(join(template, 'report', 'notes'));
    for (let i = 0; i < USER_FILES; i += 1) writeFileSync(join(template, 'report', 'notes', `note-${i}.txt`), `note ${i}`);
    writeFileSync(join(template, 'report', 'optimizer.json'), '{"kept": true}\n');
    const finished = copyOf(template);
    expect((await runCli(['run', '--data', data, '--config', join(data, 'new.json'), '--out', join(finished, 'report')])).exitCode).toBe(0);
    return { template, data, oldView: reader(join(template, 'report')), newView: reader(join(finished, 'report')) };
  }

  function copyOf(template: string): string {
    const copy = scratchFolder('kill-case');
    cpSync(template, copy, { recursive: true, verbatimSymlinks: true });
    return copy;
  }

  it('killed after k steps of publishing about 200 files, or at a random moment, --out is wholly old or wholly new; the next run cleans up', async () => {
    const { template, data, oldView, newView } = await prepared();
    expect(newView).not.toEqual(oldView);
    expect(Object.keys(newView).filter((name) => name.startsWith('notes/'))).toHaveLength(USER_FILES);
    const args = (root: string): string[] => ['run', '--data', data, '--config', join(data, 'new.json'), '--out', join(root, 'report')];
    const kills: { env?: Record<string, string>; killAfterMs?: number }[] = [
      ...[1, 2, 100, USER_FILES, USER_FILES + 1, USER_FILES + 2, USER_FILES + 3, USER_FILES + 4, USER_FILES + 5].map((k) => ({
        env: { PORTFOLIO_COMBINER_TEST_KILL_AFTER_PUBLISH_STEPS: String(k) },
      })),
      ...[300, 900, 1500, 2100].map((killAfterMs) => ({ killAfterMs })),
    ];
    const seen = { old: 0, new: 0 };
    for (const kill of kills) {
      const root = copyOf(template);
      const killed = await spawnCli(args(root), kill);
      const view = reader(join(root, 'report'));
      const label = JSON.stringify(kill);
      const whole = JSON.stringify(view) === JSON.stringify(oldView) ? 'old' : JSON.stringify(view) === JSON.stringify(newView) ? 'new' : 'mixed';
      expect(whole, `${label}: wholly old or wholly new`).not.toBe('mixed');
      seen[whole === 'old' ? 'old' : 'new'] += 1;
      if (killed.signal === null) expect(killed.exitCode, `${label}: ${killed.stderr}`).toBe(0);
      const rerun = await spawnCli(args(root));
      expect(rerun.exitCode, `${label} then a run: ${rerun.stderr}`).toBe(0);
      expect(reader(join(root, 'report')), `${label} then a run`).toEqual(newView);
      expect(versionsOf(root), `${label} then a run: no leftovers, no lock`).toEqual([expect.stringMatching(/^v-/)]);
      expect(lstatSync(join(root, 'report')).isSymbolicLink()).toBe(true);
    }
    // The fixed points fall on both sides of the switch.
    expect(seen.old).toBeGreaterThanOrEqual(4);
    expect(seen.new).toBeGreaterThanOrEqual(2);
  }, 300_000);

  it('a report folder written by an earlier version (a plain folder) is switched over too; a kill between its two renames is undone by the next run', async () => {
    const { root, data, out } = scratchCase('kill-plain');
    mkdirSync(out);
    writeFileSync(join(out, 'summary.json'), '{"old": true}\n');
    writeFileSync(join(out, 'my notes.txt'), 'keep me');
    // Steps: the one carried file, the version, the link, then moving the plain folder aside.
    const killed = await spawnCli(['run', '--data', data, '--out', out], { env: { PORTFOLIO_COMBINER_TEST_KILL_AFTER_PUBLISH_STEPS: '4' } });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(out)).toBe(false);
    const next = await spawnCli(['run', '--data', data, '--out', out]);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(readFileSync(join(out, 'my notes.txt'), 'utf8')).toBe('keep me');
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toHaveProperty('checks');
    expect(versionsOf(root)).toEqual([expect.stringMatching(/^v-/)]);
  });
});
