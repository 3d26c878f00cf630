/**
 * SPEC 1.1, the strategy CSVs, as a user meets them: the real command line, in-process, on
 * small files written for each test. A bad file must exit 1, print an error line naming the
 * file, `line N` (the physical line on which the bad cell starts) and the column by its
 * canonical name, and leave the output folder as it was; a warning leaves the run going and
 * shows up in summary.json's `warnings`.
 */
import { describe, expect, it } from 'vitest';
import {
  csv,
  expectNothingWritten,
  expectRejected,
  expectWritten,
  type ExpectedProblem,
  GOOD_CSV,
  HEADER,
  linesReporting,
  portfolio,
  readBack,
  readSummary,
  run,
  runCase,
  warningsOf,
  writeCase,
} from '#test/support/writeCase.ts';

const COLUMNS = ['Date', 'Return', 'Margin_Used', 'Notional_Value'] as const;
const ALPHA = portfolio(['Alpha']);
/** An empty cell is its own error, not "not a number": the message says so. */
const EMPTY = /empty|missing|blank/i;

/** Alpha.csv with the header and two good rows (lines 1-3), then `line4` on line 4, then a good row. */
function alphaWithLine4(line4: string): Record<string, string> {
  return { 'Alpha.csv': csv(HEADER, '2024-01-02,0.01,1000,10000', '2024-01-03,0.01,1000,10000', line4, '2024-01-08,0.01,1000,10000') };
}

describe('the header row', () => {
  it.each(COLUMNS)('a header without %s is reported on line 1 naming the missing column', async (missing) => {
    const keep = COLUMNS.map((column, index) => ({ column, index })).filter(({ column }) => column !== missing);
    const cells = ['2024-01-02', '0.01', '1000', '10000'];
    const result = await run(
      { 'Alpha.csv': csv(keep.map(({ column }) => column).join(','), keep.map(({ index }) => cells[index]).join(',')) },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 1, column: missing });
  });

  it('two headers meaning Return ("Return" and "Ret") are a duplicate column on line 1', async () => {
    const result = await run({ 'Alpha.csv': csv('Date,Return,Ret,Margin_Used,Notional_Value', '2024-01-02,0.01,0.01,1000,10000') }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 1, column: 'Return' });
  });

  it('"Date" and "timestamp" in one header are a duplicate Date column', async () => {
    const result = await run({ 'Alpha.csv': csv('Date,Return,Margin_Used,Notional_Value,timestamp', '2024-01-02,0.01,1000,10000,2024-01-02') }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 1, column: 'Date' });
  });

  it('the header is counted from the first line even after blank lines: a missing column is on line 3', async () => {
    const result = await run({ 'Alpha.csv': `\n  \nDate,Return,Margin_Used\n2024-01-02,0.01,1000\n` }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 3, column: 'Notional_Value' });
  });

  it.each([
    { header: 'Day,Return_%,Margin,Notional', rows: ['2024-01-02,0.01,1000,10000', '2024-01-03,-0.02,2000,30000'] },
    { header: 'Timestamp,Daily_Returns,Margin_Used,Notional_Exposure', rows: ['2024-01-02,0.01,1000,10000', '2024-01-03,-0.02,2000,30000'] },
    { header: 'Date,Ret,margin,notional_value', rows: ['2024-01-02,0.01,1000,10000', '2024-01-03,-0.02,2000,30000'] },
    { header: 'date,Returns,MARGIN_USED,Notional', rows: ['2024-01-02,0.01,1000,10000', '2024-01-03,-0.02,2000,30000'] },
    { header: '\uFEFFDATE,Daily_Return,Margin,Notional_Value', rows: ['2024-01-02,0.01,1000,10000', '2024-01-03,-0.02,2000,30000'] },
    { header: '  Day , Daily-Returns , Margin-Used , Notional Exposure ', rows: ['2024-01-02,0.01,1000,10000', '2024-01-03,-0.02,2000,30000'] },
    { header: 'RETURN_%,Notional-Value,TIMESTAMP,Margin Used', rows: ['0.01,10000,2024-01-02,1000', '-0.02,30000,2024-01-03,2000'] },
    { header: '"Date","Return %","Margin","Notional Value"', rows: ['"2024-01-02"," 0.01 ","1000","10000"', '2024-01-03,-0.02,2000,30000'] },
    { header: 'Day,Daily Return,margin_used,NOTIONAL', rows: ['2024-01-02,0.01,1000,10000', '2024-01-03,-0.02,2000,30000'] },
  ])('the header "$header" is accepted and its columns are read by meaning, not position', async ({ header, rows }) => {
    const result = await run({ 'Alpha.csv': csv(header, ...rows) }, ALPHA);
    expectWritten(result);
    expect(readBack(result, 'Alpha')).toEqual({
      dates: ['2024-01-02', '2024-01-03'],
      returns: [0.01, -0.02],
      margins: [1000, 2000],
      notionals: [10000, 30000],
    });
    expect(warningsOf(result, 'ignoredColumns')).toEqual([]);
  });
});

