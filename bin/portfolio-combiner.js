#!/usr/bin/env node
// Runs the TypeScript sources as they are, so the command always matches the code beside it:
// on Node's own type stripping where it has one (no transpiling at start), else through tsx.
if (Number(process.versions.node.split('.')[0]) < 22) {
  process.stderr.write(`error: portfolio-combiner needs Node.js 22 or newer (this is ${process.version}); npm ci installs it\n`);
  process.exit(1);
}
// V8 grows its young generation to 134 MB while the report's CSVs and pages are written (short-
// lived strings at a high rate); capped at 16 MB a semi-space, the 500x20 run peaks 70-100 MB
// lower and spends no more CPU. The cap is a start-up flag: the process replaces itself with one
// that has it (same pid, before any source loads); where Node cannot (Windows), it runs as it is.
const YOUNG_GENERATION = '--max-semi-space-size=16';
// glibc's malloc, read at start too: an arena per thread (the chart workers, the thread pool)
// kept what each thread once held; allocations from 64 KB are mapped on their own and unmapped
// when freed instead of fragmenting the heap; a free top of the heap from 128 KB goes back to the
// system. Each only where the user has not set it; other C libraries ignore them.
const MALLOC = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_TRIM_THRESHOLD_: '131072' };
if (!process.execArgv.some((flag) => flag.startsWith('--max-semi-space-size')) && typeof process.execve === 'function') {
  try {
    process.execve(process.execPath, [process.execPath, YOUNG_GENERATION, ...process.execArgv, ...process.argv.slice(1)], { ...MALLOC, ...process.env });
  } catch {
    // Not replaced: the run goes on with V8's default.
  }
}
// Node's compile cache keeps each source's stripped and compiled form keyed by its content, so a
// start after the first skips that work (0.31 s -> 0.16 s for --help) and an edited file is
// compiled afresh. The variable carries it into the chart and bootstrap worker threads.
const cache = (await import('node:module')).enableCompileCache?.();
if (cache?.directory !== undefined) process.env.NODE_COMPILE_CACHE = cache.directory;
if (!process.features.typescript) (await import('tsx/esm/api')).register();
const { main } = await import('#cli/main.ts');
try {
  process.exitCode = await main(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
} catch (error) {
  // A defect, not bad input: one line, and the stack only on request. Nothing was published.
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  process.stderr.write(`error: unexpected failure (a defect of portfolio-combiner; nothing was written): ${message}\n`);
  if (process.env.PORTFOLIO_COMBINER_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
  else process.stderr.write('error: run again with PORTFOLIO_COMBINER_DEBUG=1 to see where\n');
  process.exitCode = 3;
}
