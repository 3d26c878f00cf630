/**
 * `csvChunks` formats rows in blocks, column by column, and gathers them into chunks of about
 * a mebibyte: whatever the shape, the text must be the plain row-by-row CSV of SPEC 6, every
 * chunk ending at a row's end.
 *
 * Reproduce a failure: FC_SEED=<seed> npx vitest run test/csvChunks.test.ts
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '#shared/numbers.ts';
import { csvChunks, textCell, type CsvColumn } from '#shared/report/csvText.ts';

const seedText = process.env['FC_SEED'];
const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 200);
fc.configureGlobal({ numRuns, ...(seedText === undefined || seedText === '' ? {} : { seed: Number(seedText) }) });

/** The CSV written the obvious way: one row after another, one cell after another. */
function rowByRow(isoDates: readonly string[], columns: readonly CsvColumn[]): string {
  const header = ['Date', ...columns.map((column) => column.header)].map(textCell).join(',');
  const rows = isoDates.map((date, day) => [date, ...columns.map((column) => formatNumber(column.values[day] ?? 0))].join(','));
  return [header, ...rows].map((line) => `${line}\n`).join('');
}

/** Finite doubles: a NaN or an infinity is refused (below). */
const valueArb = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1, 0.1 + 0.2, 1e21, 1e-7, -1234.5, 50_000),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
);

const tableArb = fc.integer({ min: 0, max: 100 }).chain((days) =>
  fc.record({
    dates: fc.array(fc.constantFrom('2024-01-02', '2024-01-03', '1999-12-31'), { minLength: days, maxLength: days }),
    columns: fc.array(
      fc.record({
        header: fc.string({ maxLength: 8 }),
        values: fc.array(valueArb, { minLength: days, maxLength: days }).map((values) => Float64Array.from(values)),
      }),
      { maxLength: 8 },
    ),
  }),
);

describe('csvChunks', () => {
  test.prop([tableArb])('gives the row-by-row CSV, in chunks that end at a row end', ({ dates, columns }) => {
    const chunks = [...csvChunks(dates, columns)];
    expect(chunks.join('')).toBe(rowByRow(dates, columns));
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
  });

  test.prop([tableArb.filter(({ dates, columns }) => dates.length > 0 && columns.length > 0), fc.nat(), fc.nat(), fc.constantFrom(Number.NaN, Infinity, -Infinity)])(
    'refuses a table holding a NaN or an infinity, naming its column and date',
    ({ dates, columns }, columnSeed, daySeed, bad) => {
      const column = columnSeed % columns.length;
      const day = daySeed % dates.length;
      columns[column]!.values[day] = bad;
      expect(() => [...csvChunks(dates, columns, 'x.csv')]).toThrow(`on ${dates[day]} the figure is ${bad}`);
    },
  );

  it('a table of several mebibytes is the same text, in chunks of one to two mebibytes', () => {
    const days = 3000;
    const dates = Array.from({ length: days }, (_, day) => `2024-01-${String((day % 28) + 1).padStart(2, '0')}`);
    const columns = Array.from({ length: 40 }, (_, c) => ({
      header: `S${c}_Equity_Value`,
      values: Float64Array.from({ length: days }, (_, day) => Math.sin(day * (c + 1)) * 10 ** (c % 7)),
    }));
    const chunks = [...csvChunks(dates, columns)];
    expect(chunks.join('')).toBe(rowByRow(dates, columns));
    const dataChunks = chunks.slice(1, -1);
    expect(dataChunks.length).toBeGreaterThan(0);
    for (const chunk of dataChunks) {
      expect(chunk.length).toBeGreaterThanOrEqual(1 << 20);
      expect(chunk.length).toBeLessThan(2 << 20);
    }
  });
});
