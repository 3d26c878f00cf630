/**
 * optimizer.html: the greedy search's path, the chosen set's metrics in sample and out of sample
 * side by side with the gap said plainly, and the config to paste to run the chosen set.
 */
import type { StrategyConfig } from '#shared/config/schema.ts';
import type { OptimizerJson, WindowMetrics } from '#shared/optimize/optimizerReport.ts';
import { formatFractionAsPercent, formatProbabilisticSharpe, formatUsd } from '#shared/report/formatting.ts';
import { deflatedSharpeSentence, outOfSampleLimitsSentence } from '#shared/report/optimizerSummaryText.ts';
import { html, type SafeHtml } from './escapeHtml.ts';
import { chartImage } from './chartHover.ts';
import { htmlPage } from './page.ts';

const stopReasons: Record<OptimizerJson['stopReason'], string> = {
  maxStrategies: 'it reached optimizer.maxStrategies',
  allChosen: 'every strategy was chosen',
  noFeasibleCandidate: 'no remaining strategy kept the set within the drawdown constraints',
  noImprovement: 'no remaining strategy raised the in-sample Sharpe',
};

export function optimizerPage(report: OptimizerJson, chosen: readonly StrategyConfig[], pathChart: Uint8Array): string {
  const ratio = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(2));
  const rows: [string, (metrics: WindowMetrics) => string][] = [
    ['Total return', (m) => formatFractionAsPercent(m.totalReturn)],
    ['CAGR', (m) => formatFractionAsPercent(m.cagr)],
    ['Sharpe', (m) => `${ratio(m.sharpe)} · ${formatProbabilisticSharpe(m.probabilisticSharpe)}`],
    ['Sortino', (m) => ratio(m.sortino)],
    ['Volatility', (m) => formatFractionAsPercent(m.volatility)],
    ['Max drawdown', (m) => formatFractionAsPercent(m.maxDrawdown)],
    ['Largest dollar drawdown', (m) => formatUsd(m.maxDrawdownUsd)],
    ['Drawdown breach events', (m) => (m.breachEvents === null ? 'n/a' : String(m.breachEvents))],
    ['Calmar', (m) => ratio(m.calmar)],
    ['Win rate', (m) => formatFractionAsPercent(m.winRate)],
  ];
  const inSample = report.inSampleMetrics;
  const outOfSample = report.outOfSampleMetrics;
  const limitsSentence = outOfSampleLimitsSentence(report);
  const deflated = deflatedSharpeSentence(report);
  const body = html`
<h1>Optimizer: which strategies to run</h1>
<p class="sub">Greedy forward selection on the in-sample Sharpe (${report.inSample.first} to ${report.inSample.last}, ${report.inSample.days} dates)${report.outOfSample === null ? '' : `, checked out of sample (${report.outOfSample.first} to ${report.outOfSample.last}, ${report.outOfSample.days} dates)`}.</p>
<p><strong>Chosen, in order:</strong> ${report.chosen.length === 0 ? 'nothing' : report.chosen.join(', ')}. The search stopped because ${stopReasons[report.stopReason]}.</p>
<p>Constraints: largest dollar drawdown ${report.constraints.maxDrawdownUsd === null ? 'not limited' : `at most ${formatUsd(report.constraints.maxDrawdownUsd)}`}; drawdown breach events ${report.constraints.maxBreachEvents === null ? 'not limited' : `at most ${report.constraints.maxBreachEvents} (of ${formatUsd(report.constraints.drawdownBreachUsd ?? 0)})`}; at most ${report.constraints.maxStrategies} strategies.</p>
<h2>In sample and out of sample</h2>
<p><strong>${gapSentence(inSample, outOfSample)}</strong>${limitsSentence === null ? '' : html` ${limitsSentence}`}</p>
${deflated === null ? '' : html`<p class="deflated-sharpe">${deflated} ${DEFLATED_SHARPE_EXPLAINED}</p>`}
${inSample === null
  ? ''
  : html`<table>
<tr><th>Metric</th><th>In sample</th>${outOfSample === null ? '' : html`<th>Out of sample</th>`}</tr>
${rows.map(([label, value]) => html`<tr><td>${label}</td><td>${value(inSample)}</td>${outOfSample === null ? '' : html`<td>${value(outOfSample)}</td>`}</tr>`)}
</table>`}
<h2>The path</h2>
${chartImage(pathChart, 'Sharpe and largest drawdown of the set after each step')}
${report.steps.map((step) => stepTable(step))}
<h2>Run the chosen set</h2>
<p>Replace the <code>strategies</code> of portfolio.json with these (the rest of the config unchanged):</p>
<pre>${JSON.stringify({ strategies: chosen }, null, 2)}</pre>
`;
  return htmlPage('Optimizer', body);
}

const DEFLATED_SHARPE_EXPLAINED =
  'The deflated Sharpe is the probability that the true Sharpe beats what the best of that many tries would show by luck alone (the sets are nested, so the count overstates the independent tries and the test errs on the side of caution).';

/** The honest figure first: how the in-sample Sharpe held up after the split. */
function gapSentence(inSample: WindowMetrics | null, outOfSample: WindowMetrics | null): string {
  if (inSample === null) return 'Nothing was chosen, so there is nothing to compare.';
  if (outOfSample === null) return 'No out-of-sample check: set optimizer.inSampleEnd to keep the last dates aside, or the in-sample figures are all there is.';
  const before = inSample.sharpe;
  const after = outOfSample.sharpe;
  if (before === null || after === null) return 'The Sharpe ratio is undefined in one of the samples, so the gap cannot be measured.';
  const change = before === 0 ? null : (after - before) / Math.abs(before);
  return `Sharpe ${before.toFixed(2)} in sample, ${after.toFixed(2)} out of sample: ${after < before ? 'lower' : 'higher'} by ${Math.abs(after - before).toFixed(2)}${change === null ? '' : ` (${(change * 100).toFixed(0)} %)`}. In-sample figures are what the search optimized; the out-of-sample ones are what to expect.`;
}

function stepTable(step: OptimizerJson['steps'][number]): SafeHtml {
  const ratio = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(3));
  return html`<h3>Step ${step.step}: ${step.chosen === null ? 'nothing added' : `added ${step.chosen}`} (set Sharpe before: ${ratio(step.currentSharpe)})</h3>
<table>
<tr><th>Candidate</th><th>Sharpe</th><th>Largest drawdown</th><th>Breach events</th><th>Feasible</th></tr>
${step.candidates.map(
  (candidate) => html`<tr><td>${candidate.strategy}</td><td>${ratio(candidate.sharpe)}</td><td>${formatUsd(candidate.maxDrawdownUsd)}</td><td>${candidate.breachEvents === null ? 'n/a' : String(candidate.breachEvents)}</td><td>${candidate.feasible ? 'yes' : `no: ${candidate.failed.join(', ')}`}</td></tr>`,
)}
</table>`;
}
