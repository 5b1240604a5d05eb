import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterHost, errorText, operation, patternRows, progress, quote, rates } from '../src/protocol.js';

test('names are quoted as ObjectName.quote does', () => {
  assert.equal(clusterHost('dmz01'), 'xcm:type=Cluster,host="dmz01"');
  assert.equal(quote('web,01=a:b'), '"web,01=a:b"');
  assert.equal(quote('a"b\\c*d?e\nf'), '"a\\"b\\\\c\\*d\\?e\\nf"');
  assert.equal(operation('op-1'), 'xcm:type=Operation,id="op-1"');
});

test('a refusal shows its reason without the exception class', () => {
  assert.equal(
    errorText({ status: 400, error: 'java.lang.IllegalArgumentException : drain dmz01 refused: web3 fits nowhere' }),
    'drain dmz01 refused: web3 fits nowhere');
  assert.equal(errorText({ status: 403, error: 'Access denied' }), 'Access denied');
  assert.equal(errorText({ status: 500 }), 'status 500');
});

test('a pattern read with no MBean (404) has no rows', () => {
  assert.deepEqual(patternRows({ status: 404, error: 'no MBean' }), []);
  assert.deepEqual(patternRows({ status: 200, value: { 'xcm:id="1",type=Operation': { Id: '1' } } }), [{ Id: '1' }]);
  assert.equal(patternRows({ status: 403, error: 'denied' }), null);
});

test('progress counts moves that ended', () => {
  const moves = ['SUCCEEDED', 'FAILED', 'RUNNING', 'PENDING', 'CANCELLED'].map((state) => ({ state }));
  assert.deepEqual(progress({ State: 'RUNNING', Moves: moves }), { ended: 3, total: 5 });
  assert.deepEqual(progress({ State: 'RUNNING', MovesTotal: 4, MovesDone: 1, MovesFailed: 1 }), { ended: 2, total: 4 });
  assert.deepEqual(progress({ State: 'SUCCEEDED', Moves: [] }), { ended: 1, total: 1 });
  assert.deepEqual(progress({ State: 'RUNNING', Moves: [] }), { ended: 0, total: 1 });
});

test('rates from two samples; a reset counter has none', () => {
  const a = { t: 1000, counters: { read: 100, write: 500 } };
  const b = { t: 3000, counters: { read: 300, write: 100 } };
  assert.deepEqual(rates(a, b), { read: 100, write: null });
  assert.equal(rates(null, b), null);
  assert.equal(rates(b, b), null);
});
