// The page's Content-Security-Policy allows no inline script or style and no eval; data from
// the cluster must never become markup. The sources must not even try.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const FORBIDDEN = [
  /\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\beval\(/,
  /new Function\(/, /localStorage/, /sessionStorage/, /setAttribute\(\s*['"]style['"]/, /style=/,
  /javascript:/,
];

test('no source builds markup from strings, evaluates code or uses browser storage', () => {
  for (const name of readdirSync(new URL('../src/', import.meta.url))) {
    if (!name.endsWith('.js')) continue;
    const text = readFileSync(new URL(`../src/${name}`, import.meta.url), 'utf8');
    for (const pattern of FORBIDDEN) assert.doesNotMatch(text, pattern, `${name}: ${pattern}`);
  }
});

test('index.html has no inline script or style', () => {
  const html = readFileSync(new URL('../src/index.html', import.meta.url), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/);
  assert.doesNotMatch(html, /<style|style=|\son[a-z]+=/i);
});
