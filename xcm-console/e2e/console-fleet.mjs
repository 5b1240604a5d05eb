// The summary view of a large cluster (about 1,000 hosts) in a real browser: is it responsive?
// Debian's Chromium driven by playwright-core, as console-e2e.mjs drives it, against a live
// coordinator the caller started (./xcm bench console, xcm-it's ConsoleFleetIT):
//   XCM_CONSOLE_URL  the console, e.g. http://127.0.0.1:8780/ui/
//   XCM_MONITOR      "user:password" of the read-only monitor (or XCM_OPERATOR: reading is enough)
//   XCM_HOSTS        hosts the cluster has (optional: else as many as the view's total says)
//   CHROMIUM         the browser
// Timed in the page (performance.now(), requestAnimationFrame, PerformanceObserver 'longtask'):
//   first view  navigation to every host's row drawn and painted (and sign-in to the same);
//   sorting     a click on a column header to the rows painted in the new order;
//   scrolling   the host table wheeled from top to bottom: its longest task and frame gap;
//   poll        the 5 s tick that redraws the rows: its longest task and frame gap.
// Prints one line "console-fleet: {json}" and readable lines; exits 1 when the view is not
// responsive (LIMITS), 2 when it could not be measured.
import { loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { instrument } from './fleet-probe.mjs';

// What "responsive" means here, on a 2-core machine that also runs the coordinator, the simulated
// fleet and whatever else CI runs. Measured at 1,000 hosts on this project's shared 2 cores with a
// load average of 9 to 15 (other builds beside it), in seven runs: sorts 11-241 ms click to
// painted, their longest task under 200 ms but once 295 ms; scrolling's longest task 76-217 ms
// (once 393 ms) and frame gap 67-217 ms (once 383 ms), a poll update landing in it; a poll
// update's longest task at most 115 ms; the first view 0.4-1.6 s. The table as it was before it
// was windowed (every row in the document), in the same conditions: sorts 0.7-2.5 s with tasks of
// 0.6-2.1 s, a poll update's task up to 555 ms. RAIL's budget for a response to input is 100 ms;
// these limits leave a loaded machine two to five times that, and still fail a table that puts
// every row back into the document on a sort. A round over a limit is measured once more and each
// figure's better value kept: another process can stall the browser once, a slow view is slow
// every time (the 295 and 393 ms above were not there the second time).
export const LIMITS = {
  // Navigation to every host's row painted: one Jolokia read of 1,000 hosts and one drawing.
  firstViewMs: 5000,
  // Click on a column header to the rows painted in the new order.
  sortMs: 500,
  // The longest a task of a sort, of a scroll or of a poll update may hold the main thread: a
  // quarter of a second frozen is a stall anyone sees.
  longTaskMs: 250,
  // The longest time between two frames while scrolling or during a poll update.
  frameGapMs: 250,
};

const url = process.env.XCM_CONSOLE_URL;
const credentials = process.env.XCM_MONITOR ?? process.env.XCM_OPERATOR;
if (!url || !credentials || !process.env.CHROMIUM) {
  console.error('console-fleet: set XCM_CONSOLE_URL, XCM_MONITOR (user:password) and CHROMIUM');
  process.exit(2);
}
const [user, password] = credentials.split(/:(.*)/s);
const expected = Number(process.env.XCM_HOSTS ?? 0);
const SORTS = ['cpu', 'memory', 'state', 'labels', 'name', 'name'];
const POLLS = 2;

/** Measures in a browser of its own; the exit code: 0 responsive, 1 not, 2 not measured. */
async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
  let figures;
  try {
    figures = await measure(browser);
  } catch (e) {
    console.error(`console-fleet: not measured: ${e?.stack ?? e}`);
    return 2;
  } finally {
    await browser.close();
  }
  console.log(`console-fleet: ${JSON.stringify(figures)}`);
  report(figures);
  return figures.failures.length ? 1 : 0;
}

