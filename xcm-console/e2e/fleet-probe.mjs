// What console-fleet.mjs puts in the page before the console's own code runs (addInitScript):
// window.xcmProbe, which times the summary view from inside the browser. Self-contained: Playwright
// sends this function's source to the page, so it may use nothing from outside it.

export function instrument() {
  const longTasks = [];
  let observer = null;
  try {
    observer = new PerformanceObserver((list) => record(list.getEntries()));
    observer.observe({ type: 'longtask', buffered: true });
  } catch {
    // No Long Tasks API: the frame gaps still show a blocked main thread.
  }
  function record(entries) {
    for (const e of entries) longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
  }

  // Every Jolokia request the console sends (one bulk read a poll): sent and answered times.
  const jolokia = [];
  const fetch0 = window.fetch;
  window.fetch = function fetch(input, init) {
    const target = typeof input === 'string' ? input : input?.url ?? String(input);
    const answer = fetch0.call(this, input, init);
    if (target.includes('/jolokia/')) {
      const entry = { sent: performance.now(), answered: null };
      jolokia.push(entry);
      answer.then(() => { entry.answered = performance.now(); }, () => { entry.answered = -1; });
    }
    return answer;
  };

  /** Resolves with the time once the next frame has been painted: a task after its rAF. */
  function nextPaint() {
    return new Promise((resolve) => requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(null);
    }));
  }
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** The longest task (ms) that overlapped [from, to]; 0 when none took 50 ms or more. */
  async function longestTask(from, to) {
    // A long task is reported after it ended, in a task of its own: let those run first.
    await sleep(100);
    if (observer) record(observer.takeRecords());
    let longest = 0;
    for (const t of longTasks) {
      if (t.end >= from && t.start <= to) longest = Math.max(longest, t.end - t.start);
    }
    return longest;
  }

  // Frame gaps: a requestAnimationFrame loop while watched, the time between frames.
  let frames = null;
  function frame(t) {
    if (!frames) return;
    frames.push(t);
    requestAnimationFrame(frame);
  }
  function startWatch() {
    frames = [];
    requestAnimationFrame(frame);
    return { at: performance.now(), polls: jolokia.length };
  }
  function longestGap(list, from, to) {
    let gap = 0;
    for (let i = 1; i < list.length; i++) {
      if (list[i] >= from && list[i - 1] <= to) gap = Math.max(gap, list[i] - list[i - 1]);
    }
    return gap;
  }

  /**
   * How many hosts the table holds: a windowed table (aria-rowcount, the header row included)
   * keeps only the rows in view in the document.
   */
  function hostRows() {
    const table = document.querySelector('#summary');
    if (!table?.querySelector('tr[data-host]')) return 0;
    const count = table.getAttribute('aria-rowcount');
    return count ? Number(count) - 1 : table.querySelectorAll('tr[data-host]').length;
  }

  // The first view: when the host table first held a row for every host the totals count.
  const drawn = { at: null, painted: null, rows: 0 };
  const rowsWatch = new MutationObserver(() => {
    const total = parseInt(document.querySelector('[data-total="hosts"]')?.textContent ?? '', 10);
    const rows = hostRows();
    if (!(total > 0) || rows < total) return;
    rowsWatch.disconnect();
    drawn.at = performance.now();
    drawn.rows = rows;
    nextPaint().then((t) => { drawn.painted = t; });
  });
  rowsWatch.observe(document, { childList: true, subtree: true });

  /** True when rows of the table fill the scrolled view: none of it is left blank. */
  function filled(box) {
    const view = box.getBoundingClientRect();
    const head = box.querySelector('thead th').getBoundingClientRect(); // sticky: where it shows
    const x = view.left + Math.min(40, view.width / 2);
    for (const y of [Math.max(view.top, head.bottom) + 2, view.top + view.height / 2, view.bottom - 2]) {
      if (!document.elementFromPoint(x, y)?.closest('tr[data-host]')) return false;
    }
    return true;
  }

  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  /** What a row shows of a column, as the table sorts it. */
  function shown(tr, column) {
    const td = tr.querySelector(`td[data-col="${column}"]`);
    switch (column) {
      case 'name': return tr.dataset.host;
      case 'cpu': case 'memory': return parseFloat(td.querySelector('.fill').style.width || '0');
      case 'labels': return td.dataset.labels ?? '';
      case 'domains': return parseInt(td.textContent, 10);
      default: return td.textContent;
    }
  }
  function inOrder(column, descending) {
    const values = [...document.querySelectorAll('#summary tbody tr[data-host]')].map((tr) => shown(tr, column));
    const sign = descending ? -1 : 1;
    const cmp = (a, b) => (typeof a === 'number' ? a - b : collator.compare(a, b));
    return values.every((v, i) => i === 0 || sign * cmp(values[i - 1], v) <= 0);
  }

  let pending = null;

  window.xcmProbe = {
    hostRows,

    /** The first view of the page as loaded: navigation (0) to the rows read, drawn and painted. */
    async firstView(hosts) {
      while (drawn.painted == null) await sleep(20);
      const read = jolokia.filter((j) => j.answered > 0 && j.answered <= drawn.at).pop();
      return {
        rows: drawn.rows,
        expectedRows: hosts,
        readMs: read?.answered ?? null,
        drawnMs: drawn.at,
        paintedMs: drawn.painted,
        longestTaskMs: await longestTask(0, drawn.painted),
      };
    },

    /**
     * Returns once no poll is due for at least quietMs (the poller waits 5 s after a tick ends):
     * at once, or after the next poll's reply and a second for drawing it.
     */
    async afterPoll(quietMs = 2500) {
      const last = jolokia[jolokia.length - 1];
      if (last?.answered > 0 && last.answered + 5000 - performance.now() >= quietMs) return;
      const seen = jolokia.length;
      while (!(jolokia.length > seen && jolokia[jolokia.length - 1].answered > 0)) await sleep(20);
      await sleep(1000);
    },

    /**
     * Arms the timing of a sort by a column: from the next click (its event's time, when the input
     * came) through the table's own click handler (the sort, and the rows put in order) to the
     * frame painted after it.
     */
    armSort(column) {
      const polls = jolokia.length;
      const before = document.querySelector('#summary tbody tr[data-host]');
      let clickAt = null;
      document.addEventListener('click', (e) => { clickAt = e.timeStamp; }, { capture: true, once: true });
      pending = new Promise((resolve) => {
        document.addEventListener('click', async () => {
          const handledAt = performance.now();
          const paintedAt = await nextPaint();
          const order = document.querySelector(`#summary th[data-col="${column}"]`).getAttribute('aria-sort');
          resolve({
            column,
            order,
            ms: paintedAt - clickAt,
            handlerMs: handledAt - clickAt,
            longestTaskMs: await longestTask(clickAt, paintedAt),
            inOrder: inOrder(column, order === 'descending'),
            firstRowChanged: document.querySelector('#summary tbody tr[data-host]') !== before,
            pollDuring: jolokia.length > polls,
          });
        }, { once: true });
      });
    },
    sorted() {
      return pending;
    },

    /** The host table's scroll: the frame watch started. */
    startWatch() {
      this.watching = { ...startWatch(), blank: 0 };
    },

    /** Waits until the table has not moved for three frames; true when it shows its last row. */
    async scrollSettled() {
      const box = document.querySelector('#summary').closest('.scroll');
      let still = 0;
      let top = box.scrollTop;
      const until = performance.now() + 3000;
      while (still < 3 && performance.now() < until) {
        await nextPaint();
        if (box.scrollTop === top) still++;
        else {
          still = 0;
          top = box.scrollTop;
        }
      }
      if (!filled(box)) this.watching.blank++;
      return box.scrollTop + box.clientHeight >= box.scrollHeight - 1;
    },

    async stopWatch() {
      const { at, polls, blank } = this.watching;
      const end = performance.now();
      const list = frames;
      frames = null;
      const box = document.querySelector('#summary').closest('.scroll');
      return {
        ms: end - at,
        frames: list.length,
        longestFrameGapMs: longestGap(list, at, end),
        longestTaskMs: await longestTask(at, end),
        // At the bottom, with the last host's row drawn.
        reachedEnd: box.scrollTop + box.clientHeight >= box.scrollHeight - 1
          && [...box.querySelectorAll('tr[data-host]')].pop()?.getAttribute('aria-rowindex')
            === box.querySelector('table').getAttribute('aria-rowcount'),
        blankSteps: blank,
        pollsDuring: jolokia.length - polls,
      };
    },

    /**
     * The next poll: from its request sent to its rows painted, the longest task and frame gap,
     * and how many host rows in the document it changed.
     */
    async nextPoll() {
      const seen = jolokia.length;
      const watch = startWatch();
      while (jolokia.length === seen) await sleep(10);
      const poll = jolokia[seen];
      const changed = new Set();
      let changedAt = null;
      const tbody = document.querySelector('#summary tbody');
      const cells = new MutationObserver((records) => {
        changedAt ??= performance.now();
        for (const r of records) {
          const node = r.target.nodeType === Node.ELEMENT_NODE ? r.target : r.target.parentElement;
          const tr = node?.closest('tr[data-host]');
          if (tr) changed.add(tr);
        }
      });
      cells.observe(tbody, { childList: true, subtree: true, characterData: true, attributes: true });
      while (poll.answered == null || (changedAt == null && performance.now() - poll.answered < 3000)) {
        await sleep(10);
      }
      const paintedAt = await nextPaint();
      cells.disconnect();
      const list = frames;
      frames = null;
      return {
        sentToAnsweredMs: poll.answered - poll.sent,
        ms: paintedAt - poll.answered,
        rowsChanged: changed.size,
        longestTaskMs: await longestTask(poll.sent, paintedAt),
        longestFrameGapMs: longestGap(list, Math.max(watch.at, poll.sent), paintedAt),
      };
    },
  };
}
