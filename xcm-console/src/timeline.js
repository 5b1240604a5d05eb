// The seed paper's Fig. 2, live: domains per host over the coordinator's recent past
// (xcm:type=Timeline), with the operations of that time marked on it. The coordinator keeps each
// host's count at the window's start and then only the changes; the whole history is read again
// only when its LastChangeEpochMillis moved, so a steady cluster of 1,000 hosts costs one small
// read per tick.
import uPlot from 'uplot';
import { h, setText } from './dom.js';
import { time } from './format.js';
import { Refused, TIMELINE, errorText, read } from './protocol.js';

/** More hosts than this and the chart shows the spread (fewest, mean, most) instead of a line each. */
export const MAX_LINES = 12;

const COLOURS = ['#1f5b8f', '#c0392b', '#2e8b57', '#b8860b', '#6a3d9a', '#d35400', '#17a2b8',
  '#8b4513', '#e83e8c', '#556b2f', '#4b0082', '#708090'];

/**
 * Step lines from a TimelineHistory: x in seconds since the epoch, one point where any count
 * changed, the last at endMillis. With `host`, that host's line alone; with more than maxLines
 * hosts, the fewest, mean and most domains over the ACTIVE hosts. A host absent or REMOVED at a
 * moment has no value then (null: a gap). DOM-free.
 */
export function timelineSeries(history, { host = null, endMillis = 0, maxLines = MAX_LINES } = {}) {
  const now = new Map();
  for (const c of history.start ?? []) now.set(c.host, c);
  const names = new Set(host == null ? now.keys() : [host]);
  const changes = history.changes ?? [];
  if (host == null) for (const c of changes) names.add(c.host);
  const hosts = [...names].sort();
  const spread = host == null && hosts.length > maxLines;

  const x = [];
  const values = spread ? [[], [], []] : hosts.map(() => []);
  const sample = (millis) => {
    x.push(millis / 1000);
    if (spread) {
      let fewest = null; let most = null; let sum = 0; let n = 0;
      for (const c of now.values()) {
        if (c.state !== 'ACTIVE') continue;
        fewest = fewest == null ? c.domains : Math.min(fewest, c.domains);
        most = most == null ? c.domains : Math.max(most, c.domains);
        sum += c.domains;
        n += 1;
      }
      values[0].push(fewest);
      values[1].push(n ? sum / n : null);
      values[2].push(most);
    } else {
      hosts.forEach((name, i) => {
        const c = now.get(name);
        values[i].push(c == null || c.state === 'REMOVED' ? null : c.domains);
      });
    }
  };

  sample(history.sinceEpochMillis);
  for (let i = 0; i < changes.length;) {
    const at = changes[i].epochMillis;
    for (; i < changes.length && changes[i].epochMillis === at; i++) now.set(changes[i].host, changes[i]);
    if (at === history.sinceEpochMillis) {
      x.pop();
      values.forEach((v) => v.pop());
    }
    sample(at);
  }
  const end = Math.max(history.untilEpochMillis ?? 0, endMillis);
  if (end > history.sinceEpochMillis && end > x[x.length - 1] * 1000) sample(end);

  const labels = spread ? ['fewest', 'mean', 'most'] : hosts;
  return { x, lines: labels.map((label, i) => ({ label, values: values[i] })), spread };
}

/**
 * Operations (rows of xcm:type=Operation,*) that started within [since, end]: not dry runs; with
 * `host`, those whose summary names it ("drain dmz01", "migrate web01 dmz02"). Oldest first.
 */
export function operationMarks(rows, sinceMillis, endMillis, host = null) {
  return (rows ?? [])
    .filter((o) => !o.DryRun && o.StartedEpochMillis >= sinceMillis && o.StartedEpochMillis <= endMillis)
    .filter((o) => host == null || String(o.Summary ?? '').split(/\s+/).includes(host))
    .sort((a, b) => a.StartedEpochMillis - b.StartedEpochMillis)
    .map((o) => ({
      id: o.Id,
      kind: o.Kind,
      summary: o.Summary,
      state: o.State,
      start: o.StartedEpochMillis,
      end: o.FinishedEpochMillis > 0 ? o.FinishedEpochMillis : null,
    }));
}

/** Draws each operation as a band from its start to its end (or to now) with its kind on top. */
function markPlugin(getMarks) {
  return {
    hooks: {
      drawClear: [(u) => {
        const { ctx } = u;
        const top = u.bbox.top;
        const height = u.bbox.height;
        ctx.save();
        for (const m of getMarks()) {
          const x0 = u.valToPos(m.start / 1000, 'x', true);
          const x1 = Math.max(x0 + 2, u.valToPos((m.end ?? Date.now()) / 1000, 'x', true));
          ctx.fillStyle = 'rgba(31, 91, 143, 0.10)';
          ctx.fillRect(x0, top, x1 - x0, height);
          ctx.fillStyle = '#1f5b8f';
          ctx.fillRect(x0, top, 1.5 * devicePixelRatio, height);
          ctx.font = `${11 * devicePixelRatio}px sans-serif`;
          ctx.fillText(String(m.kind ?? '').toLowerCase(), x0 + 3 * devicePixelRatio, top + 12 * devicePixelRatio);
        }
        ctx.restore();
      }],
    },
  };
}

