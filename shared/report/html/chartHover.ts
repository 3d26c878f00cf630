/**
 * Hovering a chart for the value on a date (issue 13, item 4), with no network: a chart's hover
 * data (charts/hoverData.ts) goes in a `<script type="application/json" data-chart-hover>` right
 * after its `<img>`, and CHART_HOVER_SCRIPT, inline once per page (allowed by its sha256 in the
 * Content-Security-Policy), shows the date and the values under the pointer. With scripts off the
 * data block is inert and the picture and its alt text are all there is.
 */
import { chartNotes } from '../charts/chartNotes.ts';
import type { ChartHover } from '../charts/hoverData.ts';
import { html, SafeHtml } from './escapeHtml.ts';

/**
 * The hover data as the text of a `<script type="application/json" data-chart-hover>` element:
 * JSON with `<`, `>`, `&` and the two JavaScript line separators escaped, so no name in it can end
 * the element or start markup (a strategy may be named `</script>`).
 */
export function chartHoverJson(hover: ChartHover): string {
  return JSON.stringify(hover).replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A chart as a page shows it: the PNG without its notes, the alt text its notes carry (the
 * page's own words for a PNG written without notes), and its hover data block when it has one.
 */
export function chartImage(png: Uint8Array, fallbackAlt: string): SafeHtml {
  const { image, notes } = chartNotes(png);
  const picture = html`<img alt="${notes?.alt ?? fallbackAlt}" src="data:image/png;base64,${Buffer.from(image).toString('base64')}">`;
  const hover = notes?.hover ?? null;
  return hover === null ? picture : html`${picture}<script type="application/json" data-chart-hover>${new SafeHtml(chartHoverJson(hover))}</script>`;
}

/**
 * The page script: for each data block, the `<img>` before it gets a tooltip that follows the
 * pointer (mouse, pen or a finger's tap) over a plot area and reads, from the points that pixel
 * column shows, the date and each series' value there (the five nearest the pointer when there
 * are more). Text goes in with textContent only: names are never markup.
 */
export const CHART_HOVER_SCRIPT = `(function () {
  'use strict';
  var DAY_MS = 86400000;
  var SHOWN = 5;
  var usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  function isoDate(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }
  function format(unit, value) {
    if (unit === 'usd') return usd.format(value);
    if (unit === 'percent') return value.toFixed(2) + ' %';
    return value.toFixed(3);
  }
  function decode(hover) {
    hover.panels.forEach(function (panel) {
      panel.series.forEach(function (series) {
        var day = 0;
        series.days = series.days.map(function (step) { day += step; return day; });
      });
    });
    return hover;
  }
  function nearest(days, day) {
    var low = 0, high = days.length - 1;
    while (high - low > 1) { var middle = (low + high) >> 1; if (days[middle] <= day) low = middle; else high = middle; }
    return Math.abs(days[high] - day) < Math.abs(days[low] - day) ? high : low;
  }
  function yPixel(panel, value) {
    var y = panel.y, a = panel.area;
    var share = y.log ? (Math.log(value) - Math.log(y.min)) / (Math.log(y.max) - Math.log(y.min)) : (value - y.min) / (y.max - y.min);
    return a.bottom - share * (a.bottom - a.top);
  }
  var tip = document.createElement('div');
  tip.setAttribute('role', 'status');
  tip.style.cssText = 'position:fixed;z-index:10;pointer-events:none;display:none;background:#fff;color:#111;border:1px solid #888;border-radius:4px;padding:4px 8px;font:13px/1.4 sans-serif;white-space:pre;box-shadow:0 1px 4px rgba(0,0,0,.2)';
  document.body.appendChild(tip);
  function hide() { tip.style.display = 'none'; }
  function show(img, hover, event) {
    var rect = img.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return hide();
    var x = (event.clientX - rect.left) * hover.width / rect.width;
    var y = (event.clientY - rect.top) * hover.height / rect.height;
    var panel = hover.panels.filter(function (p) { return x >= p.area.left && x <= p.area.right && y >= p.area.top && y <= p.area.bottom; })[0];
    if (!panel) return hide();
    var day = panel.x.min + (x - panel.area.left) / (panel.area.right - panel.area.left) * (panel.x.max - panel.x.min);
    var stack = 0;
    var rows = [];
    panel.series.forEach(function (series) {
      var days = series.days;
      if (days.length === 0 || day < days[0] - 0.5 || day > days[days.length - 1] + 0.5) return;
      var at = nearest(days, day);
      var value = series.values[at];
      stack += value;
      rows.push({ name: series.name, day: days[at], value: value, distance: Math.abs(yPixel(panel, panel.stacked ? stack : value) - y) });
    });
    if (rows.length === 0) return hide();
    rows.sort(function (a, b) { return a.distance - b.distance; });
    var lines = [isoDate(rows[0].day)];
    rows.slice(0, SHOWN).forEach(function (row) { lines.push(row.name + ': ' + format(panel.unit, row.value)); });
    if (rows.length > SHOWN) lines.push('and ' + (rows.length - SHOWN) + ' more');
    tip.textContent = lines.join('\\n');
    tip.style.display = 'block';
    var left = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 4);
    tip.style.left = Math.max(4, left) + 'px';
    tip.style.top = Math.max(4, event.clientY - tip.offsetHeight - 10) + 'px';
  }
  Array.prototype.forEach.call(document.querySelectorAll('script[type="application/json"][data-chart-hover]'), function (block) {
    var img = block.previousElementSibling;
    if (!img || img.tagName !== 'IMG') return;
    var hover;
    try { hover = decode(JSON.parse(block.textContent)); } catch (error) { return; }
    img.addEventListener('pointermove', function (event) { show(img, hover, event); });
    img.addEventListener('pointerdown', function (event) { show(img, hover, event); });
    img.addEventListener('pointerleave', hide);
  });
})();
`;
