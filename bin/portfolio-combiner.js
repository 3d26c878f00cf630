#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so the command always matches the code beside it.
import { register } from 'tsx/esm/api';

if (Number(process.versions.node.split('.')[0]) < 22) {
  process.stderr.write(`error: portfolio-combiner needs Node.js 22 or newer (this is ${process.version}); npm ci installs it\n`);
  process.exit(1);
}
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