/**
 * The timeline block of a view. The view puts requests() into its bulk read and hands the replies
 * to update(replies, operationRows). ctx.pollEvery(seconds) follows the collect interval.
 * @param ctx {refresh(), pollEvery(seconds)}  @param host null for the whole cluster
 */
export function timelinePanel(ctx, { host = null } = {}) {
  const plot = h('div', { class: 'timeline-plot' });
  const caption = h('figcaption', { id: 'timeline-caption' });
  const marksList = h('ol', { id: 'timeline-marks', class: 'marks' });
  const table = h('table', { id: 'timeline-table', class: 'visually-hidden' });
  const element = h('section', { class: 'block', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title', text: host == null ? 'Domains per host' : `Domains on ${host}` }),
    h('figure', { id: 'timeline', class: 'timeline' }, plot, caption, table), marksList);

  let history = null;
  let haveChange = null;
  let marks = [];
  let chart = null;
  let shape = '';

  function requests() {
    // LastChangeEpochMillis before History: a change between the two reads makes the next tick
    // read the history again rather than miss it.
    const wanted = [read(TIMELINE, ['LastChangeEpochMillis', 'CollectIntervalSeconds'])];
    if (history == null) wanted.push(read(TIMELINE, 'History'));
    return wanted;
  }

  function draw(series) {
    const data = [series.x, ...series.lines.map((l) => l.values)];
    const key = series.lines.map((l) => l.label).join('\n');
    const width = Math.max(320, plot.clientWidth || element.clientWidth || 800);
    if (chart && key === shape) {
      chart.setData(data);
      return;
    }
    chart?.destroy();
    shape = key;
    const stepped = uPlot.paths.stepped({ align: 1 });
    chart = new uPlot({
      width,
      height: 220,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, Math.ceil(max ?? 1))] } },
      axes: [{}, { label: 'domains', values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? t : '')) }],
      series: [{}, ...series.lines.map((l, i) => ({
        label: l.label,
        stroke: COLOURS[i % COLOURS.length],
        width: 2,
        points: { show: false },
        paths: series.spread && l.label === 'mean' ? undefined : stepped,
        value: (u, v) => (v == null ? '—' : series.spread && l.label === 'mean' ? v.toFixed(1) : v),
      }))],
      plugins: [markPlugin(() => marks)],
      legend: { live: true },
    }, data, plot);
  }

  function describe(series) {
    const rows = series.lines.map((l) => {
      const present = l.values.filter((v) => v != null);
      return h('tr', { 'data-line': l.label },
        h('th', { scope: 'row', text: l.label }),
        h('td', { 'data-at': 'start', text: l.values[0] ?? '—' }),
        h('td', { 'data-at': 'now', text: l.values[l.values.length - 1] ?? '—' }),
        h('td', { text: present.length ? Math.min(...present) : '—' }),
        h('td', { text: present.length ? Math.max(...present) : '—' }));
    });
    table.replaceChildren(
      h('caption', { text: 'Domains per line: at the start of the window, now, fewest, most' }),
      h('thead', null, h('tr', null, ...['Line', 'Start', 'Now', 'Fewest', 'Most'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', null, ...rows));
  }

  function update([change, full], operationRows) {
    if (change?.status !== 200) throw new Refused(`timeline: ${errorText(change)}`, change?.status);
    ctx.pollEvery?.(change.value.CollectIntervalSeconds);
    if (full) {
      if (full.status !== 200) throw new Refused(`timeline: ${errorText(full)}`, full.status);
      history = full.value;
      haveChange = change.value.LastChangeEpochMillis;
    } else if (change.value.LastChangeEpochMillis !== haveChange) {
      history = null;
      ctx.refresh?.();
    }
    if (history == null) return;
    const end = (change.timestamp ?? Date.now() / 1000) * 1000;
    const series = timelineSeries(history, { host, endMillis: end });
    if (operationRows != null) marks = operationMarks(operationRows, history.sinceEpochMillis, end, host);
    marksList.replaceChildren(...marks.map((m) => h('li', {
      'data-operation': m.id, 'data-kind': m.kind, 'data-state': m.state,
      text: `${time(m.start)} ${m.summary} (${String(m.state ?? '').toLowerCase()})`,
    })));
    setText(caption, series.spread
      ? `Fewest, mean and most domains on the ACTIVE hosts since ${time(history.sinceEpochMillis)}; operations shaded.`
      : `Running domains since ${time(history.sinceEpochMillis)}; operations shaded.`);
    draw(series);
    describe(series);
  }

  function resize() {
    if (chart) chart.setSize({ width: Math.max(320, plot.clientWidth), height: 220 });
  }
  window.addEventListener('resize', resize);
  const stop = () => {
    window.removeEventListener('resize', resize);
    chart?.destroy();
    chart = null;
  };

  return { element, requests, update, stop };
}
