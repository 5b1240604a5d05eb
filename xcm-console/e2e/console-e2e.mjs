// The console in a real browser (Debian's Chromium, driven by playwright-core) against a live
// cluster the caller started: XCM_CONSOLE_URL, XCM_OPERATOR and XCM_MONITOR ("user:password"),
// XCM_SHOTS (a directory for screenshots), CHROMIUM (the browser). Run by ConsoleIT in xcm-it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const url = process.env.XCM_CONSOLE_URL;
const shots = process.env.XCM_SHOTS;
const [operator, operatorPassword] = process.env.XCM_OPERATOR.split(/:(.*)/s);
const [monitor, monitorPassword] = process.env.XCM_MONITOR.split(/:(.*)/s);
let browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
});

async function signIn(user, password) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The page asks whether a session is alive before signing in: Chromium logs that 401 itself.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
  });
  const opened = Date.now();
  await page.goto(url);
  await page.waitForSelector('#signin-user');
  const formMs = Date.now() - opened;
  await page.fill('#signin-user', user);
  await page.fill('#signin-password', password);
  const started = Date.now();
  await page.click('#signin-submit');
  try {
    await page.waitForSelector('#summary tr[data-host]');
  } catch (e) {
    await page.screenshot({ path: `${shots}/signin-failed.png`, fullPage: true });
    throw new Error(`no summary after signing in as ${user}: page says `
      + `${JSON.stringify(await page.innerText('body'))}; errors ${JSON.stringify(errors)}`, { cause: e });
  }
  return { context, page, errors, formMs, drawnMs: Date.now() - started };
}

/** Milliseconds from asking for the console (signed in already) to its summary's rows drawn. */
async function firstView(page) {
  const started = Date.now();
  await page.reload();
  await page.waitForSelector('#summary tr[data-host]');
  return Date.now() - started;
}

/** Waits until the timeline's line for `host` ends at `domains` (its accessible table says). */
async function timelineEndsAt(page, host, domains) {
  await page.waitForFunction(
    ([h, d]) => document.querySelector(`#timeline-table tr[data-line="${h}"] [data-at="now"]`)?.textContent === String(d),
    [host, domains], { timeout: 30_000 });
}

