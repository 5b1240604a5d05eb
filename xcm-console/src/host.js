// The detailed view of one host (#/host/<name>): its figures and every domain on it, from
// xcm:type=Cluster,host="<name>" (ClusterHostMXBean). Disk and network rates are worked out here
// from the cumulative counters of two successive samples.
import { h, meter, setMeter, setState, setText } from './dom.js';
import { age, bytes, bytesOf, fraction, labels, percent, rate } from './format.js';
import {
  ALL_OPERATIONS, OPERATION_ROW_ATTRIBUTES, Refused, clusterHost, errorText, patternRows, rates, read,
} from './protocol.js';
import { KeyedTable } from './table.js';
import { timelinePanel } from './timeline.js';

const COUNTERS = {
  blockRead: 'blockReadBytes',
  blockWrite: 'blockWriteBytes',
  netReceive: 'networkReceiveBytes',
  netTransmit: 'networkTransmitBytes',
};

function rateColumn(key, label) {
  return {
    key, label, numeric: true, sort: (d) => d.rates?.[key] ?? -1,
    update: (td, d) => setText(td, rate(d.rates?.[key])),
  };
}

function domainColumns(ctx) {
  const columns = [
    { key: 'name', label: 'Domain', sort: (d) => d.name, update: (td, d) => setText(td, d.name) },
    {
      key: 'state', label: 'State', sort: (d) => d.state,
      create: (td) => td.append(h('span')), update: (td, d) => setState(td.firstChild, d.state),
    },
    {
      key: 'memory', label: 'Memory', numeric: true, sort: (d) => d.memoryBytes,
      update: (td, d) => {
        setText(td, bytes(d.memoryBytes));
        td.title = `at most ${bytes(d.maxMemoryBytes)}`;
      },
    },
    { key: 'vcpus', label: 'vCPUs', numeric: true, sort: (d) => d.vcpus, update: (td, d) => setText(td, d.vcpus) },
    {
      key: 'cpu', label: 'CPU (per vCPU)', sort: (d) => d.cpuUtilisation,
      create: (td) => td.append(meter()),
      update: (td, d) => setMeter(td.firstChild, d.cpuUtilisation, percent(d.cpuUtilisation)),
    },
    rateColumn('blockRead', 'Disk read'),
    rateColumn('blockWrite', 'Disk write'),
    rateColumn('netReceive', 'Net in'),
    rateColumn('netTransmit', 'Net out'),
    {
      key: 'rules', label: 'Rules', sort: (d) => d.rules || d.rulesError,
      update: (td, d) => {
        setText(td, d.rulesError ? `unreadable: ${d.rulesError}` : d.rules || '—');
        td.classList.toggle('error', Boolean(d.rulesError));
      },
    },
  ];
  if (ctx.canAct) {
    columns.push({
      key: 'actions', label: 'Actions',
      create: (td) => td.append(h('button', { type: 'button', 'data-action': 'migrate', text: 'Migrate to…' })),
      update: () => {},
    });
  }
  return columns;
}

