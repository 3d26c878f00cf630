/** `portfolio-combiner sample`: writes the seeded sample data set and its portfolio.json. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateSample } from '#shared/sample/generateSample.ts';
import type { Console } from './localRun.ts';

export async function sampleCommand(options: { out: string; seed: number }, console: Console): Promise<number> {
  const { files } = generateSample(options.seed);
  await mkdir(options.out, { recursive: true });
  for (const [name, text] of files) await writeFile(join(options.out, name), text);
  console.out(`Wrote ${[...files.keys()].join(', ')} to ${resolve(options.out)} (seed ${options.seed})`);
  return 0;
}
