/**
 * What `run` and `optimize` share on the local file system (SPEC 8): the inputs must exist, the
 * output folder must be one a report can be published into (`outputFolder.ts`), the stages write
 * into its staging folder, and only a pipeline that succeeded replaces the folder's report.
 * Bad input: every error on standard error, exit 1, the output folder untouched.
 */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { PipelineInput } from '#shared/pipeline/runPipeline.ts';
import type { PipelineObserver } from '#shared/pipeline/stageTimer.ts';
import { InputErrors } from '#shared/problems.ts';
import { escapeControls } from '#shared/quoted.ts';
import { FileSystemStorage } from '#shared/storage/fileSystemStorage.ts';
import { progressPrinter } from './progressPrinter.ts';
import { FolderError, openOutputFolder } from './outputFolder.ts';

export interface RunOptions {
  data: string;
  config?: string | undefined;
  /** `run --previous-data`: the folder of the inputs sent before (SPEC 19.2). */
  previousData?: string | undefined;
  out: string;
}

export interface Console {
  out(line: string): void;
  err(line: string): void;
}

/** Keys of the file-system storage are absolute paths without the leading slash. */
export const localStorage = new FileSystemStorage(sep);
export const keyOf = (path: string): string => relative(sep, resolve(path)).split(sep).join('/');

export async function localRun<T>(
  options: RunOptions,
  console: Console,
  execute: (input: PipelineInput, observer: PipelineObserver) => Promise<T>,
  /** What to print once the files are published, from the pipeline's output and the work folder. */
  summarize: (output: T, workPrefix: string) => Promise<string[]>,
): Promise<number> {
  const missing = [
    !existsSync(options.data) ? `the data folder ${options.data} does not exist` : !isFolder(options.data) && `--data ${options.data} is a file, not a folder`,
    options.config !== undefined && !existsSync(options.config) && `the config file ${options.config} does not exist`,
    options.previousData !== undefined &&
      !isFolder(options.previousData) &&
      `--previous-data ${options.previousData}: ${existsSync(options.previousData) ? 'is a file, not a folder' : 'the folder does not exist'} (it names the previous copy of the inputs)`,
  ].filter((message): message is string => typeof message === 'string');
  if (missing.length > 0) {
    for (const message of missing) console.err(`error: ${escapeControls(message)}`);
    return 1;
  }

  let folder;
  try {
    folder = await openOutputFolder('--out', options.out, [
      { flag: '--data', path: options.data },
      ...(options.config === undefined ? [] : [{ flag: '--config', path: options.config }]),
      ...(options.previousData === undefined ? [] : [{ flag: '--previous-data', path: options.previousData }]),
    ]);
  } catch (error) {
    if (!(error instanceof FolderError)) throw error;
    console.err(`error: ${escapeControls(error.message)}`);
    console.err(`nothing was written to ${escapeControls(options.out)}`);
    return error.exitCode;
  }
  const workPrefix = keyOf(resolve(folder.staging, 'work'));
  try {
    const output = await execute(
      {
        dataPrefix: keyOf(options.data),
        configKey: options.config === undefined ? undefined : keyOf(options.config),
        // The label is the folder as the user wrote it (SPEC 19.2).
        previousDataPrefix: options.previousData === undefined ? undefined : keyOf(options.previousData),
        previousLabel: options.previousData,
        workPrefix,
        stagingPrefix: keyOf(resolve(folder.staging, 'report')),
      },
      progressPrinter(console.err),
    );
    const lines = await summarize(output, workPrefix);
    const written = await folder.publish();
    // Names come from users and may hold line breaks: every line prints as one line.
    for (const line of [...lines, '', `Written to ${resolve(options.out)}:`, ...describeFiles(written)]) console.out(escapeControls(line));
    return 0;
  } catch (error) {
    if (!(error instanceof InputErrors)) throw error;
    for (const line of error.message.split('\n')) console.err(`error: ${line}`);
    console.err(`${error.errors.length} error(s); nothing was written to ${options.out}`);
    return 1;
  } finally {
    await folder.close();
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
