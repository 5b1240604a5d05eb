// A sortable table whose rows are kept by key and updated in place: each refresh changes only
// the cells whose text changed. A windowed table (the summary's hosts) keeps in the document only
// the rows in view and a margin around them, with spacer rows standing for the others: at 1,000
// hosts, a sort that put every row back into the document cost Chromium a second of style and
// layout on a loaded 2-core machine (./xcm bench console), where the rows in view cost a few ms.
import { h } from './dom.js';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Tables with at most this many rows show them all, windowed or not. */
export const WINDOW_MIN_ROWS = 100;

/** A one-line row of 13 px text and its padding, until a drawn row says what it is. */
const GUESSED_ROW_HEIGHT = 24;

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
    .map((row) => ({ row, v: value(row), k: key(row) })) // each value once, not once a comparison
    .sort((x, y) => sign * compare(x.v, y.v) || compare(x.k, y.k))
    .map((x) => x.row);
}

/**
 * The rows [first, last) a window shows: those under the view, {offset} px into the rows and
 * {height} px tall, and half a view more on either side, so that the rows a wheel's step brings
 * into view are mostly drawn already.
 */
export function rowWindow({ offset, height, rowHeight, count }) {
  if (count <= WINDOW_MIN_ROWS || !(rowHeight > 0)) return { first: 0, last: count };
  const inView = Math.ceil(Math.max(height, rowHeight) / rowHeight);
  const margin = Math.ceil(inView / 2);
  const size = inView + 2 * margin + 1;
  const first = Math.floor(Math.max(0, offset) / rowHeight) - margin;
  const clamped = Math.min(Math.max(0, first), Math.max(0, count - size));
  return { first: clamped, last: Math.min(count, clamped + size) };
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
   * @param {Element} [o.scroller] the element the table scrolls in: given, the table is windowed
   */
  constructor({ id, keyAttribute, key, columns, sortKey, caption, scroller }) {
    this.keyAttribute = keyAttribute;
    this.key = key;
    this.columns = columns;
    this.sortKey = sortKey ?? columns[0].key;
    this.descending = false;
    this.rows = [];
    this.sorted = [];
    this.trs = new Map();
    // Rows whose cells show the latest update, by key; a windowed table draws the others when
    // they come into view.
    this.drawn = new Set();
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
    this.scroller = scroller ?? null;
    if (this.scroller) {
      this.rowHeight = 0; // measured once rows are drawn
      this.above = spacer(columns.length);
      this.below = spacer(columns.length);
      this.frame = 0;
      this.scroller.addEventListener('scroll', () => {
        this.frame ||= requestAnimationFrame(() => {
          this.frame = 0;
          this.render();
        });
      }, { passive: true });
    }
    this.markSort();
  }

  /** Replaces the rows: cells update in place, rows come and go by key. */
  update(rows) {
    this.rows = rows;
    this.drawn.clear();
    const seen = new Set(rows.map(this.key));
    for (const k of [...this.trs.keys()]) if (!seen.has(k)) this.trs.delete(k);
    this.sort();
    this.render();
  }

  sortBy(key) {
    if (this.sortKey === key) this.descending = !this.descending;
    else {
      this.sortKey = key;
      this.descending = false;
    }
    this.markSort();
    this.sort();
    this.render();
  }

  /** The row element of a key, if shown. */
  row(key) {
    const tr = this.trs.get(key);
    return tr?.parentNode === this.tbody ? tr : undefined;
  }

  markSort() {
    for (const [key, th] of this.headers) {
      if (key === this.sortKey) th.setAttribute('aria-sort', this.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
  }

  sort() {
    const column = this.columns.find((c) => c.key === this.sortKey);
    this.sorted = column?.sort ? sortRows(this.rows, column.sort, this.key, this.descending) : this.rows;
  }

  /** The rows to show, drawn, in order: all of them, or a windowed table's rows in view. */
  render() {
    const count = this.sorted.length;
    let first = 0;
    let last = count;
    if (this.scroller) {
      // How far the view is into the rows (the header is sticky over the first), and how tall it
      // can be: the scroller is only as tall as its rows before it has any.
      const most = parseFloat(getComputedStyle(this.scroller).maxHeight);
      ({ first, last } = rowWindow({
        offset: Math.max(0, this.scroller.getBoundingClientRect().top) - this.tbody.getBoundingClientRect().top,
        height: Number.isFinite(most) ? Math.min(most, window.innerHeight) : window.innerHeight,
        rowHeight: this.rowHeight || GUESSED_ROW_HEIGHT,
        count,
      }));
    }
    const wanted = [];
    for (let i = first; i < last; i++) wanted.push(this.draw(this.sorted[i], i));
    if (this.scroller) this.spacers(first, last, count, wanted);
    const current = this.tbody.children;
    if (wanted.length === current.length && wanted.every((tr, i) => current[i] === tr)) return;
    this.place(wanted);
    if (this.scroller && !this.rowHeight && last - first > 0) this.measure(first, last);
  }

  /**
   * Puts the tbody's rows in the wanted order, leaving in place the rows that already are: a
   * scroll step then only adds the rows coming into view and removes those leaving it, where
   * putting every row back would have the browser style and lay them all out again.
   */
  place(wanted) {
    const keep = new Set(wanted);
    for (const tr of [...this.tbody.children]) if (!keep.has(tr)) tr.remove();
    let next = this.tbody.firstElementChild;
    for (const tr of wanted) {
      if (tr === next) next = next.nextElementSibling;
      else this.tbody.insertBefore(tr, next);
    }
  }

  /** The row's element, made on first sight and its cells brought up to date. */
  draw(row, index) {
    const k = this.key(row);
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
    if (!this.drawn.has(k)) {
      const cells = tr.children;
      this.columns.forEach((column, i) => column.update(cells[i], row));
      this.drawn.add(k);
    }
    const rowIndex = String(index + 2); // for assistive technology: the header row is 1
    if (this.scroller && tr.getAttribute('aria-rowindex') !== rowIndex) tr.setAttribute('aria-rowindex', rowIndex);
    return tr;
  }

  /** Spacers above and below the rows shown, as tall as the rows they stand for. */
  spacers(first, last, count, wanted) {
    const height = this.rowHeight || GUESSED_ROW_HEIGHT;
    this.element.setAttribute('aria-rowcount', String(count + 1));
    if (first > 0) {
      setHeight(this.above, first * height);
      wanted.unshift(this.above);
    }
    if (last < count) {
      setHeight(this.below, (count - last) * height);
      wanted.push(this.below);
    }
  }

  /**
   * A row's height, as drawn (rows are one line: cells do not wrap); the window is drawn again
   * with it when it differs from the first guess.
   */
  measure(first, last) {
    const rows = [...this.tbody.children].filter((tr) => tr !== this.above && tr !== this.below);
    const top = rows[0].getBoundingClientRect().top;
    const bottom = rows[rows.length - 1].getBoundingClientRect().bottom;
    const height = (bottom - top) / (last - first);
    if (!(height > 0)) return; // not laid out (not in the document yet): measured next time
    this.rowHeight = height;
    if (Math.abs(height - GUESSED_ROW_HEIGHT) > 0.5) this.render();
  }
}

function spacer(columns) {
  const td = h('td', { colspan: String(columns) });
  return h('tr', { class: 'spacer', 'aria-hidden': 'true' }, td);
}

function setHeight(tr, px) {
  const height = `${px}px`;
  if (tr.style.height !== height) tr.style.height = height;
}
