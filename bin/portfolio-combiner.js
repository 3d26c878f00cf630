#!/usr/bin/env node
// Runs the TypeScript sources as they are, so the command always matches the code beside it:
// on Node's own type stripping where it has one (no transpiling at start), else through tsx.
if (Number(process.versions.node.split('.')[0]) < 22) {
  process.stderr.write(`error: portfolio-combiner needs Node.js 22 or newer (this is ${process.version}); npm ci installs it\n`);
  process.exit(1);
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
