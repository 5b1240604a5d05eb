// The followed operation: a <progress> of its moves, its state, and each move as it ends.
// Polls its OperationMXBean every second while it runs.
import { Refused, SessionEnded } from './api.js';
import { h, setState, setText } from './dom.js';
import { duration } from './format.js';
import { OPERATION_ATTRIBUTES, errorText, operation, progress } from './protocol.js';
import { KeyedTable } from './table.js';

const FOLLOW_INTERVAL_MS = 1000;
const ms = (x) => (x >= 0 ? duration(x / 1000) : '—');

/** @param ctx {client, canAct, actions, refresh()} */
export function operationPanel(ctx) {
  const summary = h('span', { id: 'operation-summary' });
  const bar = h('progress', { id: 'operation-progress', max: '1', value: '0', 'aria-labelledby': 'operation-summary' });
  const state = h('span', { id: 'operation-state', role: 'status' });
  const counts = h('span', { id: 'operation-counts', class: 'muted' });
  const cancel = ctx.canAct
    ? h('button', { type: 'button', 'data-action': 'cancel', text: 'Cancel', hidden: true })
    : null;
  const close = h('button', { type: 'button', class: 'link', text: 'Hide', 'aria-label': 'Hide the operation' });
  const errors = h('ul', { id: 'operation-errors', class: 'error', hidden: true });
  const moves = new KeyedTable({
    id: 'operation-moves',
    keyAttribute: 'data-move',
    key: (m) => String(m.index),
    sortKey: 'index',
    columns: [
      { key: 'index', label: '#', numeric: true, sort: (m) => m.index, update: (td, m) => setText(td, m.index + 1) },
      { key: 'domain', label: 'Domain', update: (td, m) => setText(td, m.domain) },
      { key: 'from', label: 'From', update: (td, m) => setText(td, m.from) },
      { key: 'to', label: 'To', update: (td, m) => setText(td, m.to) },
      { key: 'state', label: 'State', create: (td) => td.append(h('span')), update: (td, m) => setState(td.firstChild, m.state) },
      { key: 'attempts', label: 'Attempts', numeric: true, update: (td, m) => setText(td, m.attempts) },
      { key: 'duration', label: 'Duration', numeric: true, update: (td, m) => setText(td, ms(m.durationMillis)) },
      { key: 'downtime', label: 'Downtime', numeric: true, update: (td, m) => setText(td, ms(m.downtimeMillis)) },
      { key: 'error', label: 'Error', update: (td, m) => setText(td, m.error ?? '') },
    ],
  });
  const element = h('section', { id: 'operation', class: 'panel', hidden: true, 'aria-label': 'Operation' },
    h('div', { class: 'operation-head' },
      h('strong', { text: 'Operation' }), summary, bar, state, counts, cancel, close),
    errors, h('div', { class: 'scroll short' }, moves.element));

  let id = null;
  let timer = null;

  cancel?.addEventListener('click', () => id && ctx.actions.cancel(id).then(() => poll()));
  close.addEventListener('click', () => {
    stop();
    element.hidden = true;
  });

  function stop() {
    clearTimeout(timer);
    timer = null;
    id = null;
  }

  function follow(operationId) {
    stop();
    id = operationId;
    setText(summary, operationId);
    setState(state, 'RUNNING');
    setText(counts, '');
    bar.max = 1;
    bar.value = 0;
    moves.update([]);
    errors.hidden = true;
    element.hidden = false;
    poll();
  }

  async function poll() {
    const current = id;
    if (current == null) return;
    clearTimeout(timer);
    let reply;
    try {
      [reply] = await ctx.client.bulk([{ type: 'read', mbean: operation(current), attribute: OPERATION_ATTRIBUTES }]);
    } catch (e) {
      if (e instanceof SessionEnded) return stop();
      if (current === id) setText(counts, e instanceof Refused ? e.message : String(e));
      if (current === id) timer = setTimeout(poll, FOLLOW_INTERVAL_MS * 5);
      return undefined;
    }
    if (current !== id) return undefined;
    if (reply.status !== 200) {
      setState(state, 'GONE');
      setText(counts, reply.status === 404 ? `operation ${current} is no longer kept` : errorText(reply));
      return stop();
    }
    show(reply.value);
    if (reply.value.State === 'RUNNING') timer = setTimeout(poll, FOLLOW_INTERVAL_MS);
    else ctx.refresh();
    return undefined;
  }

  function show(op) {
    const { ended, total } = progress(op);
    bar.max = total;
    bar.value = ended;
    setText(summary, `${op.Summary ?? op.Id}${op.DryRun ? ' (dry run)' : ''}`);
    setState(state, op.State);
    const parts = [`${op.MovesDone ?? 0} of ${op.MovesTotal ?? 0} moves done`];
    if (op.MovesFailed) parts.push(`${op.MovesFailed} failed`);
    if (op.MovesIncomplete) parts.push(`${op.MovesIncomplete} incomplete`);
    if (op.MovesUnsettled) parts.push(`${op.MovesUnsettled} unsettled`);
    if (op.MovesInFlight) parts.push(`${op.MovesInFlight} in flight`);
    parts.push(duration(op.DurationSeconds));
    setText(counts, parts.join(' · '));
    if (cancel) cancel.hidden = op.State !== 'RUNNING';
    const errorList = Array.isArray(op.Errors) ? op.Errors : [];
    errors.replaceChildren(...errorList.map((e) => h('li', { text: e })));
    errors.hidden = errorList.length === 0;
    moves.update((op.Moves ?? []).map((m, index) => ({ ...m, index })));
  }

  return { element, follow, stop };
}