test('a monitor sees every view filled and no action button', async () => {
  const { context, page, errors, formMs, drawnMs } = await signIn(monitor, monitorPassword);
  const viewMs = await firstView(page);
  // The bound is 1 s on the demo; measured here at a few hundred ms (console-e2e prints it).
  console.log(`console-first-view: sign-in form ${formMs} ms; summary ${drawnMs} ms after sign-in;`
    + ` summary ${viewMs} ms after a reload with a session`);
  assert.ok(viewMs <= 1000, `first view drawn in ${viewMs} ms, over 1 s`);
  const hosts = await page.$$eval('#summary tr[data-host]', (rows) => rows.map((r) => r.dataset.host));
  assert.deepEqual(hosts.sort(), ['dmz01', 'dmz02', 'dmz03']);
  const state = await page.textContent('#summary tr[data-host="dmz01"] [data-col="state"]');
  assert.match(state, /ACTIVE/);
  assert.equal(await page.locator('button[data-action]').count(), 0);
  await page.waitForSelector('#timeline canvas');
  await timelineEndsAt(page, 'dmz01', 8);
  await page.screenshot({ path: `${shots}/summary-monitor.png`, fullPage: true });

  await page.click('#summary tr[data-host="dmz01"] a');
  await page.waitForSelector('#host-detail tr[data-domain]');
  assert.ok((await page.locator('#host-detail tr[data-domain]').count()) > 0);
  assert.equal(await page.locator('button[data-action]').count(), 0);
  await timelineEndsAt(page, 'dmz01', 8);
  await page.screenshot({ path: `${shots}/host-monitor.png`, fullPage: true });

  await page.click('nav a[href="#/audit"]');
  await page.waitForSelector('#audit tbody tr');
  await page.screenshot({ path: `${shots}/audit-monitor.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a migrate to a host without room is refused with the reason shown, and nothing moves',
  async () => {
    const { context, page, errors } = await signIn(operator, operatorPassword);
    await page.click('#summary tr[data-host="dmz01"] a');
    await page.click('#host-detail tr[data-domain="db01"] button[data-action="migrate"]');
    await page.waitForSelector('#action-dialog[open] #migrate-to');
    await page.selectOption('#migrate-to', 'dmz03');
    await page.click('#action-confirm');
    await page.waitForSelector('#action-error:not([hidden])');
    const reason = await page.textContent('#action-error');
    assert.match(reason, /dmz03 has .* GiB free .* db01 needs 8\.0 GiB/);
    await page.screenshot({ path: `${shots}/migrate-refused.png`, fullPage: true });
    assert.ok(await page.locator('#action-result').isHidden(), 'no operation was started');
    // Two polls later db01 is still on dmz01, and dmz03 still runs nothing.
    await page.waitForTimeout(2500);
    assert.equal(await page.locator('#host-detail tr[data-domain="db01"]').count(), 1);
    await page.click('nav a[href="#/"]');
    await page.waitForSelector('#summary tr[data-host="dmz03"]');
    assert.equal((await page.textContent('#summary tr[data-host="dmz03"] [data-col="domains"]')).trim(), '0');
    assert.deepEqual(errors.filter((e) => !/status of 4\d\d/.test(e)), []);
    await context.close();
  });

test('an operator drains a host from the console, watches it end, and activates it again',
  async () => {
    const { context, page, errors } = await signIn(operator, operatorPassword);
    await page.click('#summary tr[data-host="dmz01"] a');
    await page.waitForSelector('#host-detail tr[data-domain]');
    await page.click('button[data-action="drain"]');
    await page.waitForSelector('#action-dialog[open]');
    await page.screenshot({ path: `${shots}/drain-plan.png`, fullPage: true });
    await page.click('#action-confirm');
    await page.waitForFunction(
      () => document.querySelector('#operation-state')?.textContent === 'SUCCEEDED',
      null, { timeout: 60_000 });
    const progress = await page.$eval('#operation-progress', (p) => [p.value, p.max]);
    assert.equal(progress[0], progress[1]);
    await page.waitForFunction(
      () => /MAINTENANCE/.test(document.querySelector('[data-fact="state"]')?.textContent ?? ''),
      null, { timeout: 30_000 });
    await page.screenshot({ path: `${shots}/drained.png`, fullPage: true });
    await page.click('nav a[href="#/"]');
    await page.waitForFunction(
      () => /MAINTENANCE/.test(
        document.querySelector('#summary tr[data-host="dmz01"] [data-col="state"]')?.textContent ?? ''),
      null, { timeout: 30_000 });
    // The timeline shows the drain: dmz01's line down to 0, the operation marked on it.
    await timelineEndsAt(page, 'dmz01', 0);
    const marks = await page.$$eval('#timeline-marks li[data-kind="DRAIN"]', (items) => items.map((i) => i.textContent));
    assert.ok(marks.some((m) => /drain dmz01/.test(m)), `timeline marks ${JSON.stringify(marks)}`);
    await page.locator('#timeline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/timeline-drained.png`, fullPage: true });
    await page.goBack();
    await page.click('button[data-action="activate"]');
    if (await page.locator('#action-dialog[open] #action-confirm').count()) {
      await page.click('#action-confirm');
    }
    await page.waitForFunction(
      () => /ACTIVE/.test(document.querySelector('[data-fact="state"]')?.textContent ?? ''),
      null, { timeout: 30_000 });
    assert.deepEqual(errors, []);
    await context.close();
  });

test('a request carrying the session cookie from another site, or without the token, is refused',
  async () => {
    const { context } = await signIn(operator, operatorPassword);
    const jolokia = new URL('../jolokia/', url).toString();
    const drain = { type: 'exec', mbean: 'xcm:type=Operations', operation: 'drain', arguments: ['dmz02', false] };
    const crossSite = await context.request.post(jolokia, {
      data: drain, headers: { Origin: 'https://evil.example' }, failOnStatusCode: false,
    });
    assert.equal(crossSite.status(), 403);
    const withoutToken = await context.request.post(jolokia, { data: drain, failOnStatusCode: false });
    assert.equal(withoutToken.status(), 403);
    assert.match(await withoutToken.text(), /CSRF token/);
    await context.close();
  });
