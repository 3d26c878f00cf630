/**
 * A portfolio made up for the cloud tests: any number of strategies over a few weekdays, in two
 * accounts, with optional scenarios. Small enough that a whole run through the state machine
 * takes a second or two; deterministic, so the same call gives the same bytes.
 */
export interface SmallPortfolio {
  strategies: number;
  /** Weekdays of track record from 2025-01-06. */
  days: number;
  scenarios?: number;
  /** Added to the config's text (spaces), to make an upload whose content differs and whose figures do not. */
  variant?: number;
}

export function smallPortfolio({ strategies, days, scenarios = 0, variant = 0 }: SmallPortfolio): Record<string, string> {
  const names = Array.from({ length: strategies }, (_, s) => `S${String(s).padStart(4, '0')}`);
  const dates: string[] = [];
  for (let day = new Date('2025-01-06T00:00:00Z'); dates.length < days; day = new Date(day.getTime() + 86_400_000)) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) dates.push(day.toISOString().slice(0, 10));
  }
  const files: Record<string, string> = {};
  names.forEach((name, s) => {
    const rows = dates.map((date, d) => {
      const ret = (((s * 7 + d * 13) % 17) - 8) / 1000;
      const units = 1 + ((s + d) % 3);
      return `${date},${ret},${units * 5000},${units * 50000}`;
    });
    files[`${name}.csv`] = `Date,Return,Margin_Used,Notional_Value\n${rows.join('\n')}\n`;
  });
  const accounts = [
    { name: 'Main', startingCapital: 100_000 * strategies },
    { name: 'Second', startingCapital: 100_000 * strategies },
  ];
  const config = {
    accounts,
    strategies: names.map((name, s) => ({
      name,
      account: s % 2 === 0 ? 'Main' : 'Second',
      marginPerUnit: 5000,
      minPosition: 1,
      increment: 1,
      allocatedCapital: 50_000,
      maxPositionScale: 1,
    })),
    scenarios: Array.from({ length: scenarios }, (_, i) => ({
      name: `Scenario ${i + 1}`,
      overrides: { allocation: { method: i % 2 === 0 ? 'equal' : 'inverseVolatility', lookbackDays: 2 + (i % 5) }, rebalance: { frequency: 'weekly', costBps: i } },
    })),
  };
  files['portfolio.json'] = `${JSON.stringify(config, null, 2)}\n${' '.repeat(variant)}`;
  return files;
}