describe('empty files', () => {
  it('a file of 0 bytes is an empty file, named without a line', async () => {
    const result = await run({ 'Alpha.csv': '' }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: null, says: /empty/i });
  });

  it('a file with a header and no data row is an empty file, named without a line', async () => {
    const result = await run({ 'Alpha.csv': csv(HEADER) }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: null, says: /empty|no data/i });
  });

  it.each([
    { what: 'a BOM only', text: '\uFEFF' },
    { what: 'blank lines only', text: '\n  \n\t\n' },
  ])('a file holding $what is an empty file, named without a line', async ({ text }) => {
    const result = await run({ 'Alpha.csv': text }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: null, says: /empty/i });
  });

  it('a header followed by blank lines only is still an empty file', async () => {
    const result = await run({ 'Alpha.csv': `${HEADER}\r\n\r\n   \r\n` }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: null, says: /empty|no data/i });
  });
});

describe('CSV syntax, reported on the line where the bad cell starts', () => {
  it('an unterminated quote is reported on the line where the quoted cell opens, not at the end of the file', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          HEADER, //                         line 1
          '2024-01-02,0.01,1000,10000', //   line 2
          '2024-01-03,"0.01,1000,10000', //  line 3: the quote opens here and never closes
          '2024-01-04,0.01,1000,10000', //   line 4
          '2024-01-05,0.01,1000,10000', //   line 5
        ),
      },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 3, says: /quot|syntax/i });
  });

  it('text after a closing quote ("0.01"x) is reported on its line', async () => {
    const result = await run(alphaWithLine4('2024-01-04,"0.01"x,1000,10000'), ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 4, says: /quot|syntax/i });
  });

  it('text after a closing quote in a cell that starts after a quoted line break is on the later line', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          'Note,Date,Return,Margin_Used,Notional_Value', // line 1
          'ok,2024-01-02,0.01,1000,10000', //              line 2
          '"rolled,', //                                   line 3: the row starts here
          'then closed",2024-01-03,"0.01"x,1000,10000', // line 4: the bad Return cell starts here
        ),
      },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 4, says: /quot|syntax/i });
  });
});

