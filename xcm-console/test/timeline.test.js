import assert from 'node:assert/strict';
import { test } from 'node:test';
import { operationMarks, timelineSeries } from '../src/timeline.js';

const count = (epochMillis, host, domains, state = 'ACTIVE') => ({ epochMillis, host, state, domains });

// dmz01 drained: 8 domains move to dmz02 and dmz03 between 10 s and 20 s.
const drained = {
  sinceEpochMillis: 0,
  untilEpochMillis: 30_000,
  start: [count(0, 'dmz01', 8), count(0, 'dmz02', 0), count(0, 'dmz03', 0)],
  changes: [
    count(10_000, 'dmz01', 4, 'DRAINING'), count(10_000, 'dmz02', 2), count(10_000, 'dmz03', 2),
    count(20_000, 'dmz01', 0, 'MAINTENANCE'), count(20_000, 'dmz02', 4), count(20_000, 'dmz03', 4),
  ],
};

test('a few hosts get a step line each, from the start through each change to the end', () => {
  const s = timelineSeries(drained, { endMillis: 25_000 });
  assert.equal(s.spread, false);
  assert.deepEqual(s.x, [0, 10, 20, 30]);
  assert.deepEqual(s.lines.map((l) => l.label), ['dmz01', 'dmz02', 'dmz03']);
  assert.deepEqual(s.lines[0].values, [8, 4, 0, 0]);
  assert.deepEqual(s.lines[2].values, [0, 2, 4, 4]);
});

test('the line reaches the browser\'s now when that is later than the last round', () => {
  const s = timelineSeries(drained, { endMillis: 42_000 });
  assert.equal(s.x[s.x.length - 1], 42);
  assert.equal(s.lines[1].values[s.lines[1].values.length - 1], 4);
});

test('one host alone when the view is that host\'s', () => {
  const s = timelineSeries(drained, { host: 'dmz02' });
  assert.deepEqual(s.lines.map((l) => l.label), ['dmz02']);
  assert.deepEqual(s.lines[0].values, [0, 2, 4, 4]);
});

test('a host that joins later has no value before, one that leaves none after', () => {
  const s = timelineSeries({
    sinceEpochMillis: 0,
    untilEpochMillis: 20_000,
    start: [count(0, 'a', 1)],
    changes: [count(5_000, 'b', 3), count(10_000, 'a', 0, 'REMOVED')],
  });
  assert.deepEqual(s.lines[0].values, [1, 1, null, null]);
  assert.deepEqual(s.lines[1].values, [null, 3, 3, 3]);
});

test('many hosts become the spread over the ACTIVE ones: fewest, mean, most', () => {
  const start = Array.from({ length: 20 }, (_, i) => count(0, `h${String(i).padStart(2, '0')}`, i % 5));
  const s = timelineSeries({
    sinceEpochMillis: 0,
    untilEpochMillis: 10_000,
    start,
    changes: [count(5_000, 'h04', 9), count(5_000, 'h00', 0, 'MAINTENANCE')],
  }, { maxLines: 12 });
  assert.equal(s.spread, true);
  assert.deepEqual(s.lines.map((l) => l.label), ['fewest', 'mean', 'most']);
  assert.deepEqual(s.lines[0].values, [0, 0, 0]);
  assert.deepEqual(s.lines[2].values, [4, 9, 9]);
  assert.equal(s.lines[1].values[0], 2);
  assert.equal(s.lines[1].values[1], (40 - 4 + 9) / 19);
});

test('operations are marked from their start, dry runs and those before the window left out', () => {
  const rows = [
    { Id: 'b', Kind: 'DRAIN', Summary: 'drain dmz01', State: 'SUCCEEDED', StartedEpochMillis: 9_000, FinishedEpochMillis: 21_000 },
    { Id: 'a', Kind: 'MIGRATE', Summary: 'migrate web01 dmz03', State: 'RUNNING', StartedEpochMillis: 4_000, FinishedEpochMillis: 0 },
    { Id: 'c', Kind: 'DRAIN', Summary: 'drain dmz02', DryRun: true, StartedEpochMillis: 5_000 },
    { Id: 'd', Kind: 'BALANCE', Summary: 'balance', StartedEpochMillis: -5_000 },
  ];
  assert.deepEqual(operationMarks(rows, 0, 30_000).map((m) => [m.id, m.end]), [['a', null], ['b', 21_000]]);
  assert.deepEqual(operationMarks(rows, 0, 30_000, 'dmz01').map((m) => m.id), ['b']);
  assert.deepEqual(operationMarks(null, 0, 1), []);
});
