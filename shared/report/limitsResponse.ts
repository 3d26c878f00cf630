/**
 * `GET /api/portfolio/limits`, as the original position-sizing engine exposed it: the latest
 * successful run's `limits.json` (SPEC 12 and 14). What `latest/` holds decides the answer:
 * 200 with the file as written, 404 saying why there is none, 502 when it cannot be served.
 * Storage-agnostic: the Lambda passes its S3 adapter, a test the file system.
 */
import { z } from 'zod';
import type { LimitsReport } from '../calc/partBResults.js';
import { LATEST_PREFIX } from '../pipeline/runId.js';
import { joinKey, ObjectNotFound, type Storage } from '../storage/storage.js';
import { REPORT_FILES } from './reportFiles.js';

export const LIMITS_PATH = '/api/portfolio/limits';
export const LATEST_LIMITS_KEY = joinKey(LATEST_PREFIX, REPORT_FILES.limits);
/** publishLatest's RUN_MARKER, named here so this module does not pull in the pipeline. */
export const LATEST_RUN_KEY = joinKey(LATEST_PREFIX, 'run.json');

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
  'There is no report yet: no run has succeeded, so latest/ is empty. Upload the strategy CSVs and portfolio.json under incoming/ and call again once the run has succeeded.';

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
 * Reads what the endpoint needs from `latest/`. Listed before read: S3 answers a GetObject of a
 * missing key with AccessDenied, not NoSuchKey, unless the caller may list, so absence is decided
 * by listing (the function may list `latest/` only) and a key that vanishes between the listing
 * and the read (a run publishing) counts as absent too.
 */
export async function readLatestLimits(storage: Storage): Promise<LatestLimits> {
  const present = async (key: string): Promise<boolean> => (await storage.list(key)).some((object) => object.key === key);
  if (await present(LATEST_LIMITS_KEY)) {
    try {
      return { found: true, bytes: await storage.get(LATEST_LIMITS_KEY) };
    } catch (error) {
      if (!(error instanceof ObjectNotFound)) throw error;
    }
  }
  return { found: false, reportPublished: await present(LATEST_RUN_KEY) };
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
    return json(502, { message: `${LATEST_LIMITS_KEY} in the report bucket is not valid JSON; the next successful run rewrites it.` });
  }
  const parsed = limitsReportSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || 'the file'}: ${issue.message}`);
    return json(502, { message: `${LATEST_LIMITS_KEY} in the report bucket is not a limits report (${issues.join('; ')}).` });
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
    message: `Could not read ${LATEST_LIMITS_KEY} from the report bucket. Try again; if it keeps failing, the function's log has the details under this request id.`,
    requestId,
  });
}
