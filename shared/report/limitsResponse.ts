/**
 * `GET /api/portfolio/limits`, as the original position-sizing engine exposed it: the latest
 * published run's `limits.json` (SPEC 12 and 14). `latest/run.json` decides the answer: it points
 * to the complete report whose limits.json is served (200 with the file as written), or says there
 * is none (404 saying why); 502 when it cannot be served. Storage-agnostic: the Lambda passes its
 * S3 adapter, a test the file system.
 */
import { z } from 'zod';
import type { LimitsReport } from '#shared/calc/partBResults.ts';
import { INCOMING_PREFIX, LATEST_POINTER_KEY, LATEST_PREFIX } from '#shared/storage/bucketLayout.ts';
import { joinKey, ObjectNotFound, type Storage } from '#shared/storage/storage.ts';
import { REPORT_FILES } from './reportFiles.ts';

export const LIMITS_PATH = '/api/portfolio/limits';
/** How the messages name the file served. */
export const LATEST_LIMITS_NAME = `the ${REPORT_FILES.limits} that ${LATEST_POINTER_KEY} points to`;

/** An HTTP answer with a JSON body (API Gateway's proxy result has this shape). */
export interface JsonResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** What `latest/` holds of the limits: the file, or why there is none. */
export type LatestLimits = { found: true; bytes: Uint8Array } | { found: false; reportPublished: boolean };

export const NO_LIMITS_MESSAGE =
  'The latest report has no limits.json: the last successful run did not use allocation, rebalancing or limits (SPEC part B). Set one in portfolio.json and run again.';
export const NO_REPORT_MESSAGE =
  `There is no report yet: no run has succeeded, so ${LATEST_PREFIX} is empty. Upload the strategy CSVs and portfolio.json under ${INCOMING_PREFIX} and call again once the run has succeeded.`;

const number = z.number().nullable();

/** limits.json as writeReport writes it (SPEC 14); numbers may be null (not set, or not finite). */
export const limitsReportSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  equity: number,
  maxExposure: number,
  currentExposure: number,
  availableExposure: number,
  exposureUtilizationPct: number,
  perStrategy: z.record(z.string(), z.object({ budget: number, used: number, available: number, utilizationPct: number })),
  config: z.record(z.string(), z.unknown()),
});

/** Compile-time: every report the pipeline writes passes the schema above. */
type Accepts<Schema, Value extends Schema> = Value;
export type LimitsReportFitsSchema = Accepts<z.input<typeof limitsReportSchema>, LimitsReport>;

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } as const;

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): JsonResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/**
 * Reads what the endpoint needs: the pointer, then the limits.json of the report it points to,
 * one consistent report whatever runs publish meanwhile. The pointer is listed before it is read:
 * S3 answers a GetObject of a missing key with AccessDenied, not NoSuchKey, unless the caller may
 * list, so "no run has published" is decided by listing `latest/` (the function may list that
 * prefix only). Whether the report has a limits.json is in the pointer's list of files.
 */
export async function readLatestLimits(storage: Storage): Promise<LatestLimits> {
  if (!(await storage.list(LATEST_POINTER_KEY)).some((object) => object.key === LATEST_POINTER_KEY)) return { found: false, reportPublished: false };
  let pointer: { report: string; files: string[] };
  try {
    pointer = JSON.parse(new TextDecoder().decode(await storage.get(LATEST_POINTER_KEY))) as { report: string; files: string[] };
  } catch (error) {
    if (error instanceof ObjectNotFound) return { found: false, reportPublished: false };
    throw error;
  }
  if (!pointer.files.includes(REPORT_FILES.limits)) return { found: false, reportPublished: true };
  return { found: true, bytes: await storage.get(joinKey(pointer.report, REPORT_FILES.limits)) };
}

/** The answer to `GET /api/portfolio/limits` for what `latest/` holds. */
export function limitsResponse(latest: LatestLimits): JsonResponse {
  if (!latest.found) return json(404, { message: latest.reportPublished ? NO_LIMITS_MESSAGE : NO_REPORT_MESSAGE });
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(latest.bytes);
    value = JSON.parse(text);
  } catch {
    return json(502, { message: `${LATEST_LIMITS_NAME} is not valid JSON; the next published run replaces it.` });
  }
  const parsed = limitsReportSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || 'the file'}: ${issue.message}`);
    return json(502, { message: `${LATEST_LIMITS_NAME} is not a limits report (${issues.join('; ')}).` });
  }
  // The file as the run wrote it: the same bytes `aws s3 cp` would fetch.
  return { statusCode: 200, headers: { ...JSON_HEADERS }, body: text };
}

/** Any method but GET on the path. */
export function methodNotAllowed(method: string): JsonResponse {
  return json(405, { message: `${method} is not allowed on ${LIMITS_PATH}: only GET is.` }, { Allow: 'GET' });
}

/** The report bucket could not be read; the details go to the function's log, not to the caller. */
export function limitsUnreadable(requestId: string): JsonResponse {
  return json(502, {
    message: `Could not read ${LATEST_LIMITS_NAME} from the report bucket. Try again; if it keeps failing, the function's log has the details under this request id.`,
    requestId,
  });
}
