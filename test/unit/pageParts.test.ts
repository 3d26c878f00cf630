/**
 * The parts of the morning page that are not figures of the run (issue 13): the correlation read
 * as its extreme pairs, "n/m" for annualised figures under a year (SPEC 7's years), and the
 * Content-Security-Policy that allows a page's own scripts by their hash and nothing else.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { annualisedFigure } from '#shared/report/annualisedFigures.ts';
import { correlationExtremes } from '#shared/report/correlationPairs.ts';
import { formatFractionAsPercent } from '#shared/report/formatting.ts';
import { contentSecurityPolicy } from '#shared/report/html/page.ts';

describe('correlationExtremes', () => {
  const names = ['A', 'B', 'C', 'D'];
  const matrix = [
    [1, 0.9, -0.5, null],
    [0.9, 1, 0.2, 0.1],
    [-0.5, 0.2, 1, -0.7],
    [null, 0.1, -0.7, 1],
  ];
  it('lists each pair once, most alike first, then most opposite, skipping pairs with no figure', () => {
    expect(correlationExtremes(names, matrix, 2, 2)).toEqual({
      highest: [
        { first: 'A', second: 'B', correlation: 0.9 },
        { first: 'B', second: 'C', correlation: 0.2 },
      ],
      lowest: [
        { first: 'C', second: 'D', correlation: -0.7 },
        { first: 'A', second: 'C', correlation: -0.5 },
      ],
    });
  });
  it('never names a pair on both sides when there are few', () => {
    const few = correlationExtremes(['A', 'B'], [[1, 0.3], [0.3, 1]]);
    expect(few.highest).toHaveLength(1);
    expect(few.lowest).toEqual([]);
  });
});

describe('annualised figures under a year', () => {
  it('read n/m below one year and the figure from one year on', () => {
    expect(annualisedFigure(0.99, 1.98, formatFractionAsPercent)).toBe('n/m');
    expect(annualisedFigure(1, 0.12, formatFractionAsPercent)).toBe('12.00%');
  });
});

describe('the Content-Security-Policy', () => {
  it('allows no network and, with scripts, exactly their sha256', () => {
    expect(contentSecurityPolicy([])).toBe("default-src 'none'; img-src data:; style-src 'unsafe-inline'");
    const hash = createHash('sha256').update('alert(1)').digest('base64');
    expect(contentSecurityPolicy(['alert(1)'])).toBe(`default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-${hash}'`);
  });
});
