// The audit history (#/audit): OperationsMXBean.AuditLog, newest first, with a text filter.
import { h, setText } from './dom.js';
import { time } from './format.js';
import { OPERATIONS, Refused, errorText, read } from './protocol.js';

/** The text of an entry the filter searches: every field, as shown. */
export function entryText(e) {
  return `${time(e.epochMillis)} ${e.door} ${e.user} ${e.action} ${e.result}`.toLowerCase();
}

/** True when every word of the filter occurs in the entry's text (case-insensitive). */
export function matches(text, filter) {
  return filter.toLowerCase().split(/\s+/).filter(Boolean).every((word) => text.includes(word));
}

export function auditView() {
  const filter = h('input', {
    id: 'audit-filter', type: 'search', placeholder: 'e.g. drain dmz01, refused, ops',
    autocomplete: 'off', spellcheck: 'false',
  });
  const count = h('span', { id: 'audit-count', class: 'muted', role: 'status' });
  const tbody = h('tbody');
  const table = h('table', { id: 'audit', class: 'grid' },
    h('thead', null, h('tr', null, ['When', 'Door', 'User', 'Action', 'Result']
      .map((t) => h('th', { scope: 'col', text: t })))),
    tbody);
  const element = h('div', { class: 'view audit-view' },
    h('div', { class: 'toolbar' }, h('h1', { text: 'Audit' }),
      h('label', { for: 'audit-filter', text: 'Filter' }), filter, count),
    h('div', { class: 'scroll' }, table));

  let entries = [];
  let texts = [];
  let signature = '';

  function applyFilter() {
    const f = filter.value.trim();
    let shown = 0;
    tbody.childNodes.forEach((tr, i) => {
      const visible = f === '' || matches(texts[i], f);
      tr.hidden = !visible;
      if (visible) shown++;
    });
    setText(count, f === '' ? `${entries.length} entries` : `${shown} of ${entries.length} entries`);
  }
  filter.addEventListener('input', applyFilter);

  function requests() {
    return [read(OPERATIONS, 'AuditLog')];
  }

  function update([reply]) {
    if (reply?.status !== 200) throw new Refused(`audit: ${errorText(reply)}`, reply?.status);
    const list = Array.isArray(reply.value) ? reply.value : [];
    const first = list[0];
    const sig = `${list.length}:${first?.epochMillis}:${first?.action}:${first?.result}`;
    if (sig === signature) return;
    signature = sig;
    entries = list;
    texts = list.map(entryText);
    const fragment = document.createDocumentFragment();
    for (const e of list) {
      const refused = typeof e.result === 'string' && e.result.startsWith('refused');
      fragment.append(h('tr', { class: refused ? 'refused' : null },
        h('td', { class: 'nowrap', text: time(e.epochMillis) }),
        h('td', { text: e.door }),
        h('td', { text: e.user }),
        h('td', { text: e.action }),
        h('td', { text: e.result })));
    }
    tbody.replaceChildren(fragment);
    applyFilter();
  }

  return { element, requests, update, title: 'Audit' };
}
