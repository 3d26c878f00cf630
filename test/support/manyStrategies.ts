/**
 * A portfolio at the scale issue 13 asks the morning page to read well at: 200 strategies in 10
 * accounts over a short history (fast to run), with a few strategies wiped out and a few whose
 * files stop early (stale), so the banner has more than ten lines to cut. Deterministic.
 */

export interface ManyStrategies {
  strategies: number;
  accounts: number;
  /** Weekdays of track record, ending 2025-12-31. */
  days: number;
  /** The first this many strategies lose everything on one date (a wipe-out each). */
  wipeouts: number;
  /** The next this many strategies' files end two weeks early (stale by the freshness check). */
  stale: number;
}

export function manyStrategies({ strategies, accounts, days, wipeouts, stale }: ManyStrategies): Record<string, string> {
  const dates: string[] = [];
  for (let day = new Date('2025-12-31T00:00:00Z'); dates.length < days; day = new Date(day.getTime() - 86_400_000)) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) dates.unshift(day.toISOString().slice(0, 10));
  }
  const accountNames = Array.from({ length: accounts }, (_, a) => `Account ${String(a + 1).padStart(2, '0')}`);
  const names = Array.from({ length: strategies }, (_, s) => `Strategy_${String(s + 1).padStart(3, '0')}`);
  const files: Record<string, string> = {};
  names.forEach((name, s) => {
    const last = s >= wipeouts && s < wipeouts + stale ? dates.length - 10 : dates.length;
    const rows = dates.slice(0, last).map((date, d) => {
      // A spread of drifts and sizes, some strategies moving together (s % 7). The day of ruin: 1.5 units
      // implied are traded as 2 (SPEC 3's half-even rounding), so a -80 % day is -107 % scaled.
      const ruin = s < wipeouts && d === Math.floor(days / 2);
      const ret = ruin ? -0.8 : ((((s % 7) * 31 + d * 17 + s * 3) % 29) - 13.5 + (s % 11) / 4) / 1500;
      const units = ruin ? 1.5 : 1 + ((s + d) % 3);
      return `${date},${ret.toFixed(6)},${units * 4000},${units * 40000}`;
    });
    files[`${name}.csv`] = `Date,Return,Margin_Used,Notional_Value\n${rows.join('\n')}\n`;
  });
  const config = {
    accounts: accountNames.map((name) => ({ name, startingCapital: 1_000_000 * (strategies / accounts) })),
    strategies: names.map((name, s) => ({
      name,
      account: accountNames[s % accounts],
      marginPerUnit: 4000,
      minPosition: 1,
      increment: 1,
      allocatedCapital: 500_000 + (s % 5) * 100_000,
      maxPositionScale: 1,
    })),
  };
  files['portfolio.json'] = `${JSON.stringify(config, null, 2)}\n`;
  return files;
}
