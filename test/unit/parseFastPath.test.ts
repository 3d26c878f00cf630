/**
 * The quote-free fast path of `readTrackRecord` against csv-parse: on any CSV without a `"`
 * byte both must give the same record (columns, rows, hash), the same errors (kind, line,
 * column, message) and the same warnings. Random files mix valid and invalid cells, blank
 * and white-space lines, LF and CRLF, a BOM, lone `\r`, bad UTF-8, field-count errors,
 * unsorted and repeated dates; a second generator writes raw noise from the bytes that
 * matter to a splitter.
 *
 * The number and date cells have fast paths of their own, checked here against the full
 * parsers: `parseNumber`, and the calendar of JavaScript's `Date`.
 *
 * Reproduce a failure: FC_SEED=<seed> npx vitest run test/parseFastPath.test.ts
 * FC_NUM_RUNS overrides the number of runs (200 by default).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DATE_FORMATS, parseDate, type DateFormat } from '#shared/dates.ts';
import { plainDecimal } from '#shared/ingest/plainDecimal.ts';
import { forEachQuoteFreeRecord, isQuoteFree } from '#shared/ingest/quoteFreeRecords.ts';
import { readTrackRecord } from '#shared/ingest/readTrackRecord.ts';
import { MAX_ERRORS_PER_FILE } from '#shared/ingest/trackRecordReader.ts';
import { canonicalColumn } from '#shared/ingest/trackRecordColumns.ts';
import { parseNumber } from '#shared/numbers.ts';

const seedText = process.env['FC_SEED'];
const numRuns = Number(process.env['FC_NUM_RUNS'] ?? 200);
fc.configureGlobal({ numRuns, ...(seedText === undefined || seedText === '' ? {} : { seed: Number(seedText) }) });

const encoder = new TextEncoder();
/** Bytes that are not UTF-8: a lone continuation byte, a cut two-byte sequence, an invalid lead byte. */
const BAD_UTF8 = [Uint8Array.of(0x80), Uint8Array.of(0xc3), Uint8Array.of(0xff, 0x41)];
const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/** A piece of a file: text (written as UTF-8) or raw bytes. */
type Piece = string | Uint8Array;

function bytesOf(pieces: readonly Piece[]): Uint8Array {
  return Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? encoder.encode(piece) : piece)));
}

function expectSameReading(bytes: Uint8Array, dateFormat: DateFormat): void {
  expect(isQuoteFree(bytes)).toBe(true);
  const fast = readTrackRecord('Alpha', 'Alpha.csv', bytes, dateFormat);
  const reference = readTrackRecord('Alpha', 'Alpha.csv', bytes, dateFormat, 'csvParse');
  expect(fast).toStrictEqual(reference);
}

const CANONICAL = ['Date', 'Return', 'Margin_Used', 'Notional_Value'];

/** The day `offset` days after 2024-01-01, written in `format`, with or without leading zeros. */
function dateText(offset: number, format: DateFormat, padded: boolean): string {
  const date = new Date(Date.UTC(2024, 0, 1 + offset));
  const pad = (n: number): string => (padded ? String(n).padStart(2, '0') : String(n));
  const [year, month, day] = [String(date.getUTCFullYear()), pad(date.getUTCMonth() + 1), pad(date.getUTCDate())];
  return format === 'YYYY-MM-DD' ? `${year}-${month}-${day}` : format === 'MM/DD/YYYY' ? `${month}/${day}/${year}` : `${day}/${month}/${year}`;
}

/** The canonical column a header names; `Note` for one that is ignored. */
function columnOf(header: string): string {
  return canonicalColumn(header) ?? 'Note';
}

const junkArb = fc.constantFrom<Piece>('', ' ', '\t', 'abc', 'é', '1,5', ' \r', '\u00a0', ...BAD_UTF8);

/** Good cells of each canonical column (Date aside): a file of them reads into a record. */
const goodCellArbs: Record<string, fc.Arbitrary<Piece>> = {
  Return: fc.constantFrom('0.01', '-0.02', ' 0.003 ', '1.5%', '-2 %', '0.7', '1e-3', '.5', '5.', '+0.1', '-0', '-0.999'),
  Margin_Used: fc.constantFrom('1000', '0', '2500.5', '1e3', ' 7 '),
  Notional_Value: fc.constantFrom('10000', '0', '  20000  ', '3.25'),
};

