/**
 * Sortable tables without a network (issue 13 item 4): a header click sorts the rows of each
 * <tbody> of a `table.sortable` by that column, a group's title row (`tr.group`) staying on top.
 * A cell sorts by its `data-v` (a number; empty for n/a, always last) or else by its text. With
 * scripts off the table reads as written, in config order.
 */
import { html, type SafeHtml } from './escapeHtml.ts';

/** The page's inline script (its sha256 goes into the Content-Security-Policy). */
export const SORTABLE_TABLES_SCRIPT = `(() => {
  const key = (row, column) => {
    const cell = row.cells[column];
    if (cell === undefined) return null;
    const value = cell.dataset.v;
    if (value === undefined) return cell.textContent.trim().toLowerCase();
    return value === '' ? null : Number(value);
  };
  for (const table of document.querySelectorAll('table.sortable')) {
    const heads = Array.from(table.tHead ? table.tHead.rows[0].cells : []);
    heads.forEach((head, column) => {
      const button = document.createElement('button');
      button.type = 'button';
      while (head.firstChild) button.appendChild(head.firstChild);
      head.appendChild(button);
      button.addEventListener('click', () => {
        const numeric = head.dataset.sort === 'number';
        const current = head.getAttribute('aria-sort');
        const ascending = current === null ? !numeric : current === 'descending';
        for (const other of heads) other.removeAttribute('aria-sort');
        head.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        button.dataset.arrow = ascending ? ' \\u25B2' : ' \\u25BC';
        for (const body of table.tBodies) {
          const rows = Array.from(body.rows).filter((row) => !row.classList.contains('group'));
          rows.sort((a, b) => {
            const x = key(a, column);
            const y = key(b, column);
            if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
            const order = x < y ? -1 : x > y ? 1 : 0;
            return ascending ? order : -order;
          });
          for (const row of rows) body.appendChild(row);
        }
      });
    });
  }
})();
`;

/** A header cell of a sortable table; a numeric column sorts largest first on the first click. */
export function sortHeader(label: string, numeric = true): SafeHtml {
  return numeric ? html`<th data-sort="number">${label}</th>` : html`<th>${label}</th>`;
}

/** A figure's cell: its text as shown, its value as sorted (null: n/a, sorted last). */
export function figureCell(value: number | null, text: string, className = ''): SafeHtml {
  const sortValue = value === null || !Number.isFinite(value) ? '' : String(value);
  return className === '' ? html`<td data-v="${sortValue}">${text}</td>` : html`<td class="${className}" data-v="${sortValue}">${text}</td>`;
}

/** A table in its own sideways-scrolling box, so a wide table never widens the page. */
export function scrollBox(table: SafeHtml): SafeHtml {
  return html`<div class="scroll">${table}</div>`;
}
