/**
 * The frame of every report page: self-contained (styles inline, images as data: URIs) and
 * locked down by a Content-Security-Policy that allows no network fetch at all. A page may carry
 * inline scripts (issue 13: sortable tables, chart hover); each is allowed by its sha256 hash in
 * the policy, computed here as the page is written, and no page needs one to be read.
 */
import { createHash } from 'node:crypto';
import { html, SafeHtml } from './escapeHtml.ts';

// Phone first (390 px): a wide table scrolls sideways inside its own box (.scroll) with its first
// column kept in view, figures and dates never break inside, and the page body never overflows.
const styles = `
  body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1a1a1a; margin: 24px auto; max-width: 1360px; padding: 0 16px; line-height: 1.4; }
  h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
  .sub { color: #555; margin: 0 0 16px; }
  table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
  th, td { border-bottom: 1px solid #e4e4e4; padding: 4px 10px; text-align: right; vertical-align: top; white-space: nowrap; }
  th:first-child, td:first-child, td.left { text-align: left; }
  th { background: #f5f7fa; font-weight: 600; }
  td.note, td.wrap { text-align: left; color: #555; font-size: 12px; white-space: normal; min-width: 200px; max-width: 480px; }
  .pass { color: #1e7b34; font-weight: 600; } .fail { color: #b3261e; font-weight: 600; }
  .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
  .card { border: 1px solid #e0e0e0; border-radius: 6px; padding: 10px 14px; min-width: 150px; flex: 0 1 auto; }
  .card .label { color: #555; font-size: 12px; } .card .value { font-size: 20px; font-weight: 600; white-space: nowrap; }
  .nowrap, .num { white-space: nowrap; }
  img { max-width: 100%; height: auto; border: 1px solid #eee; margin: 8px 0; }
  .neg { color: #b3261e; } .pos { color: #1e7b34; }
  .pct { color: #555; font-size: 12px; margin-left: 4px; }
  a { color: #1f4e79; }
  .scroll { overflow-x: auto; max-width: 100%; -webkit-overflow-scrolling: touch; }
  .scroll > table { margin: 0; }
  body > table { display: block; overflow-x: auto; max-width: 100%; }
  .scroll th:first-child, .scroll td:first-child { position: sticky; left: 0; background: #fff; z-index: 1; }
  .scroll th:first-child { background: #f5f7fa; }
  .matrix td { text-align: center; min-width: 48px; }
  .banner { border: 2px solid #b3261e; background: #fdecea; color: #5f1410; border-radius: 6px; padding: 8px 14px; margin: 0 0 16px; }
  .banner h2 { border: 0; margin: 0 0 4px; font-size: 17px; color: #b3261e; padding: 0; }
  .banner ul { margin: 0; padding-left: 20px; } .banner li { margin: 2px 0; }
  .quiet { color: #1e7b34; margin: 0 0 12px; font-size: 14px; }
  .movers { display: flex; flex-wrap: wrap; gap: 12px 32px; }
  .movers table { margin: 0; }
  tr.group th { background: #e9edf3; text-align: left; }
  tr.total td { font-weight: 600; border-top: 2px solid #ccc; }
  th[aria-sort] button::after { content: attr(data-arrow); }
  th button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; white-space: nowrap; }
  details summary { cursor: pointer; }
  @media (max-width: 600px) {
    body { margin: 12px auto; padding: 0 10px; }
    h1 { font-size: 20px; }
    .card { min-width: 0; flex: 1 1 140px; padding: 8px 10px; }
    .card .value { font-size: 17px; }
    td.note, td.wrap { min-width: 160px; }
  }
`;

export interface PageOptions {
  /** Inline scripts, each allowed by its sha256 hash in the Content-Security-Policy. */
  scripts?: readonly string[];
}

/** `'sha256-...'`: the CSP source that allows exactly this inline script's text. */
export function scriptHashSource(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

/** The page's Content-Security-Policy: nothing from the network, images as data:, inline styles, and only these scripts. */
export function contentSecurityPolicy(scripts: readonly string[]): string {
  const base = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";
  return scripts.length === 0 ? base : `${base}; script-src ${scripts.map(scriptHashSource).join(' ')}`;
}

export function htmlPage(title: string, body: SafeHtml, { scripts = [] }: PageOptions = {}): string {
  // The policy is our own text (base64 hashes, no quote or angle bracket), so it is written as is.
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${new SafeHtml(contentSecurityPolicy(scripts))}">
<title>${title}</title>
<style>${new SafeHtml(styles)}</style>
</head>
<body>
${body}
${scripts.map((script) => html`<script>${new SafeHtml(script)}</script>\n`)}</body>
</html>
`.text;
}
