/**
 * The rows of a track record as they are read, then sorted by date (SPEC 1.1: any order is
 * accepted) into columns; a date written twice is kept out and listed with the line it repeats.
 */

export interface DatedLine {
  date: number;
  line: number;
}

export interface SortedRows {
  dates: Int32Array;
  returns: Float64Array;
  marginUsed: Float64Array;
  notional: Float64Array;
  lines: Int32Array;
  duplicates: { earlier: DatedLine; later: DatedLine }[];
}

export class RowCollector {
  private readonly dates: number[] = [];
  private readonly returns: number[] = [];
  private readonly marginUsed: number[] = [];
  private readonly notional: number[] = [];
  private readonly lines: number[] = [];

  add(date: number, dailyReturn: number, margin: number, notional: number, line: number): void {
    this.dates.push(date);
    this.returns.push(dailyReturn);
    this.marginUsed.push(margin);
    this.notional.push(notional);
    this.lines.push(line);
  }

  /** Rows sorted by date (then line); a repeated date is kept out and listed with the line it repeats. */
  sortedByDate(): SortedRows {
    const { dates, lines } = this;
    const order = Array.from(dates.keys());
    // Rows are added in line order, so rows already in date order (the usual file) are sorted as they are.
    if (!isNonDecreasing(dates)) order.sort((a, b) => (dates[a] ?? 0) - (dates[b] ?? 0) || (lines[a] ?? 0) - (lines[b] ?? 0));
    const kept: number[] = [];
    const duplicates: SortedRows['duplicates'] = [];
    for (const row of order) {
      const first = kept[kept.length - 1];
      if (first !== undefined && dates[first] === dates[row]) {
        duplicates.push({ earlier: this.at(first), later: this.at(row) });
      } else {
        kept.push(row);
      }
    }
    return {
      dates: picked(dates, kept, new Int32Array(kept.length)),
      returns: picked(this.returns, kept, new Float64Array(kept.length)),
      marginUsed: picked(this.marginUsed, kept, new Float64Array(kept.length)),
      notional: picked(this.notional, kept, new Float64Array(kept.length)),
      lines: picked(lines, kept, new Int32Array(kept.length)),
      duplicates,
    };
  }

  private at(row: number): DatedLine {
    return { date: this.dates[row] ?? 0, line: this.lines[row] ?? 0 };
  }
}

function isNonDecreasing(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i += 1) if ((values[i] ?? 0) < (values[i - 1] ?? 0)) return false;
  return true;
}

/** `into[k] = values[rows[k]]`. */
function picked<T extends Int32Array | Float64Array>(values: readonly number[], rows: readonly number[], into: T): T {
  for (let k = 0; k < rows.length; k += 1) into[k] = values[rows[k] ?? 0] ?? 0;
  return into;
}