/** @param ctx {canAct, actions}  @param name the host's name (from the URL: untrusted text) */
export function hostView(ctx, name) {
  const state = h('span', { 'data-fact': 'state' });
  const fact = {};
  const facts = h('dl', { id: 'host-facts', class: 'facts columns' });
  for (const [key, label] of [
    ['url', 'Agent'], ['labels', 'Labels'], ['cpus', 'CPUs'], ['memory', 'Memory used'],
    ['free', 'Memory free (agent)'], ['cpu', 'CPU'], ['domains', 'Domains'], ['sample', 'Sample'],
    ['missed', 'Missed rounds'], ['reason', 'State reason'], ['error', 'Last error'],
  ]) {
    fact[key] = h('dd', { 'data-fact': key });
    if (key === 'memory' || key === 'cpu') fact[key].append(meter());
    facts.append(h('div', { 'data-fact-item': key }, h('dt', { text: label }), fact[key]));
  }
  const drain = ctx.canAct
    ? h('button', { type: 'button', 'data-action': 'drain', text: 'Drain…', hidden: true, onclick: () => ctx.actions.drain(name) })
    : null;
  const activate = ctx.canAct
    ? h('button', { type: 'button', 'data-action': 'activate', text: 'Activate', hidden: true, onclick: () => ctx.actions.activate(name) })
    : null;
  const missing = h('p', { id: 'host-missing', class: 'warning', hidden: true });
  const timeline = timelinePanel(ctx, { host: name });

  const domains = new KeyedTable({
    id: 'host-detail', keyAttribute: 'data-domain', key: (d) => d.name, columns: domainColumns(ctx),
    caption: `Domains on ${name}`,
  });
  domains.tbody.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action="migrate"]');
    const domain = button?.closest('tr')?.dataset.domain;
    if (button && domain != null) ctx.actions.migrate(domain, name);
  });

  const element = h('div', { class: 'view host-view' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/', text: 'Cluster' }), ' / ', name),
    h('div', { class: 'toolbar' }, h('h1', null, name, ' ', state), drain, activate),
    missing, facts,
    h('section', { class: 'block' }, h('div', { class: 'scroll' }, domains.element)),
    timeline.element);

  let previous = new Map(); // domain -> {t, counters}
  const lastRates = new Map();

  function requests() {
    return [
      read(clusterHost(name)),
      read(ALL_OPERATIONS, OPERATION_ROW_ATTRIBUTES, { ignoreErrors: true }),
      ...timeline.requests(),
    ];
  }

  function update([reply, ops, ...timelineReplies]) {
    if (reply?.status === 404) {
      missing.hidden = false;
      setText(missing, `No host ${name} in the cluster: removed, or never known.`);
      facts.hidden = true;
      domains.update([]);
      return;
    }
    if (reply?.status !== 200) throw new Refused(`host ${name}: ${errorText(reply)}`, reply?.status);
    missing.hidden = true;
    facts.hidden = false;
    const x = reply.value;
    const now = (reply.timestamp ?? Date.now() / 1000) * 1000;
    setState(state, x.State);
    if (drain) drain.hidden = x.State !== 'ACTIVE';
    if (activate) activate.hidden = x.State !== 'MAINTENANCE' && x.State !== 'DRAINING';
    setText(fact.url, x.Url ?? '');
    const labelList = labels(x.Labels);
    fact.labels.replaceChildren(...(labelList.length
      ? labelList.map((l) => h('span', { class: 'chip', text: l })) : ['—']));
    setText(fact.cpus, x.Cpus);
    setMeter(fact.memory.firstChild, fraction(x.MemoryUsedBytes, x.MemoryBytes), bytesOf(x.MemoryUsedBytes, x.MemoryBytes));
    setText(fact.free, bytes(x.MemoryFreeBytes));
    setMeter(fact.cpu.firstChild, x.CpuUtilisation, percent(x.CpuUtilisation));
    setText(fact.domains, x.ActiveDomainCount === x.DomainCount ? x.DomainCount : `${x.DomainCount} (${x.ActiveDomainCount} running)`);
    setText(fact.sample, x.LastSampleEpochMillis > 0
      ? `${age(Math.max(0, (now - x.LastSampleEpochMillis) / 1000))}${x.AgentStale ? ' (the agent says its figures are stale)' : ''}`
      : 'never');
    setText(fact.missed, x.MissedRounds);
    setText(fact.reason, x.StateReason || '—');
    setText(fact.error, x.LastError || '—');
    fact.reason.parentElement.hidden = !x.StateReason;
    fact.error.parentElement.hidden = !x.LastError;

    const t = x.LastSampleEpochMillis;
    const next = new Map();
    const rows = (x.Domains ?? []).map((d) => {
      const counters = {};
      for (const [key, field] of Object.entries(COUNTERS)) counters[key] = d[field];
      const sample = { t, counters };
      const computed = rates(previous.get(d.name), sample);
      if (computed) lastRates.set(d.name, computed);
      next.set(d.name, computed || !previous.has(d.name) ? sample : previous.get(d.name));
      return { ...d, rates: lastRates.get(d.name) ?? null };
    });
    for (const k of [...lastRates.keys()]) if (!next.has(k)) lastRates.delete(k);
    previous = next;
    domains.update(rows);
    timeline.update(timelineReplies, patternRows(ops));
  }

  return { element, requests, update, stop: timeline.stop, title: name };
}