/** Any cell of a column: mostly good, sometimes bad. */
function anyCellArb(column: string, dateFormat: DateFormat): fc.Arbitrary<Piece> {
  const bad = fc.oneof(
    junkArb,
    fc.constantFrom('-1', '-1.5', '-5', 'NaN', '1e400', '0x10', '2024-02-30', '2024-13-01', '2024-01-05T10:00', '2024-01-05 25:00', '24-1-2'),
  );
  const good =
    column === 'Date'
      ? fc.tuple(fc.integer({ min: 0, max: 9 }), fc.boolean()).map(([offset, padded]) => dateText(offset, dateFormat, padded))
      : (goodCellArbs[column] ?? fc.constantFrom('x', '', 'note'));
  return fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: bad });
}

const blankLineArb = fc.constantFrom<Piece[]>([''], ['   '], ['\t'], ['\r'], [' \r ']);

function rowPieces(cells: readonly Piece[]): Piece[] {
  return cells.flatMap((cell, c) => (c === 0 ? [cell] : [',', cell]));
}

/**
 * A file that should read: the four columns under some accepted names and in some order (an
 * extra column now and then), good cells, distinct dates in any order, blank lines between.
 */
const cleanFileArb = fc
  .record({
    dateFormat: fc.constantFrom(...DATE_FORMATS),
    header: fc.constantFrom(
      CANONICAL,
      ['Return_%', 'Notional', ' Day ', 'Margin', 'Note'],
      ['\uFEFFDate', 'Ret', 'Margin-Used', 'Notional Exposure'],
    ),
    days: fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 25 }),
  })
  .chain(({ dateFormat, header, days }) => {
    const row = (offset: number): fc.Arbitrary<Piece[]> =>
      fc
        .tuple(
          ...header.map((name) =>
            columnOf(name) === 'Date'
              ? fc.boolean().map((padded): Piece => dateText(offset, dateFormat, padded))
              : (goodCellArbs[columnOf(name)] ?? fc.constantFrom<Piece>('x', '', 'note')),
          ),
        )
        .map(rowPieces);
    const line = (offset: number): fc.Arbitrary<Piece[][]> =>
      fc.tuple(row(offset), fc.option(blankLineArb, { freq: 5 })).map(([cells, blank]) => (blank === null ? [cells] : [cells, blank]));
    return fc.record({
      dateFormat: fc.constant(dateFormat),
      header: fc.constant(header),
      lines: fc.tuple(...days.map(line)).map((groups) => groups.flat()),
    });
  });

/** A file of anything: bad cells, rows one field short or long, repeated dates, any header. */
const dirtyFileArb = fc
  .record({
    dateFormat: fc.constantFrom(...DATE_FORMATS),
    header: fc.oneof(
      fc.constant(CANONICAL),
      fc.shuffledSubarray(['Date', ' day ', 'Return_%', 'Ret', 'margin', 'Notional', 'Note', 'Margin-Used', '\uFEFFDate', ''], {
        minLength: 1,
        maxLength: 7,
      }),
    ),
  })
  .chain(({ dateFormat, header }) => {
    const row = fc
      .tuple(fc.tuple(...header.map((name) => anyCellArb(columnOf(name), dateFormat))), fc.constantFrom(0, 0, 0, 0, 0, 0, 1, -1))
      .map(([cells, change]) => rowPieces(change === 1 ? [...cells, '7'] : change === -1 ? cells.slice(0, -1) : cells));
    return fc.record({
      dateFormat: fc.constant(dateFormat),
      header: fc.constant(header),
      lines: fc.array(fc.oneof({ weight: 8, arbitrary: row }, { weight: 1, arbitrary: blankLineArb }), { maxLength: 25 }),
    });
  });

