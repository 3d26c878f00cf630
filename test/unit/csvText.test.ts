/** SPEC 6's CSV text: shortest round-trip numbers, -0 as 0, no formula injection, RFC 4180 quoting. */
import { describe, expect, it } from 'vitest';
import { csvChunks, textCell } from '#shared/report/csvText.ts';

describe('textCell', () => {
  it('prefixes a cell a spreadsheet would run as a formula with a quote', () => {
    expect(textCell('=HYPERLINK("x")_Return_%')).toBe('"\'=HYPERLINK(""x"")_Return_%"');
    expect(textCell('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(textCell('@cmd')).toBe("'@cmd");
    expect(textCell('-Alpha')).toBe("'-Alpha");
    expect(textCell('\tTab')).toBe("'\tTab");
  });

  it('leaves numbers and ordinary names alone', () => {
    expect(textCell('-0.5')).toBe('-0.5');
    expect(textCell('+1e5')).toBe('+1e5');
    expect(textCell('IBKR Main_Equity_Value')).toBe('IBKR Main_Equity_Value');
  });

  it('quotes cells holding commas, quotes or line breaks, doubling the quotes', () => {
    expect(textCell('Fund, Ltd')).toBe('"Fund, Ltd"');
    expect(textCell('say "hi"')).toBe('"say ""hi"""');
    expect(textCell('two\nlines')).toBe('"two\nlines"');
  });
});

describe('csvChunks', () => {
  it('writes the header, dates and shortest round-trip numbers with a final newline', () => {
    const text = [...csvChunks(['2024-01-02', '2024-01-03'], [
      { header: 'A_Return_%', values: Float64Array.of(0.1 + 0.2, -0) },
      { header: 'A, B', values: Float64Array.of(1e21, 1 / 3) },
    ])].join('');
    expect(text).toBe('Date,A_Return_%,"A, B"\n2024-01-02,0.30000000000000004,1e+21\n2024-01-03,0,0.3333333333333333\n');
  });

  it('streams a long file in chunks of about a mebibyte rather than one string', () => {
    const dates = Array.from({ length: 20_000 }, () => '2024-01-02');
    const columns = Array.from({ length: 10 }, (_, c) => ({ header: `x${c}`, values: new Float64Array(20_000).fill(1 / 3) }));
    const chunks = [...csvChunks(dates, columns)];
    expect(chunks.length).toBeGreaterThan(2);
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeLessThan(2 * 1024 * 1024);
    expect(chunks.every((chunk) => chunk.endsWith('\n'))).toBe(true);
    expect(chunks.join('').split('\n')).toHaveLength(20_002);
  });
});
