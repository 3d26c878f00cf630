/**
 * Compares a run's files with a worked case's expected files the way the SPEC's checker does:
 * CSV text and column order exact, dollar cells within 1e-6 absolute or 1e-9 relative, other
 * cells within 1e-12 absolute or 1e-9 relative; in summary.json every expected key present.
 */

const dollarColumn = /(Margin_Used|Notional_Value|Scaled_Margin|Scaled_Notional|Equity_Value|Notional_Exposure|Equity_Curve)$/;
const dollarKey = /(Usd|maxAbsDiff|equity|Exposure|budget|used|available|Cost|cost|Equity)/;

export function closeEnough(actual: number, expected: number, dollars: boolean): boolean {
  const difference = Math.abs(actual - expected);
  return difference <= (dollars ? 1e-6 : 1e-12) || difference <= 1e-9 * Math.max(Math.abs(actual), Math.abs(expected));
}

/** Every difference, as `file: row r, column c: got x, expected y`; empty when the files agree. */
export function compareCsv(file: string, actualText: string, expectedText: string): string[] {
  const actual = actualText.split('\n');
  const expected = expectedText.split('\n');
  const differences: string[] = [];
  if (actual[0] !== expected[0]) return [`${file}: header differs:\n  got      ${actual[0]}\n  expected ${expected[0]}`];
  if (actual.length !== expected.length) differences.push(`${file}: ${actual.length} lines, expected ${expected.length}`);
  const headers = (expected[0] ?? '').split(',');
  for (let row = 1; row < Math.min(actual.length, expected.length); row += 1) {
    const got = (actual[row] ?? '').split(',');
    const want = (expected[row] ?? '').split(',');
    want.forEach((cell, column) => {
      const header = headers[column] ?? '';
      const gotCell = got[column] ?? '';
      const same =
        cell === gotCell || (cell !== '' && gotCell !== '' && !Number.isNaN(Number(cell)) && closeEnough(Number(gotCell), Number(cell), dollarColumn.test(header)));
      if (!same && differences.length < 20) differences.push(`${file}: line ${row + 1}, ${header}: got ${gotCell}, expected ${cell}`);
    });
  }
  return differences;
}

/** Differences between summary.json values: every key of `expected` must be in `actual`. */
export function compareJson(path: string, actual: unknown, expected: unknown, differences: string[] = []): string[] {
  const key = path.slice(path.lastIndexOf('.') + 1);
  if (typeof expected === 'number') {
    if (typeof actual !== 'number' || !closeEnough(actual, expected, dollarKey.test(key))) {
      differences.push(`${path}: got ${JSON.stringify(actual)}, expected ${expected}`);
    }
  } else if (expected === null || typeof expected !== 'object') {
    if (actual !== expected) differences.push(`${path}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      differences.push(`${path}: got ${JSON.stringify(actual)?.slice(0, 200)}, expected ${JSON.stringify(expected).slice(0, 200)}`);
    } else {
      expected.forEach((item, index) => compareJson(`${path}[${index}]`, actual[index], item, differences));
    }
  } else if (typeof actual !== 'object' || actual === null) {
    differences.push(`${path}: got ${JSON.stringify(actual)}, expected an object`);
  } else {
    for (const [name, value] of Object.entries(expected)) {
      if (!(name in actual)) differences.push(`${path}.${name}: missing`);
      else compareJson(`${path}.${name}`, (actual as Record<string, unknown>)[name], value, differences);
    }
  }
  return differences;
}
