// Bundles ui/src into ui/dist with esbuild: one JavaScript and one CSS file
// with content-hashed names (served with long cache headers by src/http/ui.c)
// and an index.html that loads them. No inline script or style, so the
// server's strict Content-Security-Policy holds. ui/dist is committed so
// that building the csirt binary does not need Node.js.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const here = new URL('.', import.meta.url).pathname;
const dist = here + 'dist/';

const result = await esbuild.build({
  entryPoints: { main: here + 'src/main.js', style: here + 'src/style.css' },
  bundle: true,
  minify: true,
  format: 'esm',
  // Chart.js is loaded by the dashboard with import(), in its own chunk, so
  // the first screen does not wait for it to be parsed.
  splitting: true,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  target: ['chrome109', 'firefox115', 'safari15'],
  write: false,
  outdir: dist + 'assets',
  legalComments: 'external',
  logLevel: 'warning',
  loader: { '.svg': 'dataurl' },
});

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist + 'assets', { recursive: true });
const names = {};
let first = 0;
let all = 0;
for (const f of result.outputFiles) {
  const name = f.path.slice(f.path.lastIndexOf('/') + 1);
  writeFileSync(dist + 'assets/' + name, f.contents);
  if (name.endsWith('.txt')) continue;
  // Served instead of the raw file to browsers that accept gzip (src/http/ui.c).
  const gz = gzipSync(f.contents, { level: 9 });
  writeFileSync(dist + 'assets/' + name + '.gz', gz);
  all += gz.length;
  if (/^main-.*\.js$/.test(name)) { names['main.js'] = name; first += gz.length; }
  if (/^style-.*\.css$/.test(name)) { names['style.css'] = name; first += gz.length; }
}
const html = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>csirt</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/${names['style.css']}">
<script type="module" src="/assets/${names['main.js']}"></script>
</head>
<body>
<div id="app"></div>
<noscript>Trang này cần JavaScript. / This page needs JavaScript.</noscript>
</body>
</html>
`;
writeFileSync(dist + 'index.html', html);
writeFileSync(dist + 'favicon.svg', readFileSync(here + 'src/favicon.svg'));
first += gzipSync(html, { level: 9 }).length;
// What dist was built from, so that a test can tell when someone changed
// ui/src and forgot to rebuild (tests/e2e/check_ui.py computes the same).
const inputs = ['build.mjs', 'package-lock.json', ...readdirSync(here + 'src', { recursive: true }).map((f) => 'src/' + f)]
  .sort();
const sum = createHash('sha256');
for (const f of inputs) {
  let data;
  try { data = readFileSync(here + f); } catch (e) { continue; }   // a folder
  sum.update(f + '\0').update(data).update('\0');
}
writeFileSync(dist + '.source-hash', sum.digest('hex') + '\n');
console.log(`ui: built ${Object.values(names).join(', ')}; gzip: first screen ${Math.round(first / 1024)} KB, all assets ${Math.round(all / 1024)} KB`);