describe('physical line numbers', () => {
  it('a quoted line break adds a line: a bad number after it is on line 5', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          `${HEADER},Note`, //                             line 1
          '2024-01-02,0.01,1000,10000,ok', //               line 2
          '2024-01-03,0.01,1000,10000,"rolled, then', //    line 3
          'closed"', //                                     line 4
          '2024-01-04,1.2.3,1000,10000,ok', //              line 5
        ),
      },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 5, column: 'Return' });
  });

  it('a bad cell after a quoted line break in the same row is on the line where that cell starts', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          'Note,Date,Return,Margin_Used,Notional_Value', // line 1
          'ok,2024-01-02,0.01,1000,10000', //              line 2
          '"rolled,', //                                   line 3
          'then closed",2024-01-03,abc,1000,10000', //     line 4: the Return cell
        ),
      },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 4, column: 'Return' });
  });

  it('a bad cell before a quoted line break in the same row is on the row\'s first line', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          `${HEADER},Note`, //                       line 1
          '2024-01-02,0.01,1000,10000,ok', //         line 2
          '2024-01-03,abc,1000,10000,"rolled,', //    line 3: the Return cell
          'then closed"', //                          line 4
        ),
      },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 3, column: 'Return' });
    expect(linesReporting(result, { file: 'Alpha.csv', line: 4, column: 'Return' })).toEqual([]);
  });

  it('an empty line inside a quoted cell is part of the cell, not a skipped line: it adds two lines', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          `${HEADER},Note`, //                        line 1
          '2024-01-02,0.01,1000,10000,"first', //      line 2
          '', //                                       line 3 (inside the quotes)
          'last"', //                                  line 4
          '2024-01-03,0.01,-7,10000,ok', //            line 5
        ),
      },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 5, column: 'Margin_Used' });
  });

  it('blank lines (empty, spaces, a tab) are counted in line numbers but skipped', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          HEADER, //                        line 1
          '2024-01-02,0.01,1000,10000', //  line 2
          '', //                            line 3
          '   ', //                         line 4
          '2024-01-03,0.01,1000,10000', //  line 5
          '\t', //                          line 6
          '2024-01-04,xyz,1000,10000', //   line 7
        ),
      },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 7, column: 'Return' });
  });

  it('a file with blank lines between and after its rows is read as its rows only', async () => {
    const result = await run({ 'Alpha.csv': csv(HEADER, '', '2024-01-02,0.01,1000,10000', '  ', '2024-01-03,0.02,1000,10000', '', '') }, ALPHA);
    expectWritten(result);
    expect(readBack(result, 'Alpha').dates).toEqual(['2024-01-02', '2024-01-03']);
    expect(readSummary(result).inputs).toEqual([expect.objectContaining({ file: 'Alpha.csv', rows: 2 })]);
  });

  it('a line of empty fields (,,,) is a row with four empty cells on its line', async () => {
    const result = await run(alphaWithLine4(',,,'), ALPHA);
    expectRejected(result, ...COLUMNS.map((column) => ({ file: 'Alpha.csv', line: 4, column, says: EMPTY })));
  });

  it('a CRLF file is read with the same values as its LF twin (no stray \\r in the last column)', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV.replace(/\n/g, '\r\n') }, ALPHA);
    expectWritten(result);
    expect(readBack(result, 'Alpha')).toEqual({
      dates: ['2024-01-02', '2024-01-03', '2024-01-04'],
      returns: [0.01, -0.005, 0.002],
      margins: [1000, 1000, 2000],
      notionals: [10000, 10000, 20000],
    });
  });

  it('in a CRLF file a bad cell after a quoted CRLF line break is still on its physical line', async () => {
    const text = [`${HEADER},Note`, '2024-01-02,0.01,1000,10000,"two', 'lines"', '', '2024-01-03,0.01,1000,-5,ok'].join('\r\n');
    const result = await run({ 'Alpha.csv': `${text}\r\n` }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 5, column: 'Notional_Value' });
  });

  it('a BOM does not shift line numbers: a bad cell on line 3 of a BOM file is on line 3', async () => {
    const result = await run({ 'Alpha.csv': `\uFEFF${csv(HEADER, '2024-01-02,0.01,1000,10000', '2024-01-03,zz,1000,10000')}` }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 3, column: 'Return' });
    expect(linesReporting(result, { file: 'Alpha.csv', line: 2, column: 'Return' })).toEqual([]);
  });

  it('a BOM file with short rows and CRLF still counts lines exactly', async () => {
    const text = `\uFEFF${[HEADER, '2024-01-02,0,0,0', '', '2024-01-03,0,0,', '2024-01-04,0,0,0'].join('\r\n')}\r\n`;
    const result = await run({ 'Alpha.csv': text }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 4, column: 'Notional_Value' });
  });
});

describe('rows with the wrong number of fields', () => {
  it('a row with more or fewer fields than the header is reported on its line, its cells not checked', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          HEADER, //                               line 1
          '2024-01-02,0.01,1000,10000', //         line 2
          '2023-02-30,abc,-1,x,extra', //          line 3: five fields, every cell bad
          '2024-01-04,0.01,1000', //               line 4: three fields
          '2024-01-05,0.01,1000,10000', //         line 5
        ),
      },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 3, says: /field|column/i }, { file: 'Alpha.csv', line: 4, says: /field|column/i });
    for (const column of COLUMNS) {
      expect(linesReporting(result, { file: 'Alpha.csv', line: 3, column }), `no cell error on line 3 in ${column}`).toEqual([]);
    }
  });

  it('a row spanning two lines with too many fields is reported on its first line', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          `${HEADER},Note`, //                          line 1
          '2024-01-02,0.01,1000,10000,ok', //            line 2
          '2024-01-03,0.01,1000,10000,"a', //            line 3: the row starts here
          'b",extra', //                                 line 4
          '2024-01-04,0.01,1000,10000,ok', //            line 5
        ),
      },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 3, says: /field|column/i });
  });
});

