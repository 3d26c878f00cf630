/** `portfolio-combiner run`: the pipeline's stages on the local file system (SPEC 8). */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { isoDate } from '../shared/dates.js';
import { artifactKey, readJson, type Results, type Validation } from '../shared/pipeline/artifacts.js';
import { runPipeline } from '../shared/pipeline/runPipeline.js';
import { InputErrors } from '../shared/problems.js';
import { runSummaryLines } from '../shared/report/runSummaryText.js';
import { FileSystemStorage } from '../shared/storage/fileSystemStorage.js';
import { progressPrinter } from './progressPrinter.js';
import { createStaging } from './publishFolder.js';

export interface RunOptions {
  data: string;
  config?: string | undefined;
  out: string;
}

export interface Console {
  out(line: string): void;
  err(line: string): void;
}

/** Keys of the file-system storage are absolute paths without the leading slash. */
const storage = new FileSystemStorage(sep);
const keyOf = (path: string): string => relative(sep, resolve(path)).split(sep).join('/');

export async function runCommand(options: RunOptions, console: Console): Promise<number> {
  const missing = [
    !isFolder(options.data) && `the data folder ${options.data} does not exist`,
    options.config !== undefined && !existsSync(options.config) && `the config file ${options.config} does not exist`,
  ].filter((message): message is string => typeof message === 'string');
  if (missing.length > 0) {
    for (const message of missing) console.err(`error: ${message}`);
    return 1;
  }

  const staging = await createStaging(options.out);
  const workPrefix = keyOf(resolve(staging.folder, 'work'));
  try {
    const run = await runPipeline(
      storage,
      {
        dataPrefix: keyOf(options.data),
        configKey: options.config === undefined ? undefined : keyOf(options.config),
        workPrefix,
        outputPrefix: keyOf(resolve(staging.folder, 'report')),
      },
      progressPrinter(console.err),
    );
    const validation = await readJson<Validation>(storage, artifactKey(workPrefix, 'validation'));
    const results = await readJson<Results>(storage, artifactKey(workPrefix, 'results'));
    const written = await staging.publish(resolve(staging.folder, 'report'), resolve(options.out));
    const lines = runSummaryLines({
      validation,
      results,
      finalEquity: run.compound.finalEquity,
      dates: { count: run.align.dates, first: isoDate(run.align.firstDate), last: isoDate(run.align.lastDate) },
    });
    for (const line of [...lines, '', `Report written to ${resolve(options.out)}:`, ...describeFiles(written)]) {
      console.out(line);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof InputErrors)) throw error;
    for (const line of error.message.split('\n')) console.err(`error: ${line}`);
    console.err(`${error.errors.length} error(s); nothing was written to ${options.out}`);
    return 1;
  } finally {
    await staging.discard();
  }
}

/** The top-level files by name, the folders by their count of files: 500 tearsheets need no 500 lines. */
function describeFiles(files: readonly string[]): string[] {
  const folders = new Map<string, number>();
  const lines: string[] = [];
  for (const file of files) {
    const slash = file.indexOf(sep);
    if (slash === -1) lines.push(`  ${file}`);
    else folders.set(file.slice(0, slash), (folders.get(file.slice(0, slash)) ?? 0) + 1);
  }
  for (const [folder, count] of folders) lines.push(`  ${folder}${sep} (${count} files)`);
  return lines;
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