/** Either kind of file, written with a BOM or not, LF, CRLF or `\r\r\n` line ends, a final newline or not. */
const fileArb = fc
  .record({
    file: fc.oneof(cleanFileArb, dirtyFileArb),
    bom: fc.boolean(),
    leadingBlank: fc.boolean(),
    ends: fc.array(fc.constantFrom('\n', '\n', '\r\n', '\r\r\n'), { minLength: 60, maxLength: 60 }),
    finalNewline: fc.boolean(),
  })
  .map(({ file, bom, leadingBlank, ends, finalNewline }) => {
    const lines = [[file.header.join(',')], ...file.lines];
    const pieces: Piece[] = [...(bom ? [UTF8_BOM] : []), ...(leadingBlank ? [' \n'] : [])];
    lines.forEach((line, index) => {
      pieces.push(...line);
      if (index < lines.length - 1 || finalNewline) pieces.push(ends[index % ends.length] ?? '\n');
    });
    return { dateFormat: file.dateFormat, bytes: bytesOf(pieces) };
  });

/** Raw noise from the characters that steer a splitter and a reader. */
const noiseArb = fc
  .array(
    fc.constantFrom<Piece>(',', '\n', '\r', '\r\n', ' ', '\t', '1', '0.5', '-', '%', 'Date', 'Return', 'Margin', 'Notional', '2024-01-02', 'é', '\uFEFF', ...BAD_UTF8),
    { maxLength: 60 },
  )
  .map(bytesOf);

describe('the quote-free fast path reads a file as csv-parse does', () => {
  test.prop([fileArb])('random track records: same record, errors and warnings', ({ dateFormat, bytes }) => {
    expectSameReading(bytes, dateFormat);
  });

  test.prop([noiseArb, fc.constantFrom(...DATE_FORMATS)])('random noise: same record, errors and warnings', (bytes, dateFormat) => {
    expectSameReading(bytes, dateFormat);
  });

  it.each([
    { what: 'an empty file', text: '' },
    { what: 'a BOM only', text: '\uFEFF' },
    { what: 'a header only, no final newline', text: 'Date,Return,Margin_Used,Notional_Value' },
    { what: 'a lone \\r at the end', text: 'Date,Return,Margin_Used,Notional_Value\n2024-01-02,0.01,1000,10000\r' },
    { what: 'a header that ends the file with a lone \\r (kept in the messages)', text: 'Date,Return,Note\r' },
    { what: 'a line of empty fields', text: 'Date,Return,Margin_Used,Notional_Value\n,,,\n' },
    { what: 'rows out of order with a repeated date', text: 'Date,Return,Margin_Used,Notional_Value\n2024-01-09,0.01,1,1\n2024-01-02,0.9,1,1\n\n2024-01-09,0,1,1\n' },
  ])('$what', ({ text }) => {
    expectSameReading(encoder.encode(text), 'YYYY-MM-DD');
  });

  it.each([MAX_ERRORS_PER_FILE - 1, MAX_ERRORS_PER_FILE, MAX_ERRORS_PER_FILE + 5])('a file with %i bad rows stops at the same error', (badRows) => {
    const rows = Array.from({ length: badRows }, (_, row) => (row % 3 === 0 ? `2024-01-02,x,1,1,extra` : `2024-01-0${(row % 9) + 1},-2,-1,1`));
    expectSameReading(encoder.encode(['Date,Return,Margin_Used,Notional_Value', ...rows].join('\r\n')), 'YYYY-MM-DD');
  });
});

describe('which path a file takes', () => {
  it('a file with a quote anywhere goes to csv-parse', () => {
    expect(isQuoteFree(encoder.encode('Date,Return\n"2024-01-02",1\n'))).toBe(false);
    expect(isQuoteFree(encoder.encode('\uFEFFDate,Return\n2024-01-02,1\n'))).toBe(true);
  });
});

