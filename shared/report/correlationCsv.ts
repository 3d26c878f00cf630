/** correlation.csv, beside SPEC 6's files: the strategies' pairwise correlation of daily returns over the dates they share, a name per row and column. */
import { correlationMatrix } from '#shared/calc/correlation.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { textCell } from './csvText.ts';
import type { ReportLevel } from './reportLevels.ts';

/** The correlation of the strategies among `levels`, in their order; null where a pair has too few dates. */
export function strategyCorrelation(levels: readonly ReportLevel[]): (number | null)[][] {
  return correlationMatrix(
    levels.filter((level) => level.level === 'strategy').map((level) => ({ returns: level.returns, spanStart: level.first, spanEnd: level.last })),
  );
}

/** The matrix of `strategyCorrelation` with each strategy's name on its row and column. */
export function correlationCsv(config: Pick<PortfolioConfig, 'strategies'>, matrix: readonly (number | null)[][]): string {
  const names = config.strategies.map((strategy) => strategy.name);
  const lines = [['Strategy', ...names].map(textCell).join(',')];
  matrix.forEach((row, i) => lines.push([textCell(names[i] ?? ''), ...row.map((value) => (value === null ? '' : String(value)))].join(',')));
  return `${lines.join('\n')}\n`;
}
