/**
 * Names that would give two columns of one part-C file the same header (SPEC 1.2, 16.3):
 * `5_daily_pnl.csv` puts `{strategy}_PnL_USD`, `{account}_PnL_USD` and `Portfolio_PnL_USD`
 * side by side, and `6_rolling_metrics.csv` the portfolio's columns beside each account's. So no
 * strategy may have an account's name, and nothing may be named `Portfolio` (case-sensitive).
 */
import type { ConfigProblems } from './configProblems.ts';

/** The name the portfolio's own columns carry. */
export const PORTFOLIO_COLUMN_NAME = 'Portfolio';

interface NamedItem {
  item: Record<string, unknown>;
  index: number;
}

/** Reports each clash under the clashing item's `name` key (`strategies[2] (Main).name`). */
export function reportColumnNameClashes(
  accounts: readonly NamedItem[],
  strategies: readonly NamedItem[],
  problems: ConfigProblems,
): void {
  const reserved = `is reserved for the whole portfolio's columns (${PORTFOLIO_COLUMN_NAME}_PnL_USD, ${PORTFOLIO_COLUMN_NAME}_Rolling_Volatility_63, ...): choose another name`;
  for (const { item, index } of accounts) {
    if (item['name'] === PORTFOLIO_COLUMN_NAME) problems.error(['accounts', index, 'name'], `${JSON.stringify(PORTFOLIO_COLUMN_NAME)} ${reserved}`);
  }
  const accountNames = new Set(accounts.map(({ item }) => item['name']).filter((name) => typeof name === 'string'));
  for (const { item, index } of strategies) {
    const name = item['name'];
    if (name === PORTFOLIO_COLUMN_NAME) problems.error(['strategies', index, 'name'], `${JSON.stringify(PORTFOLIO_COLUMN_NAME)} ${reserved}`);
    else if (typeof name === 'string' && accountNames.has(name)) {
      problems.error(
        ['strategies', index, 'name'],
        `a strategy may not have an account's name: ${JSON.stringify(name)} is also an account, and 5_daily_pnl.csv would hold two columns ${name}_PnL_USD`,
      );
    }
  }
}