async function measure(browser) {
  const load = [loadavg()[0]];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
  });
  await page.addInitScript(instrument);

  await page.goto(url);
  await page.fill('#signin-user', user);
  await page.fill('#signin-password', password);
  const clicked = Date.now();
  await page.click('#signin-submit');
  const hosts = await allRows(page);
  const signInMs = Date.now() - clicked;

  let round = await measureRound(page, hosts);
  let remeasured = [];
  if (failures(round).length) {
    // Another process on the same 2 cores can stall the browser once; a slow view is slow again.
    // So what is over a limit is measured again, and each figure's better value is kept.
    remeasured = failures(round);
    console.log(`over a limit (${remeasured.join('; ')}): measuring again`);
    round = better(round, await measureRound(page, hosts));
  }
  if (errors.length) throw new Error(`the page reported errors: ${JSON.stringify(errors)}`);
  await context.close();
  load.push(loadavg()[0]);
  return {
    hosts,
    chromium: browser.version(),
    load,
    signInMs,
    ...round,
    limits: LIMITS,
    remeasured,
    failures: [
      ...(expected > 0 && hosts !== expected ? [`${hosts} host rows, not ${expected}`] : []),
      ...failures(round),
    ],
  };
}

/**
 * One round of measurements on the page loaded again (signed in: the first view an operator who
 * keeps the console in a tab sees, without the sign-in's round trip; sorted by host, at the top).
 */
async function measureRound(page, hosts) {
  await page.reload();
  await allRows(page);
  const firstView = await page.evaluate((n) => window.xcmProbe.firstView(n), hosts);

  const sorts = [];
  for (const column of SORTS) {
    await page.evaluate(() => window.xcmProbe.afterPoll());
    await page.evaluate((c) => window.xcmProbe.armSort(c), column);
    await page.click(`#summary th[data-col="${column}"] button`);
    sorts.push(await page.evaluate(() => window.xcmProbe.sorted()));
  }

  await page.evaluate(() => window.xcmProbe.afterPoll());
  const scroll = await scrollDown(page);

  const polls = [];
  for (let i = 0; i < POLLS; i++) polls.push(await page.evaluate(() => window.xcmProbe.nextPoll()));
  return { firstView, sorts, scroll, polls };
}

/** Waits until the summary holds a row for every host; returns how many. */
async function allRows(page) {
  await page.waitForSelector('#summary tr[data-host]', { timeout: 60_000 });
  const n = await page.waitForFunction((want) => {
    const rows = window.xcmProbe.hostRows();
    const total = parseInt(document.querySelector('[data-total="hosts"]')?.textContent ?? '', 10);
    const target = want > 0 ? want : total;
    return rows > 0 && rows === target ? rows : false;
  }, expected, { timeout: 60_000, polling: 'raf' });
  return n.jsonValue();
}

/**
 * Wheels the host table from top to bottom, a table's height at a time, as a user scrolls: each
 * step waits until the table has stopped moving.
 */
async function scrollDown(page) {
  const box = await page.locator('#summary').evaluate((table) => {
    const r = table.closest('.scroll').getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2, height: r.height };
  });
  await page.mouse.move(box.x, box.y);
  await page.evaluate(() => window.xcmProbe.startWatch());
  let steps = 0;
  for (;;) {
    await page.mouse.wheel(0, Math.round(box.height * 0.9));
    steps++;
    const atEnd = await page.evaluate(() => window.xcmProbe.scrollSettled());
    if (atEnd || steps > 500) break;
  }
  const watched = await page.evaluate(() => window.xcmProbe.stopWatch());
  return { steps, ...watched };
}

/** What is over its limit, one readable line each. */
const over = (what, value, limit) =>
  (value == null || !(value <= limit) ? [`${what} ${Math.round(value)} ms > ${limit} ms`] : []);

