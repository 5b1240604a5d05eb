import assert from 'node:assert/strict';
import { test } from 'node:test';
import { age, bytes, bytesOf, duration, fraction, labels, percent, rate } from '../src/format.js';

const GiB = 1024 ** 3;

test('memory used of total is in the total\'s unit', () => {
  assert.equal(bytesOf(12 * GiB, 32 * GiB), '12.0 of 32.0 GiB');
  assert.equal(bytesOf(512 * 1024 ** 2, 32 * GiB), '0.5 of 32.0 GiB');
  assert.equal(bytesOf(0, 0), '0 of 0 B');
  assert.equal(bytesOf(-1, 10), '—');
});

test('bytes and rates', () => {
  assert.equal(bytes(34359738368), '32.0 GiB');
  assert.equal(bytes(1023), '1023 B');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(rate(1.5 * 1024 ** 2), '1.5 MiB/s');
  assert.equal(rate(null), '—');
});

test('CPU as a percentage', () => {
  assert.equal(percent(0.500040444343987), '50%');
  assert.equal(percent(0.123, 1), '12.3%');
  assert.equal(percent(-1), '—');
  assert.equal(fraction(1, 0), 0);
});

test('sample age', () => {
  assert.equal(age(4.2), '4 s ago');
  assert.equal(age(125), '2 min ago');
  assert.equal(age(7200), '2 h ago');
  assert.equal(age(-1), 'never');
  assert.equal(duration(0.85), '850 ms');
  assert.equal(duration(12.34), '12.3 s');
  assert.equal(duration(245), '4 min 05 s');
});

test('labels in the three forms Jolokia may send them', () => {
  assert.deepEqual(labels('rack=r1,ssd=true'), ['rack=r1', 'ssd=true']);
  assert.deepEqual(labels(''), []);
  assert.deepEqual(labels({ ssd: 'true', rack: 'r1' }), ['rack=r1', 'ssd=true']);
  assert.deepEqual(labels([{ key: 'rack', value: 'r1' }]), ['rack=r1']);
});
