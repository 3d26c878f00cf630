/**
 * What a stage leaves in the execution's state for a later state to read (the notifier): each as a
 * zod schema whose `z.infer` type is the stage's output type. They sit here, not beside the stage,
 * so that a handler validating them does not bundle the stage's code: the optimizer's last stage
 * draws with @napi-rs/canvas, whose native binary the notify Lambda neither needs nor can bundle.
 */
import { z } from 'zod';

/** Load+Validate (`$.load`) in the run machine: the published run whose input snapshot it compared with (SPEC 19.2), which Publish latest publishes over. */
export const loadComparisonSchema = z.object({ comparedWith: z.string().nullable().optional() });

/** Align+Scale (`$.align`): the scaled columns' key, and the calendar's length and ends (day numbers), which the notice states. */
export const alignOutputSchema = z.object({ scaledKey: z.string(), dates: z.number().int(), firstDate: z.number().int(), lastDate: z.number().int() });
export type AlignOutput = z.infer<typeof alignOutputSchema>;

/** Write optimizer (`$.optimizer`): the chosen strategies, and optimizer.json's key first. */
export const finishOptimizerOutputSchema = z.object({ chosen: z.array(z.string()), keys: z.array(z.string()).min(1) });
export type FinishOptimizerOutput = z.infer<typeof finishOptimizerOutputSchema>;