describe('dates', () => {
  it.each(['2024/01/05', 'Jan 5 2024', '24-01-05', '2024-01', '20240105', '05/01/2024', 'yesterday', '2024-01-05x', '2024-001-05'])(
    'an unparseable date "%s" is reported on its line in the Date column',
    async (date) => {
      const result = await run(alphaWithLine4(`${date},0.01,1000,10000`), ALPHA);
      expectRejected(result, { file: 'Alpha.csv', line: 4, column: 'Date' });
    },
  );

  it.each(['2023-02-30', '2023-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-01-32'])(
    'a date that does not exist (%s) is reported on its line in the Date column',
    async (date) => {
      const result = await run(alphaWithLine4(`${date},0.01,1000,10000`), ALPHA);
      expectRejected(result, { file: 'Alpha.csv', line: 4, column: 'Date' });
    },
  );

  it('2024-02-29 exists (a leap year), and one-digit months and days are read', async () => {
    const result = await run({ 'Alpha.csv': csv(HEADER, '2024-2-28,0.01,1000,10000', '2024-02-29,0.01,1000,10000', '2024-3-1,0.01,1000,10000') }, ALPHA);
    expectWritten(result);
    expect(readBack(result, 'Alpha').dates).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });

  it('with dateFormat MM/DD/YYYY, 1/2/2024 and 01/03/2024 are January 2 and 3', async () => {
    const result = await run(
      { 'Alpha.csv': csv(HEADER, '1/2/2024,0.01,1000,10000', '01/03/2024,0.01,1000,10000', '1/04/2024 09:30,0.01,1000,10000') },
      portfolio(['Alpha'], { dateFormat: 'MM/DD/YYYY' }),
    );
    expectWritten(result);
    expect(readBack(result, 'Alpha').dates).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
  });

  it('with dateFormat DD/MM/YYYY, 2/1/2024 and 03/01/2024 are January 2 and 3', async () => {
    const result = await run(
      { 'Alpha.csv': csv(HEADER, '2/1/2024,0.01,1000,10000', '03/01/2024,0.01,1000,10000', '13/01/2024,0.01,1000,10000') },
      portfolio(['Alpha'], { dateFormat: 'DD/MM/YYYY' }),
    );
    expectWritten(result);
    expect(readBack(result, 'Alpha').dates).toEqual(['2024-01-02', '2024-01-03', '2024-01-13']);
  });

  it.each([
    { format: 'MM/DD/YYYY', date: '2024-01-05', why: 'an ISO date when MM/DD/YYYY is configured' },
    { format: 'MM/DD/YYYY', date: '13/01/2024', why: 'month 13' },
    { format: 'MM/DD/YYYY', date: '02/30/2024', why: 'February 30' },
    { format: 'MM/DD/YYYY', date: '1/5/24', why: 'a two-digit year' },
    { format: 'DD/MM/YYYY', date: '01/13/2024', why: 'month 13' },
    { format: 'DD/MM/YYYY', date: '31/04/2024', why: 'April 31' },
    { format: 'YYYY-MM-DD', date: '01/05/2024', why: 'a slashed date when YYYY-MM-DD is configured' },
  ])('$format: $date ($why) is reported on its line in the Date column', async ({ format, date }) => {
    const result = await run(
      { 'Alpha.csv': csv(HEADER, `${format === 'YYYY-MM-DD' ? '2024-01-02' : '01/02/2024'},0.01,1000,10000`, `${date},0.01,1000,10000`) },
      portfolio(['Alpha'], { dateFormat: format }),
    );
    expectRejected(result, { file: 'Alpha.csv', line: 3, column: 'Date' });
  });

  it('a date with a time part (T or space, Z or an offset, fractions of a second) is read as its date, without time-zone conversion', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          HEADER,
          '2024-01-02T09:30:00Z,0.01,1000,10000',
          '2024-01-03 09:30+02:00,0.01,1000,10000',
          '2024-01-04T23:30:00.123-05,0.01,1000,10000',
          '2024-01-05 00:15+14:00,0.01,1000,10000',
          '2024-01-08T16:00,0.01,1000,10000',
        ),
      },
      ALPHA,
    );
    expectWritten(result);
    expect(readBack(result, 'Alpha').dates).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08']);
  });

  it.each([
    '2024-01-05T9:30',
    '2024-01-05T09:30:',
    '2024-01-05T25:00',
    '2024-01-05T09:60',
    '2024-01-05T09:30+2',
    '2024-01-05T',
    '2024-01-05 09:30 UTC',
    '2024-01-05T09:30:00.',
    '2024-01-05X09:30',
    '2024-01-05T09:30ZZ',
  ])('a malformed time "%s" is reported on its line in the Date column', async (date) => {
    const result = await run(alphaWithLine4(`${date},0.01,1000,10000`), ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 4, column: 'Date' });
  });

  it('a repeated date is reported on the later line, even when the rows are not sorted', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          HEADER, //                        line 1
          '2024-01-05,0.01,1000,10000', //  line 2
          '2024-01-03,0.01,1000,10000', //  line 3
          '2024-01-04,0.01,1000,10000', //  line 4
          '2024-01-05,0.02,1000,10000', //  line 5: again 2024-01-05 (line 2)
          '2024-01-03,0.02,1000,10000', //  line 6: again 2024-01-03 (line 3)
        ),
      },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 5, column: 'Date' }, { file: 'Alpha.csv', line: 6, column: 'Date' });
    // The earlier lines may be named as where the date was first seen, but never alone as the bad line.
    const naming = (line: number): string[] => linesReporting(result, { file: 'Alpha.csv', line, column: 'Date' });
    expect(naming(2).filter((text) => !naming(5).includes(text))).toEqual([]);
    expect(naming(3).filter((text) => !naming(6).includes(text))).toEqual([]);
  });

  it('2024-1-2 and 2024-01-02 are the same date: a duplicate', async () => {
    const result = await run({ 'Alpha.csv': csv(HEADER, '2024-01-02,0.01,1000,10000', '2024-01-03,0.01,1000,10000', '2024-1-2,0.02,1000,10000') }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 4, column: 'Date' });
  });

  it('the same day written twice with different times is a duplicate date', async () => {
    const result = await run({ 'Alpha.csv': csv(HEADER, '2024-01-02T09:30,0.01,1000,10000', '2024-01-02T16:00,0.02,1000,10000') }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 3, column: 'Date' });
  });

  it('rows in any order are sorted by date, each keeping its own values', async () => {
    const result = await run(
      { 'Alpha.csv': csv(HEADER, '2024-01-04,0.03,3000,30000', '2024-01-02,0.01,1000,10000', '2024-01-03,0.02,2000,20000') },
      ALPHA,
    );
    expectWritten(result);
    expect(readBack(result, 'Alpha')).toEqual({
      dates: ['2024-01-02', '2024-01-03', '2024-01-04'],
      returns: [0.01, 0.02, 0.03],
      margins: [1000, 2000, 3000],
      notionals: [10000, 20000, 30000],
    });
  });
});

