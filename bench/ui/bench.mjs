// See run.sh. Seeds 300 varied incidents through the API, multiplies them
// in SQLite to N (rows, search index and deadlines copied as the service
// would write them), then measures pages in Chromium, each 5 times, and
// reports the median.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(new URL('../../tests/e2e/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const [bin, nArg] = process.argv.slice(2);
const N = Number(nArg || 100000);
// 'few': copies are closed incidents except one in 50 (a province's history:
// most stored incidents are closed); 'all': every copy stays open (worst case).
const OPEN = process.env.UI_BENCH_OPEN === 'all' ? 'all' : 'few';
const PW = 'bench-admin-password';
const tmp = mkdtempSync(join(tmpdir(), 'csirt-bench-ui-'));
const data = join(tmp, 'data');
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };

function start() {
  const p = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--data', data], { env: { ...process.env, CSIRT_ADMIN_PASSWORD: PW }, stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    let i = 0;
    const poll = async () => {
      try { if ((await fetch(base + '/api/health')).ok) return resolve(p); } catch (e) { /* not yet */ }
      if (++i > 200) return reject(new Error('server did not start'));
      setTimeout(poll, 100);
    };
    poll();
  });
}

async function seed() {
  let cookie = '';
  let csrf = '';
  const req = async (method, path, body) => {
    const r = await fetch(base + path, { method, headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf }, body: body && JSON.stringify(body) });
    const s = r.headers.get('set-cookie');
    if (s) cookie = s.split(';')[0];
    const j = await r.json();
    if (!r.ok) throw new Error(JSON.stringify(j));
    return j;
  };
  csrf = (await req('POST', '/api/auth/login', { username: 'admin', password: PW })).csrf_token;
  const so = await req('POST', '/api/orgs', { name: 'Sở Thông tin và Truyền thông', type: 'department' });
  const orgs = [];
  for (const n of ['Krông Ana', 'Lắk', 'Cư Kuin', 'Ea Kar', 'Buôn Đôn'])
    orgs.push((await req('POST', '/api/orgs', { name: `UBND huyện ${n}`, type: 'district', parent_id: so.id })).id);
  const kinds = [['1.3', 'Sự cố mã độc'], ['1.1', 'Tấn công từ chối dịch vụ'], ['1.5', 'Thay đổi giao diện'], ['1.2', 'Thư điện tử giả mạo'],
    ['1.6', 'Mã hóa dữ liệu đòi tiền chuộc'], ['2.1', 'Mất điện phòng máy chủ'], ['2.2', 'Mất kết nối Internet'], ['3.2', 'Lỗi cấu hình phần mềm']];
  const now = Date.now();
  for (let i = 0; i < 300; i++) {
    const [tax, name] = kinds[i % kinds.length];
    const detected = new Date(now - (i * 29 + 3) * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
    const r = await req('POST', '/api/incidents', { title: `${name} tại hệ thống số ${i}`, detected_at: detected, org_id: orgs[i % orgs.length], taxonomy_code: tax,
      description: 'Mô tả sự cố dùng cho đo hiệu năng.' });
    for (const to of ['1b', '1c', '1dd', '1e', '2'].slice(0, i % 6)) await req('POST', `/api/incidents/${r.id}/transitions`, { to, reason: 'bench' });
  }
  for (let i = 0; i < 30; i++) await req('POST', '/api/alerts', { source: 'ids', title: `Cảnh báo ${i}`, severity: 'medium', dedup_key: `k${i}` });
}

function multiply() {
  const db = join(data, 'csirt.db');
  const cols = execFileSync('sqlite3', [db, "SELECT group_concat(name, ',') FROM pragma_table_info('incidents') WHERE name NOT IN ('id','tracking_code')"]).toString().trim();
  const dcols = execFileSync('sqlite3', [db, "SELECT group_concat(name, ',') FROM pragma_table_info('deadlines') WHERE name NOT IN ('id','incident_id')"]).toString().trim();
  const copies = Math.ceil(N / 300) - 1;
  const sql = `
PRAGMA journal_mode=WAL;
BEGIN;
CREATE TEMP TABLE src AS SELECT id FROM incidents;
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ${copies})
INSERT INTO incidents (tracking_code, ${cols})
  SELECT i.tracking_code || '-' || k.n, ${cols.split(',').map((c) => 'i.' + c).join(',')} FROM incidents i, k WHERE i.id IN (SELECT id FROM src)
  ORDER BY k.n, i.id LIMIT ${N - 300};
INSERT INTO incidents_fts (rowid, text)
  SELECT c.id, f.text FROM incidents c JOIN incidents o ON o.tracking_code = substr(c.tracking_code, 1, length(o.tracking_code)) AND o.id IN (SELECT id FROM src)
  JOIN incidents_fts f ON f.rowid = o.id WHERE c.id NOT IN (SELECT id FROM src);
INSERT INTO deadlines (incident_id, ${dcols})
  SELECT c.id, ${dcols.split(',').map((x) => 'd.' + x).join(',')} FROM incidents c JOIN incidents o ON o.tracking_code = substr(c.tracking_code, 1, 26) AND o.id IN (SELECT id FROM src)
  JOIN deadlines d ON d.incident_id = o.id WHERE c.id NOT IN (SELECT id FROM src);
${OPEN === 'few' ? "UPDATE incidents SET step = 'closed', status = 'closed', closed_at = detected_at + 86400 WHERE id NOT IN (SELECT id FROM src) AND id % 50 <> 0;" : ''}
COMMIT;
ANALYZE;
SELECT count(*) FROM incidents;`;
  return execFileSync('sqlite3', [db], { input: sql }).toString().trim().split('\n').pop();
}

