// The operator's actions, as OperationsMXBean defines them: drain (dry run first), activate,
// migrate (pick a destination), balance (plan first), cancel. A refusal (the Jolokia reply's
// error) is shown in #action-error before anything moves; a started operation is followed.
import { Refused, SessionEnded } from './api.js';
import { h } from './dom.js';
import { bytes } from './format.js';
import { planBody } from './plan.js';
import { CLUSTER, OPERATIONS, exec, operation, read } from './protocol.js';

const POLICIES = ['weighted', 'domain-count'];
const free = (host) => Math.max(0, host.memoryBytes - host.memoryUsedBytes);

/**
 * @param ctx {client, follow(id), refresh(), showError(text), showResult(text), clearMessages()}
 * @returns {{dialog: HTMLDialogElement, drain, activate, migrate, balance, cancel}}
 */
export function createActions(ctx) {
  const title = h('h2', { id: 'action-dialog-title' });
  const body = h('div', { class: 'dialog-body' });
  const confirm = h('button', { id: 'action-confirm', type: 'button', class: 'primary' });
  const dismiss = h('button', { id: 'action-dismiss', type: 'button', text: 'Cancel' });
  const dialog = h('dialog', { id: 'action-dialog', 'aria-labelledby': 'action-dialog-title' },
    title, body, h('div', { class: 'dialog-buttons' }, confirm, dismiss));
  let onConfirm = null;

  dismiss.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    onConfirm = null;
  });
  confirm.addEventListener('click', async () => {
    if (!onConfirm) return;
    const run = onConfirm;
    confirm.disabled = true;
    dismiss.disabled = true;
    try {
      await run();
    } finally {
      dismiss.disabled = false;
      if (dialog.open) dialog.close();
    }
  });

  function open(heading, nodes, confirmLabel, action) {
    setBody(nodes);
    title.textContent = heading;
    confirm.textContent = confirmLabel;
    confirm.disabled = action == null;
    onConfirm = action;
    if (!dialog.open) dialog.showModal();
  }

  function setBody(nodes) {
    body.replaceChildren(...nodes.flat().filter((n) => n != null));
  }

  /** Runs a request; a refusal goes to #action-error with what was asked, then returns undefined. */
  async function attempt(what, request) {
    try {
      return { value: await request() };
    } catch (e) {
      if (e instanceof SessionEnded) return null;
      const why = e instanceof Refused ? e.message : `failed: ${e?.message ?? e}`;
      ctx.showError(why.startsWith(what) ? why : `${what}: ${why}`);
      if (dialog.open) dialog.close();
      return null;
    }
  }

  /** Starts an operation (its exec returns the id) and follows it. */
  async function start(what, request) {
    const result = await attempt(what, () => ctx.client.one(request));
    if (!result) return;
    ctx.showResult(`${what}: started operation ${result.value}`);
    ctx.follow(result.value);
    ctx.refresh();
  }

  async function drain(host) {
    ctx.clearMessages();
    const what = `drain ${host}`;
    const dry = await attempt(`${what} (dry run)`, async () => {
      const id = await ctx.client.one(exec(OPERATIONS, 'drain', host, true));
      return ctx.client.one(read(operation(id), ['Plan', 'State', 'Errors']));
    });
    if (!dry) return;
    const op = dry.value;
    const errors = Array.isArray(op.Errors) ? op.Errors : [];
    const moves = op.Plan?.moves?.length ?? 0;
    open(`Drain ${host}`, [
      h('p', {
        text: `Dry run: ${moves} domain${moves === 1 ? '' : 's'} move off ${host}. It goes DRAINING `
          + 'at once (no new placements) and MAINTENANCE when empty.',
      }),
      errors.length ? h('ul', { class: 'error' }, errors.map((e) => h('li', { text: e }))) : null,
      planBody(op.Plan, false),
    ], `Drain ${host}`, () => start(what, exec(OPERATIONS, 'drain', host, false)));
  }

  async function activate(host) {
    ctx.clearMessages();
    const done = await attempt(`activate ${host}`, () => ctx.client.one(exec(OPERATIONS, 'activate', host)));
    if (!done) return;
    ctx.showResult(`${host} returned to service`);
    ctx.refresh();
  }

  async function migrate(domain, fromHost) {
    ctx.clearMessages();
    const hosts = await attempt(`migrate ${domain}`, () => ctx.client.one(read(CLUSTER, 'Hosts')));
    if (!hosts) return;
    const candidates = (hosts.value ?? [])
      .filter((x) => x.name !== fromHost && x.state !== 'REMOVED')
      .sort((a, b) => (b.state === 'ACTIVE') - (a.state === 'ACTIVE') || free(b) - free(a));
    if (candidates.length === 0) {
      ctx.showError(`migrate ${domain}: no other host in the cluster`);
      return;
    }
    const select = h('select', { id: 'migrate-to', name: 'toHost' }, candidates.map((x) => h('option', {
      value: x.name,
      text: `${x.name} — ${x.state}, ${bytes(free(x))} free, `
        + `${x.domains} domain${x.domains === 1 ? '' : 's'}`,
    })));
    open(`Migrate ${domain}`, [
      h('p', { text: `Live migration of ${domain} from ${fromHost}.` }),
      h('label', { for: 'migrate-to', text: 'Destination' }), select,
    ], `Migrate ${domain}`, () => start(`migrate ${domain} to ${select.value}`,
      exec(OPERATIONS, 'migrate', domain, select.value)));
    select.focus();
  }

  async function balance() {
    ctx.clearMessages();
    const select = h('select', { id: 'balance-policy', name: 'policy' },
      POLICIES.map((p) => h('option', { value: p, text: p })));
    const planned = h('div', { id: 'balance-plan' });
    const show = async () => {
      const policy = select.value;
      const plan = await attempt(`plan balance ${policy}`,
        () => ctx.client.one(exec(OPERATIONS, 'planBalance', policy)));
      if (!plan) return false;
      if (select.value !== policy) return true;
      planned.replaceChildren(...planBody(plan.value, true).filter((n) => n != null));
      const moves = plan.value?.moves?.length ?? 0;
      confirm.textContent = moves ? `Run balance (${moves} move${moves === 1 ? '' : 's'})` : 'Nothing to move';
      confirm.disabled = moves === 0;
      onConfirm = moves ? () => start(`balance ${policy}`, exec(OPERATIONS, 'balance', policy, false)) : null;
      return true;
    };
    select.addEventListener('change', () => show());
    open('Balance the cluster', [
      h('div', { class: 'inline' }, h('label', { for: 'balance-policy', text: 'Policy' }), select),
      planned,
    ], 'Planning…', null);
    if (!(await show())) return;
    confirm.focus();
  }

  async function cancel(id) {
    ctx.clearMessages();
    const done = await attempt(`cancel ${id}`, () => ctx.client.one(exec(OPERATIONS, 'cancel', id)));
    if (!done) return;
    ctx.showResult(`operation ${id}: cancelled; moves in flight finish`);
    ctx.refresh();
  }

  return { dialog, drain, activate, migrate, balance, cancel };
}
