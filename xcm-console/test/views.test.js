import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matches, entryText } from '../src/audit.js';
import { byState, sampleAge } from '../src/summary.js';
import { compare, rowWindow, sortRows } from '../src/table.js';

test('host names sort in natural order', () => {
  assert.ok(compare('dmz2', 'dmz10') < 0);
  assert.ok(compare(2, 10) < 0);
  const rows = [{ n: 'b', v: 1 }, { n: 'a', v: 1 }, { n: 'c', v: 0 }];
  assert.deepEqual(sortRows(rows, (r) => r.v, (r) => r.n, false).map((r) => r.n), ['c', 'a', 'b']);
  assert.deepEqual(sortRows(rows, (r) => r.v, (r) => r.n, true).map((r) => r.n), ['a', 'b', 'c']);
});

test('a windowed table draws the rows in view and half a view on either side', () => {
  const view = { height: 480, rowHeight: 24, count: 1000 }; // 20 rows in view
  assert.deepEqual(rowWindow({ ...view, offset: 0 }), { first: 0, last: 41 });
  assert.deepEqual(rowWindow({ ...view, offset: 2400 }), { first: 90, last: 131 });
  assert.deepEqual(rowWindow({ ...view, offset: 24_000 }), { first: 959, last: 1000 });
  assert.deepEqual(rowWindow({ ...view, offset: -50 }), { first: 0, last: 41 });
});

test('a small table, or one whose row height is not known, draws every row', () => {
  assert.deepEqual(rowWindow({ offset: 0, height: 480, rowHeight: 24, count: 100 }), { first: 0, last: 100 });
  assert.deepEqual(rowWindow({ offset: 0, height: 480, rowHeight: 0, count: 1000 }), { first: 0, last: 1000 });
});

test('hosts by state, ACTIVE first', () => {
  const hosts = ['MAINTENANCE', 'ACTIVE', 'ACTIVE', 'UNREACHABLE'].map((state) => ({ state }));
  assert.equal(byState(hosts), '2 ACTIVE · 1 MAINTENANCE · 1 UNREACHABLE');
});

test('sample age is the age at collection plus the time since', () => {
  assert.equal(sampleAge({ lastSampleAgeSeconds: 2 }, 10_000, 13_000), 5);
  assert.equal(sampleAge({ lastSampleAgeSeconds: -1 }, 10_000, 13_000), -1);
});

test('the audit filter wants every word', () => {
  const text = entryText({ epochMillis: 0, door: 'jolokia', user: 'ops', action: 'drain dmz01', result: 'refused: web3 fits nowhere' });
  assert.ok(matches(text, 'DRAIN refused'));
  assert.ok(matches(text, '  '));
  assert.ok(!matches(text, 'drain dmz02'));
});
