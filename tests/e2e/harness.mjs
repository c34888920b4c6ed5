// What every end-to-end scenario needs: the real csirt server on a free
// loopback port with a fresh data folder, an API client for fixtures, and
// Debian's Chromium (playwright-core) that may not reach any other origin.
// Each tests/e2e/e2e*.mjs scenario is its own process (run.sh runs them all):
//   const t = await startSession(import.meta.url, 'name');  ... t.check(...)
//   finish(t, main) runs main(t) and exits 0 only if every check held.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const started = Date.now();

export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

export function log(...a) { console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a); }

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

// A tiny API client with its own session, for the fixtures.
export class Client {
  constructor(base) { this.base = base; this.cookie = ''; this.csrf = ''; }
  async req(method, path, body) {
    const headers = { 'Content-Type': 'application/json' };
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    const r = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const set = r.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    const data = await r.json().catch(() => null);
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(data)}`);
    return data;
  }
  async login(username, password) {
    const me = await this.req('POST', '/api/auth/login', { username, password });
    this.csrf = me.csrf_token;
    return me;
  }
}

async function startServer(t, extraArgs) {
  const data = join(t.tmp, 'data');
  mkdirSync(data);
  t.server = spawn(t.bin, ['serve', '--listen', `127.0.0.1:${t.port}`, '--data', data, ...extraArgs], {
    env: { ...process.env, CSIRT_ADMIN_PASSWORD: t.adminPassword }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  t.server.stdout.on('data', (d) => { out += d; });
  t.server.stderr.on('data', (d) => { out += d; });
  t.server.on('exit', (code) => { if (code !== null && code !== 0) log('server exited', code, out); });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${t.base}/api/health`);
      if (r.ok) return;
    } catch (e) { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start: ' + out);
}

async function startBrowser(t) {
  t.context = await chromium.launchPersistentContext(join(t.tmp, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  t.context.setDefaultTimeout(10000);
  // Nothing may leave the server: any other origin is refused and counted.
  await t.context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(t.base) || u.startsWith('data:')) return route.continue();
    t.foreign.push(u);
    return route.abort();
  });
  t.page = t.context.pages()[0] || await t.context.newPage();
  t.page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) t.problems.push(m.text()); });
  t.page.on('pageerror', (e) => t.problems.push(String(e)));
}

// Starts the server and the browser for one scenario. Screenshots go to
// tests/e2e/screenshots/<prefix>-<name>.png. options.serverArgs are added
// to `csirt serve`.
export async function startSession(moduleUrl, prefix, options = {}) {
  const here = new URL('.', moduleUrl).pathname;
  const t = {
    bin: process.argv[2],
    shots: join(here, 'screenshots'),
    adminPassword: 'e2e-admin-' + randomBytes(6).toString('hex'),
    tmp: mkdtempSync(join(tmpdir(), 'csirt-e2e-')),
    failures: 0, foreign: [], problems: [], unlabelled: [],
  };
  t.check = (cond, what) => {
    if (cond) { log('ok  ', what); return; }
    t.failures += 1;
    log('FAIL', what);
  };
  // Every screenshot also checks that each input on the screen has a label.
  t.shot = async (name, full = true) => {
    const bad = await t.page.evaluate(() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map((el) => el.outerHTML.slice(0, 90)));
    for (const b of bad) t.unlabelled.push(`${name}: ${b}`);
    await t.page.screenshot({ path: join(t.shots, `${prefix}-${name}.png`), fullPage: full });
  };
  t.login = async (username, password) => {
    const page = t.page;
    await page.goto(t.base + '/');
    await page.waitForSelector('form.login');
    await page.fill('[name=username]', username);
    await page.fill('[name=password]', password);
    await page.click('button[type=submit]');
    await page.waitForSelector('#dash-steps');
  };
  mkdirSync(t.shots, { recursive: true });
  t.port = await freePort();
  t.base = `http://127.0.0.1:${t.port}`;
  await startServer(t, options.serverArgs || []);
  t.api = new Client(t.base);
  await t.api.login('admin', t.adminPassword);
  await startBrowser(t);
  return t;
}

// Runs main(t), then the checks every scenario shares, then cleans up and
// exits with the verdict.
export async function finish(t, main) {
  try {
    await main(t);
    t.check(t.unlabelled.length === 0, `every input on every screen has a label (${t.unlabelled.join(' | ')})`);
    t.check(t.foreign.length === 0, `no request left the server (${t.foreign.join(', ')})`);
    t.check(t.problems.length === 0, `no script error or CSP violation in the console (${t.problems.join(' | ')})`);
  } catch (e) {
    t.failures += 1;
    log('FAIL', e.stack || String(e));
  }
  if (t.context) await t.context.close().catch(() => {});
  if (t.server && t.server.exitCode === null) {
    // Wait for a clean stop: the server still writes (audit anchor, WAL
    // checkpoint) after SIGTERM, and the folder is removed after that.
    const exited = new Promise((resolve) => t.server.once('exit', resolve));
    t.server.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10000))]);
  }
  rmSync(t.tmp, { recursive: true, force: true, maxRetries: 3 });
  log(t.failures ? `${t.failures} check(s) failed` : 'all checks passed', `(screenshots in ${t.shots})`);
  process.exit(t.failures ? 1 : 0);
}