describe('cells', () => {
  it.each(COLUMNS)('an empty %s cell is reported on its line in that column', async (column) => {
    const cells = ['2024-01-04', '0.01', '1000', '10000'];
    cells[COLUMNS.indexOf(column)] = '';
    const result = await run(alphaWithLine4(cells.join(',')), ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 4, column, says: EMPTY });
    for (const other of COLUMNS.filter((name) => name !== column)) {
      expect(linesReporting(result, { file: 'Alpha.csv', line: 4, column: other }), `no error in ${other}`).toEqual([]);
    }
  });

  it('a cell of spaces only is an empty cell', async () => {
    const result = await run(alphaWithLine4('2024-01-04,0.01,   ,10000'), ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 4, column: 'Margin_Used', says: EMPTY });
  });

  it.each([
    '"1,000"',
    '1_000',
    '0x10',
    'n/a',
    'NaN',
    'nan',
    'inf',
    'Infinity',
    '-Infinity',
    '1e999',
    '-1e999',
    '%1.5',
    '1.5%0',
    '1.5%%',
    '1..5',
    '.',
    '1e',
    '+-1',
    '1.5 percent',
    '\u22120.01',
    '0.01-',
  ])('the Return cell %s is not a number, reported on its line in the Return column', async (cell) => {
    const result = await run(alphaWithLine4(`2024-01-04,${cell},1000,10000`), ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 4, column: 'Return' });
  });

  it.each([
    { column: 'Margin_Used', row: '2024-01-04,0.01,"1,000",10000' },
    { column: 'Margin_Used', row: '2024-01-04,0.01,5%,10000' },
    { column: 'Margin_Used', row: '2024-01-04,0.01,NaN,10000' },
    { column: 'Notional_Value', row: '2024-01-04,0.01,1000,1e999' },
    { column: 'Notional_Value', row: '2024-01-04,0.01,1000,$10000' },
    { column: 'Notional_Value', row: '2024-01-04,0.01,1000,10 000' },
  ])('$row: the $column cell is not a number (a % is only for Return)', async ({ column, row }) => {
    const result = await run(alphaWithLine4(row), ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 4, column });
  });

  it('numbers may carry a sign, a leading or trailing point, an exponent, spaces around them and quotes', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          HEADER,
          '2024-01-02,+0.01,1e3,1E+4',
          '2024-01-03,.5e-2,  2000  ,20000.',
          '2024-01-04, -0.002 ,3000.5,0',
          '2024-01-05," 0.003 ","4000"," 40000"',
        ),
      },
      ALPHA,
    );
    expectWritten(result);
    expect(readBack(result, 'Alpha')).toEqual({
      dates: ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'],
      returns: [0.01, 0.005, -0.002, 0.003],
      margins: [1000, 2000, 3000.5, 4000],
      notionals: [10000, 20000, 0, 40000],
    });
  });

  it('a Return with a trailing % (1.5%, 1.5 %) is a percentage: 0.015', async () => {
    const result = await run(
      { 'Alpha.csv': csv(HEADER, '2024-01-02,1.5%,1000,10000', '2024-01-03,1.5 %,1000,10000', '2024-01-04,-2%,1000,10000', '2024-01-05,+.5%,1000,10000') },
      ALPHA,
    );
    expectWritten(result);
    expect(readBack(result, 'Alpha').returns).toEqual([0.015, 0.015, -0.02, 0.005]);
  });

  it.each(['-1', '-1.0', '-1.5', '-100%', '-150 %', '-1e0'])(
    'a Return of %s (a loss of 100 percent or more) is reported on its line in the Return column',
    async (cell) => {
      const result = await run(alphaWithLine4(`2024-01-04,${cell},1000,10000`), ALPHA);
      expectRejected(result, { file: 'Alpha.csv', line: 4, column: 'Return' });
    },
  );

  it('a Return of -0.9999 (-99.99 %) is allowed', async () => {
    const result = await run({ 'Alpha.csv': csv(HEADER, '2024-01-02,-0.9999,1000,10000', '2024-01-03,-99.99%,1000,10000') }, ALPHA);
    expectWritten(result);
    expect(readBack(result, 'Alpha').returns).toEqual([-0.9999, -99.99 / 100]);
  });

  it.each([
    { column: 'Margin_Used', row: '2024-01-04,0.01,-1,10000' },
    { column: 'Margin_Used', row: '2024-01-04,0.01,-1e3,10000' },
    { column: 'Notional_Value', row: '2024-01-04,0.01,1000,-0.01' },
  ])('a negative $column ($row) is reported on its line in that column', async ({ column, row }) => {
    const result = await run(alphaWithLine4(row), ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 4, column });
  });
});