async function apiTimes() {
  const r = await fetch(base + '/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'admin', password: PW }) });
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const out = {};
  for (const [k, path] of [['dashboard', '/api/dashboard'], ['list', '/api/incidents'], ['search', '/api/incidents?q=su%20co%20ma%20doc'],
    ['sort', '/api/incidents?sort=title&order=asc'], ['deep', '/api/incidents?page=3000']]) {
    const t = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await (await fetch(base + path, { headers: { Cookie: cookie } })).arrayBuffer();
      t.push(performance.now() - t0);
    }
    out[k] = Math.round(median(t));
  }
  return out;
}

async function measure() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const out = {};
  const runs = { dash: [], chart: [], dashBytes: [], list: [], search: [], sort: [], deep: [] };
  for (let r = 0; r < 5; r++) {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });   // empty cache each time
    const page = await ctx.newPage();
    await page.goto(base + '/login');
    await page.fill('[name=username]', 'admin');
    await page.fill('[name=password]', PW);
    await page.click('button[type=submit]');
    await page.waitForSelector('#dash-steps');
    // A first load: new context with the session cookie but nothing cached.
    const cookies = await ctx.cookies();
    const ctx2 = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await ctx2.addCookies(cookies);
    const p2 = await ctx2.newPage();
    const cdp = await ctx2.newCDPSession(p2);
    await cdp.send('Network.enable');
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
    const t0 = Date.now();
    await p2.goto(base + '/');
    await p2.waitForSelector('#dash-steps');
    runs.dash.push(Date.now() - t0);
    await p2.waitForSelector('#dash-chart .chart-box.drawn');
    runs.chart.push(Date.now() - t0);
    await p2.waitForLoadState('networkidle');
    runs.dashBytes.push(bytes);
    const timed = async (key, fn, sel) => { const t = Date.now(); await fn(); await p2.waitForSelector(sel); runs[key].push(Date.now() - t); };
    await timed('list', () => p2.goto(base + '/incidents'), 'table.incidents tbody tr');
    await timed('search', () => p2.goto(base + '/incidents?q=su%20co%20ma%20doc'), '#page-info');
    await timed('sort', () => p2.goto(base + '/incidents?sort=title&order=asc'), '#page-info');
    await timed('deep', () => p2.goto(base + '/incidents?page=3000'), '#page-info');
    out.listText = await p2.textContent('#page-info');
    await ctx2.close();
    await ctx.close();
  }
  await browser.close();
  for (const [k, v] of Object.entries(runs)) out[k] = median(v);
  return out;
}

let server;
try {
  const t0 = Date.now();
  server = await start();
  await seed();
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  const count = multiply();
  console.log(`seeded ${count} incidents in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (process.env.UI_BENCH_DB_OUT) {
    // Keep the database for query work (sqlite3 shell), skip the browser.
    execFileSync('sqlite3', [join(data, 'csirt.db'), `.backup ${process.env.UI_BENCH_DB_OUT}`]);
    console.log(`database kept in ${process.env.UI_BENCH_DB_OUT}`);
  } else {
  server = await start();
  const a = await apiTimes();
  console.log(`open incidents: ${OPEN === 'all' ? 'all' : '1 in 50 of the copies'}; load average ${execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ')}`);
  console.log(`API alone (ms): dashboard ${a.dashboard}, list ${a.list}, search ${a.search}, sort ${a.sort}, page 3000 ${a.deep}`);
  const m = await measure();
  console.log(`dashboard first load: ${(m.dashBytes / 1024).toFixed(0)} KB on the wire (goal <= 300 KB), usable (tables shown) after ${m.dash} ms (goal <= 1000 ms), chart drawn after ${m.chart} ms`);
  console.log(`incident list, page 1: ${m.list} ms; search "su co ma doc": ${m.search} ms; sort by title: ${m.sort} ms; page 3000: ${m.deep} ms  (${m.listText})`);
  console.log('medians of 5 runs, each in a fresh browser context (nothing cached)');
  }
} finally {
  if (server) server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
