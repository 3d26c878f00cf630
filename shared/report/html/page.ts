/**
 * The frame of every report page: self-contained (styles inline, images as data: URIs) and
 * locked down by a Content-Security-Policy that allows no network fetch at all.
 */
import { html, SafeHtml } from './escapeHtml.ts';

const styles = `
  body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1a1a1a; margin: 24px auto; max-width: 1000px; padding: 0 16px; line-height: 1.4; }
  h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
  .sub { color: #555; margin: 0 0 16px; }
  table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
  th, td { border-bottom: 1px solid #e4e4e4; padding: 4px 10px; text-align: right; vertical-align: top; }
  th:first-child, td:first-child { text-align: left; }
  th { background: #f5f7fa; font-weight: 600; }
  td.note { text-align: left; color: #555; font-size: 12px; max-width: 480px; }
  .pass { color: #1e7b34; font-weight: 600; } .fail { color: #b3261e; font-weight: 600; }
  .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
  .card { border: 1px solid #e0e0e0; border-radius: 6px; padding: 10px 14px; min-width: 170px; }
  .card .label { color: #555; font-size: 12px; } .card .value { font-size: 20px; font-weight: 600; }
  img { max-width: 100%; height: auto; border: 1px solid #eee; margin: 8px 0; }
  .neg { color: #b3261e; } .pos { color: #1e7b34; }
  a { color: #1f4e79; }
  .matrix td { text-align: center; min-width: 48px; }
`;

export function htmlPage(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${title}</title>
<style>${new SafeHtml(styles)}</style>
</head>
<body>
${body}
</body>
</html>
`.text;
}

