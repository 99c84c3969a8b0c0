import { h, replaceChildren } from './dom';

/**
 * A table whose column headers are buttons that sort it (aria-sort tells screen readers which
 * column and which way). Updating the rows keeps the header, so keyboard focus stays put
 * while the data refreshes.
 */
export interface Column<T> {
  key: string;
  label: string;
  /** The value sorted by. */
  value: (row: T) => string | number;
  render?: (row: T) => Node | string;
  numeric?: boolean;
  /** Header text hidden on narrow screens keeps its place for screen readers. */
  short?: string;
}

export interface SortableTable<T> {
  element: HTMLElement;
  update(rows: T[]): void;
  /** A message in place of the rows (loading, failed) until the next update. */
  showStatus(text: string): void;
}

export function sortableTable<T>(options: {
  caption: string;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  empty: string;
  /** Shown until the first update, so an empty table never stands for "not loaded yet". */
  loading?: string;
  initialSort?: string;
}): SortableTable<T> {
  let sortKey = options.initialSort ?? options.columns[0]!.key;
  let ascending = true;
  let rows: T[] = [];
  let status = options.loading;
  const body = h('tbody');
  const headers = options.columns.map((column) => {
    const button = h(
      'button',
      { type: 'button', class: 'sort' },
      column.short
        ? [
            h('span', { class: 'long' }, column.label),
            h('span', { class: 'short', 'aria-hidden': 'true' }, column.short),
          ]
        : column.label,
      h('span', { class: 'sort-mark', 'aria-hidden': 'true' }),
    );
    const th = h('th', { scope: 'col', class: column.numeric ? 'numeric' : undefined }, button);
    button.addEventListener('click', () => {
      ascending = sortKey === column.key ? !ascending : true;
      sortKey = column.key;
      paint();
    });
    return { column, th, button };
  });
  const table = h(
    'table',
    { class: 'data' },
    h('caption', { class: 'visually-hidden' }, options.caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((header) => header.th),
      ),
    ),
    body,
  );

  function paint(): void {
    table.setAttribute('aria-busy', String(status === options.loading && status !== undefined));
    for (const { column, th, button } of headers) {
      const mark = button.querySelector('.sort-mark')!;
      if (column.key === sortKey) {
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        mark.textContent = ascending ? ' ▲' : ' ▼';
      } else {
        th.removeAttribute('aria-sort');
        mark.textContent = '';
      }
    }
    const column = options.columns.find((candidate) => candidate.key === sortKey)!;
    const sorted = [...rows].sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      const order =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return ascending ? order : -order;
    });
    if (status !== undefined || sorted.length === 0) {
      replaceChildren(
        body,
        h('tr', {}, h('td', { colspan: options.columns.length, class: 'empty' }, status ?? options.empty)),
      );
      return;
    }
    replaceChildren(
      body,
      sorted.map((row) =>
        h(
          'tr',
          { 'data-key': options.rowKey(row) },
          options.columns.map((c, index) => {
            const content = c.render ? c.render(row) : String(c.value(row));
            const attributes = { class: c.numeric ? 'numeric' : undefined, 'data-label': c.label };
            return index === 0
              ? h('th', { scope: 'row', ...attributes }, content)
              : h('td', attributes, content);
          }),
        ),
      ),
    );
  }

  paint();
  return {
    element: h('div', { class: 'table-scroll' }, table),
    update(next) {
      rows = next;
      status = undefined;
      paint();
    },
    showStatus(text) {
      status = text;
      paint();
    },
  };
}
