/** Axes readable at email-preview size: a date axis with ticks on period starts, compact dollars, percent. */
import type { Scale, ScaleOptionsByType } from 'chart.js';
import { civilDate, dayNumber } from '#shared/dates.ts';

const compactUsd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 2 });

export function formatCompactUsd(value: number): string {
  return compactUsd.format(value);
}

export function formatAxisPercent(value: number): string {
  return `${Number(value.toFixed(2))}%`;
}

/** Up to a millennium: a record of a million daily rows spans about 3,800 years, and at a decade a step it had 380 grid lines. */
const TICK_STEPS_IN_MONTHS = [1, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000] as const;
const MAX_DATE_TICKS = 7;

/**
 * Day numbers of period starts between two dates: months, quarters, half years or (several)
 * years, the shortest step that keeps to at most eight labels, so they never overlap.
 */
export function periodStarts(firstDay: number, lastDay: number): { days: number[]; label: (day: number) => string } {
  const start = civilDate(firstDay);
  const startsEvery = (months: number): number[] => {
    const days: number[] = [];
    // Align to the step: years on 1 January (of a multiple of the step), quarters on Jan/Apr/Jul/Oct.
    let index = months >= 12 ? Math.floor(start.year / (months / 12)) * months : start.year * 12 + Math.floor((start.month - 1) / months) * months;
    for (;; index += months) {
      const day = dayNumber(Math.floor(index / 12), (index % 12) + 1, 1);
      if (day > lastDay) return days;
      if (day >= firstDay) days.push(day);
    }
  };
  const step = TICK_STEPS_IN_MONTHS.find((months) => startsEvery(months).length <= MAX_DATE_TICKS) ?? 12000;
  const label = (day: number): string => {
    const { year, month } = civilDate(day);
    return step >= 12 ? String(year) : `${year}-${String(month).padStart(2, '0')}`;
  };
  return { days: startsEvery(step), label };
}

/** A linear x axis over day numbers, ticked at period starts. */
export function dateAxis(firstDay: number, lastDay: number, showLabels = true): ScaleOptionsByType<'linear'> {
  const { days, label } = periodStarts(firstDay, lastDay);
  return {
    type: 'linear',
    min: firstDay,
    max: lastDay,
    afterBuildTicks: (axis: Scale) => {
      axis.ticks = days.map((value) => ({ value }));
    },
    ticks: { display: showLabels, maxRotation: 0, autoSkip: true, callback: (value: string | number) => label(Number(value)) },
    grid: { color: '#e6e6e6' },
  } as unknown as ScaleOptionsByType<'linear'>;
}

/** Growth over more than ten times its lowest value reads on a log scale; a linear one flattens all but the largest. */
export function needsLogScale(lowest: number, highest: number): boolean {
  return lowest > 0 && highest / lowest > 10;
}

/** A log y axis labelled at 1, 2 and 5 times powers of ten only, so labels never crowd. */
export function logAxis(format: (value: number) => string): ScaleOptionsByType<'logarithmic'> {
  const labelled = (value: number): boolean => {
    const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
    return [1, 2, 5].some((nice) => Math.abs(mantissa - nice) < 1e-6);
  };
  return {
    type: 'logarithmic',
    ticks: { autoSkip: false, callback: (value: string | number) => (labelled(Number(value)) ? format(Number(value)) : '') },
    // A grid line only where there is a label: the 3, 4, 6 ... lines of each decade only crowd.
    grid: { color: (context: { tick?: { value: number } }) => (context.tick !== undefined && labelled(context.tick.value) ? '#e6e6e6' : 'rgba(0, 0, 0, 0)') },
  } as unknown as ScaleOptionsByType<'logarithmic'>;
}
