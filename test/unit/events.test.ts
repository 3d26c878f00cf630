/**
 * Every sample event in events/ (for `sam local invoke -e`) goes through the zod schema of the
 * handler it is for, so none can drift from what the handlers accept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { candidateInputSchema as candidateItemSchema, optimizerStepInputSchema as optimizerStepEventSchema } from '#shared/pipeline/optimize.ts';
import { chunkInputSchema as chunkItemSchema } from '#shared/pipeline/stageInputs.ts';
import { scenarioInputSchema as scenarioItemSchema } from '#shared/pipeline/runScenarios.ts';
import { runRequestSchema } from '#shared/pipeline/startRun.ts';
import { limitsRequestSchema } from '#functions/get-limits.ts';
import { notifyEventSchema } from '#functions/notify.ts';
import { publishEventSchema } from '#functions/publish-latest.ts';
import { loadInputSchema } from '#shared/pipeline/loadAndValidate.ts';
import { mergeMonteCarloInputSchema, monteCarloChunkInputSchema, planMonteCarloInputSchema } from '#shared/pipeline/monteCarlo.ts';
import { objectCreatedSchema, startEventSchema } from '#functions/start-run.ts';
import { EVENTS_FOLDER } from '#test/support/paths.ts';

const EVENTS = EVENTS_FOLDER;
const STAGE_HANDLERS = ['load-validate', 'align-scale', 'compound-reconcile', 'write-report', 'write-index', 'seal-report', 'discard-report', 'expire-runs'];

function schemaFor(file: string): z.ZodType {
  if (file.startsWith('start-run-')) return startEventSchema;
  if (file.startsWith('optimizer-step-')) return optimizerStepEventSchema;
  if (file === 'get-limits.json') return limitsRequestSchema;
  if (file === 'run-scenario.json') return scenarioItemSchema;
  if (file === 'render-charts.json' || file === 'write-pages.json') return chunkItemSchema;
  if (file === 'evaluate-candidate.json') return candidateItemSchema;
  if (file === 'finish-optimizer.json') return runRequestSchema;
  if (file.startsWith('notify-')) return notifyEventSchema;
  if (file === 's3-object-created.json') return objectCreatedSchema;
  if (file === 'publish-latest.json') return publishEventSchema;
  // The run machine hands Load+Validate its prefixes and `previousRun` (SPEC 19.2), not the whole run request.
  if (file === 'load-validate.json') return loadInputSchema;
  if (file === 'plan-monte-carlo.json') return planMonteCarloInputSchema;
  if (file === 'run-bootstrap-chunk.json') return monteCarloChunkInputSchema;
  if (file === 'merge-monte-carlo.json') return mergeMonteCarloInputSchema;
  if (STAGE_HANDLERS.includes(file.replace(/\.json$/, ''))) return runRequestSchema;
  throw new Error(`events/${file} is for no known handler: name it after one`);
}

describe('events/', () => {
  const files = readdirSync(EVENTS).filter((file) => file.endsWith('.json'));

  it('has a sample for every stage handler and every trigger', () => {
    for (const handler of STAGE_HANDLERS) expect(files).toContain(`${handler}.json`);
    expect(files).toEqual(
      expect.arrayContaining([
        'start-run-upload-batch.json',
        'start-run-schedule.json',
        'start-run-manual.json',
        'start-run-optimize.json',
        'start-run-quiet-check.json',
        'publish-latest.json',
        'notify-success.json',
        'notify-unchanged.json',
        'notify-optimizer.json',
        'notify-failure.json',
        's3-object-created.json',
        'run-scenario.json',
        'plan-monte-carlo.json',
        'run-bootstrap-chunk.json',
        'merge-monte-carlo.json',
        'render-charts.json',
        'write-pages.json',
        'optimizer-step-start.json',
        'optimizer-step-choose.json',
        'evaluate-candidate.json',
        'finish-optimizer.json',
        'get-limits.json',
      ]),
    );
  });

  it.each(files)('%s is accepted by its handler', (file) => {
    const event: unknown = JSON.parse(readFileSync(join(EVENTS, file), 'utf8'));
    const parsed = schemaFor(file).safeParse(event);
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
  });

  it('rejects a stage event without its prefixes, so a broken sample would be caught', () => {
    expect(runRequestSchema.safeParse({ runId: 'x', trigger: 'upload' }).success).toBe(false);
    expect(startEventSchema.safeParse({ trigger: 'schedule' }).success).toBe(false);
    expect(startEventSchema.safeParse({ trigger: 'manual', command: 'rebalance' }).success).toBe(false);
    expect(optimizerStepEventSchema.safeParse({ action: 'choose', workPrefix: 'work/x/', step: 1, candidates: [] }).success).toBe(false);
  });
});