describe('file size', () => {
  const oversized = csv(HEADER, '2024-13-45,zz,1000,10000');

  it('a file larger than maxFileSizeBytes is reported by name and not read (no line errors from its content)', async () => {
    const size = Buffer.byteLength(oversized);
    const result = await run({ 'Alpha.csv': oversized }, portfolio(['Alpha'], { maxFileSizeBytes: size - 1 }));
    expectRejected(result, { file: 'Alpha.csv', line: null, mentions: [String(size - 1)] });
    expect(result.stderr.filter((line) => /\bline \d+/.test(line))).toEqual([]);
  });

  it('a file of exactly maxFileSizeBytes is read', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV }, portfolio(['Alpha'], { maxFileSizeBytes: Buffer.byteLength(GOOD_CSV) }));
    expectWritten(result);
  });

  it('an oversized file does not stop the other files from being checked', async () => {
    const result = await run(
      { 'Alpha.csv': oversized, 'Beta.csv': csv(HEADER, '2024-01-02,0.01,1000,-1') },
      portfolio(['Alpha', 'Beta'], { maxFileSizeBytes: Buffer.byteLength(oversized) - 1 }),
    );
    expectRejected(result, { file: 'Alpha.csv', line: null }, { file: 'Beta.csv', line: 2, column: 'Notional_Value' });
  });
});