describe('the fast path decodes a chunk of whole lines at a time (a file past V8\'s string limit cannot be one string)', () => {
  function records(bytes: Uint8Array, chunkBytes?: number): [string[], number][] {
    const found: [string[], number][] = [];
    forEachQuoteFreeRecord(bytes, (fields, line) => found.push([fields, line]), chunkBytes);
    return found;
  }

  test.prop([fileArb, fc.integer({ min: 1, max: 80 })])('random track records: the same records and lines for any chunk size', ({ bytes }, chunkBytes) => {
    expect(records(bytes, chunkBytes)).toStrictEqual(records(bytes));
  });

  test.prop([noiseArb, fc.integer({ min: 1, max: 20 })])('random noise: the same records and lines for any chunk size', (bytes, chunkBytes) => {
    expect(records(bytes, chunkBytes)).toStrictEqual(records(bytes));
  });
});

describe('a plain decimal is read from its digits to the double parseNumber gives', () => {
  const numberTextArb = fc.oneof(
    fc.array(fc.constantFrom('0', '1', '5', '9', '.', '-', '+', 'e', '%', ' '), { maxLength: 20 }).map((chars) => chars.join('')),
    fc.double({ noNaN: true, noDefaultInfinity: true }).chain((value) =>
      fc.integer({ min: 1, max: 17 }).map((precision) => value.toPrecision(precision)),
    ),
    fc.tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{0,9}$/), fc.constantFrom('', '.'), fc.stringMatching(/^\d{0,9}$/)).map((parts) => parts.join('')),
  );

  test.prop([numberTextArb])('either NaN (left to parseNumber) or exactly parseNumber\'s value', (text) => {
    const plain = plainDecimal(text);
    if (Number.isNaN(plain)) return;
    const parsed = parseNumber(text);
    expect(parsed.ok).toBe(true);
    expect(Object.is(plain, parsed.ok ? parsed.value : Number.NaN)).toBe(true);
  });

  it.each(['0.012345', '-0', '+.5', '5.', '999999999999999', '0.00000000000001', '-123456.789012345'])('%s is read on the fast path', (text) => {
    expect(Object.is(plainDecimal(text), Number(text))).toBe(true);
  });

  it.each(['', '.', '-', '1e5', '1.5%', '1,5', '0x10', ' 1', '1234567890123456', '0.000000000000001'])('%j is left to parseNumber', (text) => {
    expect(plainDecimal(text)).toBeNaN();
  });
});

describe('a date is read to its day number', () => {
  const dayArb = fc.record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    padded: fc.boolean(),
    format: fc.constantFrom(...DATE_FORMATS),
  });

  test.prop([dayArb])('a date that exists gives its day since 1970-01-01; one that does not is an error', ({ year, month, day, padded, format }) => {
    const pad = (n: number): string => (padded ? String(n).padStart(2, '0') : String(n));
    const y = String(year).padStart(4, '0');
    const text = format === 'YYYY-MM-DD' ? `${y}-${pad(month)}-${pad(day)}` : format === 'MM/DD/YYYY' ? `${pad(month)}/${pad(day)}/${y}` : `${pad(day)}/${pad(month)}/${y}`;
    const utc = new Date(0);
    utc.setUTCFullYear(year, month - 1, day);
    const exists = utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day;
    expect(parseDate(text, format)).toEqual(exists ? { ok: true, day: Math.round(utc.getTime() / 86_400_000) } : { ok: false, reason: expect.any(String) });
  });

  it.each([
    { text: '2024-01-023', format: 'YYYY-MM-DD' },
    { text: '20245-01-02', format: 'YYYY-MM-DD' },
    { text: '2024-001-02', format: 'YYYY-MM-DD' },
    { text: '1/2/20245', format: 'MM/DD/YYYY' },
    { text: '01/02/024', format: 'DD/MM/YYYY' },
    { text: '001/02/2024', format: 'MM/DD/YYYY' },
  ] as const)('$text is not a date in $format', ({ text, format }) => {
    expect(parseDate(text, format).ok).toBe(false);
  });

  it.each(DATE_FORMATS)('with %s, a time after the date is read and ignored', (format) => {
    const text = format === 'YYYY-MM-DD' ? '2024-01-02T10:00:00Z' : '02/02/2024 23:59';
    expect(parseDate(text, format)).toEqual({ ok: true, day: format === 'YYYY-MM-DD' ? 19724 : 19755 });
  });
});
