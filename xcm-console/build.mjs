// Builds the console into one directory: index.html, app.js (one minified ES bundle), app.css,
// favicon.svg. Usage: node build.mjs [--outdir=DIR]  (default target/classes/xcm/console).
// Fails when a name is not [A-Za-z0-9_.-]+ or when the shipped JS+CSS passes the budget.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_GZIP_BYTES = 200 * 1024;
const arg = process.argv.find((a) => a.startsWith('--outdir='));
const outdir = resolve(arg ? arg.slice('--outdir='.length) : 'target/classes/xcm/console');

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const common = { bundle: true, minify: true, logLevel: 'warning', legalComments: 'none' };
await build({
  ...common,
  entryPoints: ['src/main.js'],
  outfile: join(outdir, 'app.js'),
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
});
await build({ ...common, entryPoints: ['src/app.css'], outfile: join(outdir, 'app.css') });
for (const file of ['index.html', 'favicon.svg']) {
  copyFileSync(join('src', file), join(outdir, file));
}

let shipped = 0;
for (const name of readdirSync(outdir).sort()) {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new Error(`console file name ${JSON.stringify(name)} is not [A-Za-z0-9_.-]+`);
  }
  const bytes = readFileSync(join(outdir, name));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  if (name.endsWith('.js') || name.endsWith('.css')) shipped += gzipped;
  console.log(`console: ${name.padEnd(12)} ${String(bytes.length).padStart(7)} B, gzipped ${String(gzipped).padStart(6)} B`);
}
console.log(`console: shipped JS+CSS gzipped ${(shipped / 1024).toFixed(1)} KiB (budget ${BUDGET_GZIP_BYTES / 1024} KiB) in ${outdir}`);
if (shipped > BUDGET_GZIP_BYTES) {
  throw new Error(`console: JS+CSS is ${shipped} B gzipped, over the ${BUDGET_GZIP_BYTES} B budget`);
}
