// The summary view: the totals, the operations, and one row per host (ClusterMXBean.Hosts),
// read with one bulk request per collect interval and drawn into rows kept by host name.
import { h, hostHref, meter, setMeter, setState, setText } from './dom.js';
import { age, bytesOf, duration, fraction, labels, percent, time } from './format.js';
import {
  ALL_OPERATIONS, CLUSTER, Refused, CLUSTER_ATTRIBUTES, OPERATION_ROW_ATTRIBUTES, errorText, patternRows,
  progress, read,
} from './protocol.js';
import { KeyedTable } from './table.js';
import { timelinePanel } from './timeline.js';

const RECENT_OPERATIONS = 10;

/** How long ago a host's sample was, now: its age at the last collection plus the time since. */
export function sampleAge(host, lastCollectEpochMillis, nowEpochMillis) {
  if (!(host.lastSampleAgeSeconds >= 0)) return -1;
  const since = lastCollectEpochMillis > 0 ? (nowEpochMillis - lastCollectEpochMillis) / 1000 : 0;
  return host.lastSampleAgeSeconds + Math.max(0, since);
}

/** "38 ACTIVE · 1 MAINTENANCE": hosts by state, ACTIVE first, then by count. */
export function byState(hosts) {
  const counts = new Map();
  for (const x of hosts) counts.set(x.state, (counts.get(x.state) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => (b[0] === 'ACTIVE') - (a[0] === 'ACTIVE') || b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([state, n]) => `${n} ${state}`)
    .join(' · ');
}

function labelChips(td, text) {
  if (td.dataset.labels === text) return;
  td.dataset.labels = text;
  td.replaceChildren(...labels(text).map((l) => h('span', { class: 'chip', text: l })));
}

function hostColumns(ctx) {
  const columns = [
    {
      key: 'name', label: 'Host', sort: (x) => x.name,
      create: (td, x) => td.append(h('a', { href: hostHref(x.name), text: x.name })),
      update: () => {},
    },
    {
      key: 'state', label: 'State', sort: (x) => x.state,
      create: (td) => td.append(h('span')),
      update: (td, x) => setState(td.firstChild, x.state,
        x.missedRounds > 0 ? `missed ${x.missedRounds} collection rounds in a row` : null),
    },
    {
      key: 'domains', label: 'Domains', numeric: true, sort: (x) => x.domains,
      update: (td, x) => setText(td, x.activeDomains === x.domains ? x.domains : `${x.domains} (${x.activeDomains} running)`),
    },
    { key: 'cpus', label: 'CPUs', numeric: true, sort: (x) => x.cpus, update: (td, x) => setText(td, x.cpus) },
    {
      key: 'memory', label: 'Memory used', sort: (x) => fraction(x.memoryUsedBytes, x.memoryBytes),
      create: (td) => td.append(meter()),
      update: (td, x) => setMeter(td.firstChild, fraction(x.memoryUsedBytes, x.memoryBytes),
        bytesOf(x.memoryUsedBytes, x.memoryBytes)),
    },
    {
      key: 'cpu', label: 'CPU', sort: (x) => x.cpuUtilisation,
      create: (td) => td.append(meter()),
      update: (td, x) => setMeter(td.firstChild, x.cpuUtilisation, percent(x.cpuUtilisation)),
    },
    { key: 'labels', label: 'Labels', sort: (x) => x.labels, update: (td, x) => labelChips(td, x.labels ?? '') },
    {
      key: 'age', label: 'Sample', numeric: true, sort: (x) => (x.age >= 0 ? x.age : Infinity),
      update: (td, x) => setText(td, age(x.age)),
    },
  ];
  if (ctx.canAct) {
    columns.push({
      key: 'actions', label: 'Actions',
      create: (td) => td.append(
        h('button', { type: 'button', 'data-action': 'drain', text: 'Drain…' }),
        h('button', { type: 'button', 'data-action': 'activate', text: 'Activate' })),
      update: (td, x) => {
        td.children[0].hidden = x.state !== 'ACTIVE';
        td.children[1].hidden = x.state !== 'MAINTENANCE' && x.state !== 'DRAINING';
      },
    });
  }
  return columns;
}

function operationColumns(ctx) {
  const columns = [
    { key: 'id', label: 'Id', sort: (o) => o.Id, update: (td, o) => setText(td, o.Id) },
    { key: 'kind', label: 'Kind', sort: (o) => o.Kind, update: (td, o) => setText(td, o.Kind) },
    { key: 'summary', label: 'What', sort: (o) => o.Summary, update: (td, o) => setText(td, o.Summary) },
    { key: 'by', label: 'Asked by', sort: (o) => o.RequestedBy, update: (td, o) => setText(td, o.RequestedBy ?? '') },
    {
      key: 'state', label: 'State', sort: (o) => o.State,
      create: (td) => td.append(h('span')), update: (td, o) => setState(td.firstChild, o.State),
    },
    {
      key: 'progress', label: 'Moves',
      create: (td) => td.append(h('progress', { max: '1', value: '0' }), h('span', { class: 'meter-text' })),
      update: (td, o) => {
        const p = progress(o);
        td.firstChild.max = p.total;
        td.firstChild.value = p.ended;
        setText(td.lastChild, `${o.MovesDone}/${o.MovesTotal}${o.MovesFailed ? `, ${o.MovesFailed} failed` : ''}`);
      },
    },
    {
      key: 'started', label: 'Started', sort: (o) => o.StartedEpochMillis,
      update: (td, o) => setText(td, time(o.StartedEpochMillis)),
    },
    {
      key: 'actions', label: '',
      create: (td) => td.append(
        h('button', { type: 'button', 'data-follow': '', class: 'link', text: 'Follow' }),
        ctx.canAct ? h('button', { type: 'button', 'data-action': 'cancel', text: 'Cancel' }) : null),
      update: (td, o) => {
        if (td.children[1]) td.children[1].hidden = o.State !== 'RUNNING';
      },
    },
  ];
  return columns;
}

/** @param ctx {canAct, actions, follow(id)} */
export function summaryView(ctx) {
  const totals = h('dl', { id: 'totals', class: 'totals' });
  const total = {};
  for (const [key, label] of [
    ['hosts', 'Hosts'], ['domains', 'Domains'], ['memory', 'Memory used'], ['cpu', 'CPU'],
    ['collected', 'Collected'], ['failover', 'Failover'], ['pending', 'Never answered'],
  ]) {
    total[key] = h('dd', { 'data-total': key });
    if (key === 'memory' || key === 'cpu') total[key].append(meter());
    total[`${key}Label`] = h('dt', { text: label });
    totals.append(h('div', { class: 'total', 'data-total-item': key }, total[`${key}Label`], total[key]));
  }
  const truncated = h('p', { id: 'summary-truncated', class: 'warning', hidden: true });

  // Windowed: only the hosts in view are in the document (see table.js).
  const hostsScroll = h('div', { class: 'scroll' });
  const hosts = new KeyedTable({
    id: 'summary', keyAttribute: 'data-host', key: (x) => x.name, columns: hostColumns(ctx),
    scroller: hostsScroll,
  });
  hostsScroll.append(hosts.element);
  hosts.tbody.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    const host = button?.closest('tr')?.dataset.host;
    if (!button || host == null) return;
    if (button.dataset.action === 'drain') ctx.actions.drain(host);
    if (button.dataset.action === 'activate') ctx.actions.activate(host);
  });

  const operations = new KeyedTable({
    id: 'operations', keyAttribute: 'data-operation', key: (o) => o.Id, columns: operationColumns(ctx),
    sortKey: 'started',
  });
  operations.sortBy('started'); // newest first
  operations.tbody.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    const id = button?.closest('tr')?.dataset.operation;
    if (!button || id == null) return;
    if (button.hasAttribute('data-follow')) ctx.follow(id);
    if (button.dataset.action === 'cancel') ctx.actions.cancel(id);
  });
  const operationsSection = h('section', { class: 'block', 'aria-labelledby': 'operations-title', hidden: true },
    h('h2', { id: 'operations-title', text: 'Operations' }), h('div', { class: 'scroll short' }, operations.element));

  const toolbar = h('div', { class: 'toolbar' }, h('h1', { text: 'Cluster' }),
    ctx.canAct ? h('button', {
      type: 'button', 'data-action': 'balance', text: 'Balance…', onclick: () => ctx.actions.balance(),
    }) : null);

  const timeline = timelinePanel(ctx);

  const element = h('div', { class: 'view summary-view' }, toolbar, totals, operationsSection,
    h('section', { class: 'block', 'aria-labelledby': 'hosts-title' },
      h('h2', { id: 'hosts-title', text: 'Hosts' }), truncated, hostsScroll),
    timeline.element);

  function requests() {
    return [
      read(CLUSTER, CLUSTER_ATTRIBUTES),
      read(ALL_OPERATIONS, OPERATION_ROW_ATTRIBUTES, { ignoreErrors: true }),
      ...timeline.requests(),
    ];
  }

  function update([cluster, ops, ...timelineReplies]) {
    if (cluster?.status !== 200) throw new Refused(`cluster: ${errorText(cluster)}`, cluster?.status);
    const c = cluster.value;
    const now = (cluster.timestamp ?? Date.now() / 1000) * 1000;
    const rows = (c.Hosts ?? []).map((x) => ({ ...x, age: sampleAge(x, c.LastCollectEpochMillis, now) }));
    hosts.update(rows);

    setText(total.hosts, `${c.HostCount}${rows.length ? ` (${byState(rows)})` : ''}`);
    setText(total.domains, c.ActiveDomainCount === c.DomainCount ? c.DomainCount : `${c.DomainCount} (${c.ActiveDomainCount} running)`);
    setMeter(total.memory.firstChild, fraction(c.MemoryUsedBytes, c.MemoryBytes), bytesOf(c.MemoryUsedBytes, c.MemoryBytes));
    setMeter(total.cpu.firstChild, c.CpuUtilisation, percent(c.CpuUtilisation));
    setText(total.collected, c.LastCollectEpochMillis > 0
      // Jolokia's timestamp is in whole seconds: a round ended within it would read as the future.
      ? `${age(Math.max(0, (now - c.LastCollectEpochMillis) / 1000))} in ${duration(c.LastCollectDurationSeconds)}`
      : 'not yet');
    setText(total.failover, c.FailoverHostsTolerated >= 0
      ? `tolerates ${c.FailoverHostsTolerated} host failure${c.FailoverHostsTolerated === 1 ? '' : 's'} (level ${c.FailoverLevel})`
      : 'not worked out yet');
    const pending = Array.isArray(c.PendingAgents) ? c.PendingAgents : [];
    setText(total.pending, pending.length ? pending.join('; ') : 'none');
    total.pending.parentElement.hidden = pending.length === 0;
    total.failover.parentElement.classList.toggle('alarm', c.FailoverHostsTolerated >= 0 && c.FailoverHostsTolerated < c.FailoverLevel);

    truncated.hidden = rows.length >= c.HostCount;
    setText(truncated, `Showing ${rows.length} of ${c.HostCount} hosts: the coordinator's Jolokia cut the list short.`);

    const opRows = patternRows(ops);
    if (opRows != null) {
      const shown = opRows
        .filter((o) => !o.DryRun)
        .sort((a, b) => (b.State === 'RUNNING') - (a.State === 'RUNNING') || b.StartedEpochMillis - a.StartedEpochMillis)
        .slice(0, RECENT_OPERATIONS);
      operations.update(shown);
      operationsSection.hidden = shown.length === 0;
    }
    timeline.update(timelineReplies, opRows);
  }

  return { element, requests, update, stop: timeline.stop, title: 'Cluster' };
}
