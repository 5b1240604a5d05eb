// The console's entry: sign-in or the signed-in shell, and the views by URL fragment:
//   #/            summary      #/host/<name>  detailed view of a host      #/audit  audit history
import { createActions } from './actions.js';
import { currentSession, jolokiaClient, signOut } from './api.js';
import { auditView } from './audit.js';
import { h } from './dom.js';
import { hostView } from './host.js';
import { operationPanel } from './operation.js';
import { Poller } from './poller.js';
import { signInView } from './signin.js';
import { summaryView } from './summary.js';

const root = document.getElementById('app');
let teardown = () => {};

function showSignIn(message) {
  teardown();
  teardown = () => {};
  document.title = 'XCM: sign in';
  root.replaceChildren(signInView(enter, message));
}

function markCurrent(link, current) {
  if (current) link.setAttribute('aria-current', 'page');
  else link.removeAttribute('aria-current');
}

/** The view for a URL fragment. */
function viewFor(hash, ctx) {
  if (hash.startsWith('#/host/')) {
    let name;
    try {
      name = decodeURIComponent(hash.slice('#/host/'.length));
    } catch {
      name = null;
    }
    if (name) return hostView(ctx, name);
  }
  if (hash === '#/audit') return auditView(ctx);
  return summaryView(ctx);
}

function enter(session) {
  teardown();
  const canAct = session.role === 'OPERATOR';
  const pollError = h('p', { id: 'poll-error', class: 'banner error', role: 'alert', hidden: true });
  const actionError = h('p', { id: 'action-error', class: 'banner error', role: 'alert', hidden: true });
  const actionResult = h('p', { id: 'action-result', class: 'banner ok', role: 'status', hidden: true });
  const main = h('main', { id: 'view' });
  const navSummary = h('a', { href: '#/', text: 'Cluster' });
  const navAudit = h('a', { href: '#/audit', text: 'Audit' });
  const signOutButton = h('button', { id: 'signout', type: 'button', text: 'Sign out' });

  const ctx = { session, canAct };
  const client = jolokiaClient(session, (why) => showSignIn(`Your session ended: sign in again (${why}).`));
  const poller = new Poller(client, (message) => {
    pollError.hidden = message == null;
    pollError.textContent = message ?? '';
  });
  Object.assign(ctx, {
    client,
    refresh: () => poller.now(),
    pollEvery: (seconds) => poller.every(seconds),
    follow: (id) => panel.follow(id),
    clearMessages: () => {
      actionError.hidden = true;
      actionResult.hidden = true;
    },
    showError: (text) => {
      actionResult.hidden = true;
      actionError.textContent = text;
      actionError.hidden = false;
    },
    showResult: (text) => {
      actionError.hidden = true;
      actionResult.textContent = text;
      actionResult.hidden = false;
    },
  });
  const actions = createActions(ctx);
  ctx.actions = actions;
  const panel = operationPanel(ctx);

  signOutButton.addEventListener('click', async () => {
    signOutButton.disabled = true;
    try {
      await signOut(session);
    } catch (e) {
      console.warn('sign-out:', e?.message ?? e);
    }
    showSignIn();
  });

  root.replaceChildren(
    h('header', { class: 'topbar' },
      h('a', { class: 'brand', href: '#/', text: 'XCM' }),
      h('nav', { 'aria-label': 'Views' }, navSummary, navAudit),
      h('span', { class: 'spacer' }),
      h('span', { id: 'whoami', 'data-role': session.role }, session.user, ' ',
        h('span', { class: 'role', text: session.role })),
      signOutButton),
    pollError, actionError, actionResult, panel.element, main, actions.dialog);

  let shown = null;
  function route() {
    shown?.stop?.();
    const view = viewFor(location.hash, ctx);
    shown = view;
    const onAudit = location.hash === '#/audit';
    markCurrent(navSummary, !onAudit);
    markCurrent(navAudit, onAudit);
    document.title = `XCM: ${view.title}`;
    main.replaceChildren(view.element);
    poller.show(view);
  }
  window.addEventListener('hashchange', route);
  teardown = () => {
    window.removeEventListener('hashchange', route);
    poller.stop();
    shown?.stop?.();
    panel.stop();
    if (actions.dialog.open) actions.dialog.close();
  };
  route();
}

async function start() {
  try {
    const session = await currentSession();
    if (session) enter(session);
    else showSignIn();
  } catch (e) {
    showSignIn(`The coordinator did not answer: ${e?.message ?? e}`);
  }
}

start();