describe('every error is reported, not only the first', () => {
  it('errors of several files are all reported, the files in config order (Beta before Alpha)', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(HEADER, '2024-13-02,0.01,1000,10000', '2024-01-03,0.01,1000,10000', '2024-01-04,0.01,1000,-100'),
        'Beta.csv': csv(HEADER, '2024-01-02,0.01,1000,10000', '2024-01-03,abc,1000,10000'),
        'Gamma.csv': csv(HEADER, '2024-01-02,0.01,1000'),
      },
      portfolio(['Beta', 'Alpha', 'Gamma']),
    );
    const beta = { file: 'Beta.csv', line: 3, column: 'Return' };
    const alphaDate = { file: 'Alpha.csv', line: 2, column: 'Date' };
    const alphaNotional = { file: 'Alpha.csv', line: 4, column: 'Notional_Value' };
    const gamma = { file: 'Gamma.csv', line: 2 };
    expectRejected(result, beta, alphaDate, alphaNotional, gamma);
    const at = (problem: ExpectedProblem): number => result.stderr.findIndex((line) => linesReporting({ ...result, stderr: [line] }, problem).length > 0);
    expect(at(beta)).toBeLessThan(at(alphaDate));
    expect(at(alphaDate)).toBeLessThan(at(gamma));
  });

  it('every kind of cell error in one file is reported, each on its own line', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          HEADER, //                          line 1
          '2024-02-30,0.01,1000,10000', //    line 2: impossible date
          '2024-01-03,,1000,10000', //        line 3: empty Return
          '2024-01-04,0.01,lots,10000', //    line 4: not a number
          '2024-01-05,0.01,1000,-5', //       line 5: negative notional
          '2024-01-08,-1,1000,10000', //      line 6: a loss of 100 %
          '2024-01-09,0.01,1000', //          line 7: a field short
          '2024-01-10,0.01,1000,10000', //    line 8: fine
        ),
      },
      ALPHA,
    );
    expectRejected(
      result,
      { file: 'Alpha.csv', line: 2, column: 'Date' },
      { file: 'Alpha.csv', line: 3, column: 'Return', says: EMPTY },
      { file: 'Alpha.csv', line: 4, column: 'Margin_Used' },
      { file: 'Alpha.csv', line: 5, column: 'Notional_Value' },
      { file: 'Alpha.csv', line: 6, column: 'Return' },
      { file: 'Alpha.csv', line: 7 },
    );
  });

  it('a duplicate date is reported even when the same file has a bad cell elsewhere', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          HEADER, //                        line 1
          '2024-01-02,0.01,1000,10000', //  line 2
          '2024-01-03,oops,1000,10000', //  line 3: not a number
          '2024-01-04,0.01,1000,10000', //  line 4
          '2024-01-02,0.01,1000,10000', //  line 5: again 2024-01-02 (line 2)
        ),
      },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 3, column: 'Return' }, { file: 'Alpha.csv', line: 5, column: 'Date' });
  });

  it('rows after a row with text after a closing quote are still checked', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          HEADER, //                          line 1
          '2024-01-02,0.01,1000,10000', //    line 2
          '2024-01-03,"0.01"x,1000,10000', // line 3: CSV syntax
          '2024-01-04,0.01,1000,10000', //    line 4
          '2024-01-05,0.01,-9,10000', //      line 5: negative Margin_Used
        ),
      },
      ALPHA,
    );
    expectRejected(result, { file: 'Alpha.csv', line: 3 }, { file: 'Alpha.csv', line: 5, column: 'Margin_Used' });
  });

  it('a file that is fine does not hide the errors of the next one, and is not reported itself', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV, 'Beta.csv': csv(HEADER, '2024-01-02,0.01,-3,10000') }, portfolio(['Alpha', 'Beta']));
    expectRejected(result, { file: 'Beta.csv', line: 2, column: 'Margin_Used' });
    expect(result.stderr.filter((line) => line.includes('Alpha.csv'))).toEqual([]);
  });
});