const judge = {
  firstView: (v) => over('first view', v.paintedMs, LIMITS.firstViewMs),
  sort: (s) => [
    ...over(`sort by ${s.column} ${s.order}`, s.ms, LIMITS.sortMs),
    ...over(`sort by ${s.column} ${s.order}: longest task`, s.longestTaskMs, LIMITS.longTaskMs),
    ...(s.inOrder ? [] : [`sort by ${s.column} ${s.order}: rows not in order`]),
  ],
  scroll: (s) => [
    ...over('scroll: longest task', s.longestTaskMs, LIMITS.longTaskMs),
    ...over('scroll: longest frame gap', s.longestFrameGapMs, LIMITS.frameGapMs),
    ...(s.reachedEnd ? [] : ['scroll: the last row was never reached']),
    ...(s.blankSteps ? [`scroll: ${s.blankSteps} steps showed no rows`] : []),
  ],
  poll: (p) => [
    ...over('poll update: longest task', p.longestTaskMs, LIMITS.longTaskMs),
    ...over('poll update: longest frame gap', p.longestFrameGapMs, LIMITS.frameGapMs),
  ],
};

function failures(r) {
  return [
    ...judge.firstView(r.firstView),
    ...r.sorts.flatMap(judge.sort),
    ...judge.scroll(r.scroll),
    ...r.polls.flatMap(judge.poll),
  ];
}

/** Each figure of two rounds with fewer failures (the first round's when even). */
function better(a, b) {
  const pick = (x, y, fails) => (fails(y).length < fails(x).length ? y : x);
  return {
    firstView: pick(a.firstView, b.firstView, judge.firstView),
    sorts: a.sorts.map((s, i) => pick(s, b.sorts[i], judge.sort)),
    scroll: pick(a.scroll, b.scroll, judge.scroll),
    polls: pick(a.polls, b.polls, (p) => p.flatMap(judge.poll)),
  };
}

function report(f) {
  const ms = (v) => (v == null ? '?' : `${Math.round(v)} ms`);
  // The Long Tasks API reports tasks of 50 ms or more.
  const task = (v) => (v ? `longest task ${ms(v)}` : 'no task of 50 ms or more');
  console.log(`The summary view of ${f.hosts} hosts in Chromium ${f.chromium}, load average `
    + `${f.load.map((l) => l.toFixed(1)).join(' -> ')}`);
  console.log(`  sign-in to every host's row       ${ms(f.signInMs)}`);
  console.log(`  first view, navigation to painted ${ms(f.firstView.paintedMs)} (hosts read at `
    + `${ms(f.firstView.readMs)}, drawn at ${ms(f.firstView.drawnMs)}; ${task(f.firstView.longestTaskMs)})`);
  for (const s of f.sorts) {
    console.log(`  sort by ${`${s.column}, ${s.order}`.padEnd(17)} click to painted ${ms(s.ms)} `
      + `(input to sorted and drawn ${ms(s.handlerMs)}; ${task(s.longestTaskMs)})`);
  }
  console.log(`  scroll to the last host in ${f.scroll.steps} steps, ${ms(f.scroll.ms)}: `
    + `${task(f.scroll.longestTaskMs)}, longest frame gap ${ms(f.scroll.longestFrameGapMs)}`
    + `${f.scroll.pollsDuring ? `, ${f.scroll.pollsDuring} poll(s) meanwhile` : ''}`);
  for (const p of f.polls) {
    console.log(`  poll update, reply to painted ${ms(p.ms)} (${p.rowsChanged} rows in the document `
      + `changed): ${task(p.longestTaskMs)}, longest frame gap ${ms(p.longestFrameGapMs)}`);
  }
  console.log(`  limits: ${JSON.stringify(LIMITS)}`);
  if (f.remeasured.length) console.log(`  measured again after: ${f.remeasured.join('; ')}`);
  for (const line of f.failures) console.log(`  NOT RESPONSIVE: ${line}`);
}

process.exit(await main());
