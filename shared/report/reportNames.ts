/**
 * Where each report file goes. Strategy and account names come from users and may hold anything
 * (quotes, `<script>`, unicode, hundreds of characters): file names and S3 keys are made from a
 * safe slug of the name plus a hash of the exact name, so two names never share a file.
 */
import { createHash } from 'node:crypto';

const MAX_SLUG = 40;

export function fileSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${slug === '' ? 'name' : slug}-${hash}`;
}

export type Level = 'strategy' | 'account' | 'portfolio';

/** What `optimize` writes (beside a run's report, whose files it leaves alone). */
export const OPTIMIZER_FILES = { json: 'optimizer.json', page: 'optimizer.html' } as const;

export const reportPaths = {
  index: 'index.html',
  correlation: 'correlation.csv',
  portfolioDrawdownChart: 'charts/portfolio-drawdown.png',
  portfolioMonthlyChart: 'charts/portfolio-monthly-returns.png',
  normalizedChart: 'charts/strategies-normalized.png',
  scenariosChart: 'charts/scenarios-normalized.png',
  monteCarloFanChart: 'charts/portfolio-monte-carlo-fan.png',
  rollingChart(level: Level, name: string): string {
    return level === 'portfolio' ? 'charts/portfolio-rolling.png' : `charts/${level}-${fileSlug(name)}-rolling.png`;
  },
  returnsHistogramChart(level: Level, name: string): string {
    return level === 'portfolio' ? 'charts/portfolio-returns-histogram.png' : `charts/${level}-${fileSlug(name)}-returns-histogram.png`;
  },
  equityChart(level: Level, name: string): string {
    return level === 'portfolio' ? 'charts/portfolio.png' : `charts/${level}-${fileSlug(name)}.png`;
  },
  weightsChart(account: string): string {
    return `charts/account-${fileSlug(account)}-weights.png`;
  },
  tearsheet(level: Level, name: string): string {
    return level === 'portfolio' ? 'tearsheets/portfolio.html' : `tearsheets/${level}-${fileSlug(name)}.html`;
  },
} as const;
