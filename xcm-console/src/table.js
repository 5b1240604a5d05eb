// A sortable table whose rows are kept by key and updated in place: each refresh changes only
// the cells whose text changed, and reorders rows with one DocumentFragment. Good for 1,000 hosts.
import { h } from './dom.js';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Orders two sort values: numbers by value, text by natural order (dmz2 before dmz10). */
export function compare(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a == null) return b == null ? 0 : -1;
  if (b == null) return 1;
  return collator.compare(String(a), String(b));
}

/** Sorts rows by a column's value, ties by key, without touching the input. */
export function sortRows(rows, value, key, descending) {
  const sign = descending ? -1 : 1;
  return rows
    .map((row) => ({ row, v: value(row), k: key(row) }))
    .sort((x, y) => sign * compare(x.v, y.v) || compare(x.k, y.k))
    .map((x) => x.row);
}

export class KeyedTable {
  /**
   * @param {object} o
   * @param {string} o.id table element id
   * @param {string} o.keyAttribute e.g. 'data-host'
   * @param {(row) => string} o.key
   * @param {Array<{key: string, label: string, sort?: (row) => any, numeric?: boolean,
   *   create?: (td) => void, update: (td, row) => void}>} o.columns
   * @param {string} [o.sortKey] initial sort column
   * @param {string} [o.caption]
   */
  constructor({ id, keyAttribute, key, columns, sortKey, caption }) {
    this.keyAttribute = keyAttribute;
    this.key = key;
    this.columns = columns;
    this.sortKey = sortKey ?? columns[0].key;
    this.descending = false;
    this.rows = [];
    this.trs = new Map();
    this.headers = new Map();
    const headRow = h('tr');
    for (const column of columns) {
      const th = h('th', { scope: 'col', 'data-col': column.key, class: column.numeric ? 'num' : null });
      if (column.sort) {
        th.append(h('button', {
          type: 'button', class: 'sort', text: column.label,
          onclick: () => this.sortBy(column.key),
        }));
      } else th.textContent = column.label;
      this.headers.set(column.key, th);
      headRow.append(th);
    }
    this.tbody = h('tbody');
    this.element = h('table', { id, class: 'grid' },
      caption ? h('caption', { text: caption }) : null, h('thead', null, headRow), this.tbody);
    this.markSort();
  }

  /** Replaces the rows: cells update in place, rows come and go by key. */
  update(rows) {
    this.rows = rows;
    const seen = new Set();
    for (const row of rows) {
      const k = this.key(row);
      seen.add(k);
      let tr = this.trs.get(k);
      if (!tr) {
        tr = h('tr');
        tr.setAttribute(this.keyAttribute, k);
        for (const column of this.columns) {
          const td = h('td', { 'data-col': column.key, class: column.numeric ? 'num' : null });
          column.create?.(td, row);
          tr.append(td);
        }
        this.trs.set(k, tr);
      }
      const cells = tr.children;
      this.columns.forEach((column, i) => column.update(cells[i], row));
    }
    for (const k of [...this.trs.keys()]) if (!seen.has(k)) this.trs.delete(k);
    this.order();
  }

  sortBy(key) {
    if (this.sortKey === key) this.descending = !this.descending;
    else {
      this.sortKey = key;
      this.descending = false;
    }
    this.markSort();
    this.order();
  }

  /** The row element of a key, if shown. */
  row(key) {
    return this.trs.get(key);
  }

  markSort() {
    for (const [key, th] of this.headers) {
      if (key === this.sortKey) th.setAttribute('aria-sort', this.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
  }

  order() {
    const column = this.columns.find((c) => c.key === this.sortKey);
    const sorted = column?.sort ? sortRows(this.rows, column.sort, this.key, this.descending) : this.rows;
    const wanted = sorted.map((row) => this.trs.get(this.key(row)));
    const current = this.tbody.children;
    if (wanted.length === current.length && wanted.every((tr, i) => current[i] === tr)) return;
    const fragment = document.createDocumentFragment();
    fragment.append(...wanted);
    this.tbody.replaceChildren(fragment);
  }
}