describe('warnings (the run goes on; summary.json lists them)', () => {
  it('returns with |Return| > 0.5 give one looksLikePercent warning for the file, with the count and the dates', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          HEADER,
          '2024-01-08,55%,1000,10000',
          '2024-01-02,0.6,1000,10000',
          '2024-01-05,0.5,1000,10000', //   exactly 0.5: not above
          '2024-01-04,-0.7,1000,10000',
          '2024-01-09,0.01,1000,10000',
        ),
        'Beta.csv': GOOD_CSV,
      },
      portfolio(['Alpha', 'Beta']),
    );
    expectWritten(result);
    const warnings = warningsOf(result, 'looksLikePercent');
    expect(warnings.map((warning) => warning.file)).toEqual(['Alpha.csv']);
    const message = warnings[0]?.message ?? '';
    for (const date of ['2024-01-02', '2024-01-04', '2024-01-08']) expect(message).toContain(date);
    expect(message).not.toContain('2024-01-05');
    expect(message).toMatch(/\b3\b/);
  });

  it('each gap of more than 10 calendar days between consecutive dates is one dateGap warning', async () => {
    const result = await run(
      {
        'Alpha.csv': csv(
          HEADER,
          '2024-02-10,0.01,1000,10000',
          '2024-01-01,0.01,1000,10000',
          '2024-01-11,0.01,1000,10000', //  10 days after 01-01: no warning
          '2024-01-23,0.01,1000,10000',
          '2024-01-22,0.01,1000,10000', //  11 days after 01-11: a gap
        ), //                                 2024-01-23 -> 2024-02-10: 18 days, a gap
      },
      ALPHA,
    );
    expectWritten(result);
    const gaps = warningsOf(result, 'dateGap');
    expect(gaps.map((warning) => warning.file)).toEqual(['Alpha.csv', 'Alpha.csv']);
    expect(gaps[0]?.message).toContain('2024-01-11');
    expect(gaps[0]?.message).toContain('2024-01-22');
    expect(gaps[1]?.message).toContain('2024-01-23');
    expect(gaps[1]?.message).toContain('2024-02-10');
  });

  it('a gap between the dates of two different files is not a gap', async () => {
    const result = await run(
      { 'Alpha.csv': GOOD_CSV, 'Beta.csv': csv(HEADER, '2024-03-01,0.01,1000,10000', '2024-03-04,0.01,1000,10000') },
      portfolio(['Alpha', 'Beta']),
    );
    expectWritten(result);
    expect(warningsOf(result, 'dateGap')).toEqual([]);
  });

  it('columns that are not among the four are ignored with an ignoredColumns warning naming them', async () => {
    const result = await run(
      { 'Alpha.csv': csv('Date,Return,Note,Margin_Used,Notional_Value,Broker', '2024-01-02,0.01,x,1000,10000,IB', '2024-01-03,0.02,,2000,20000,') },
      ALPHA,
    );
    expectWritten(result);
    expect(readBack(result, 'Alpha').margins).toEqual([1000, 2000]);
    const warnings = warningsOf(result, 'ignoredColumns');
    expect(warnings.map((warning) => warning.file)).toEqual(['Alpha.csv']);
    const text = warnings.map((warning) => `${warning.column ?? ''} ${warning.message}`).join(' ');
    expect(text).toContain('Note');
    expect(text).toContain('Broker');
  });

  it('a CSV in the data folder that the config does not name is not read, with an unconfiguredFile warning', async () => {
    const result = await run(
      { 'Alpha.csv': GOOD_CSV, 'Extra.csv': 'this is "not, a track record\n', 'notes.txt': 'not a CSV' },
      ALPHA,
    );
    expectWritten(result);
    expect(warningsOf(result, 'unconfiguredFile').map((warning) => warning.file)).toEqual(['Extra.csv']);
    expect(readSummary(result).inputs.map((input) => input.file)).toEqual(['Alpha.csv']);
    expect(readSummary(result).warnings.filter((warning) => warning.file === 'notes.txt')).toEqual([]);
  });

  it('only CSVs directly in the data folder are read: old/Alpha.csv in a sub-folder is not', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV, 'old/Alpha.csv': csv(HEADER, '2020-01-01,oops,1,1') }, ALPHA);
    expectWritten(result);
    expect(readBack(result, 'Alpha').dates).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
  });

  it('warnings come config first, then the files in config order', async () => {
    const withNote = csv('Date,Return,Margin_Used,Notional_Value,Note', '2024-01-02,0.01,1000,10000,x');
    const result = await run({ 'Alpha.csv': withNote, 'Beta.csv': withNote }, portfolio(['Beta', 'Alpha'], { colour: 'blue' }));
    expectWritten(result);
    expect(readSummary(result).warnings.map(({ kind, file }) => `${kind} ${file}`)).toEqual([
      'unknownConfigKey portfolio.json',
      'ignoredColumns Beta.csv',
      'ignoredColumns Alpha.csv',
    ]);
  });

  it('a clean run has no warnings at all', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV }, ALPHA);
    expectWritten(result);
    expect(readSummary(result).warnings).toEqual([]);
  });
});

describe('the output folder is left as it was', () => {
  const stale = { 'summary.json': '{"old": true}\n', '1_master_aligned_data.csv': 'Date\n2020-01-01\n', 'my notes.txt': 'keep me' };

  it('a bad CSV leaves an existing report folder byte-identical, with no staging folder left behind', async () => {
    const c = writeCase(alphaWithLine4('2024-01-04,bad,1000,10000'), ALPHA, { existingOut: stale });
    const result = await runCase(c);
    expectRejected(result, { file: 'Alpha.csv', line: 4, column: 'Return' });
  });

  it('a bad CSV does not create a missing output folder, nor its parent folders', async () => {
    const c = writeCase({ 'Alpha.csv': '' }, ALPHA);
    const result = await runCase({ ...c, out: `${c.root}/reports/2024/january` });
    expectNothingWritten(result);
  });

  it('the check above can fail: a good run does write, replacing the stale report files and keeping the others', async () => {
    const c = writeCase({ 'Alpha.csv': GOOD_CSV }, ALPHA, { existingOut: stale });
    const result = await runCase(c);
    expectWritten(result);
    expect(result.after).not.toEqual(result.before);
    expect(result.after['report/my notes.txt']).toBe(result.before['report/my notes.txt']);
    expect(result.after['report/summary.json']).not.toBe(result.before['report/summary.json']);
  });
});
