// End-to-end tests of the csirt web interface, the incident procedure and
// administration: the real server on a free loopback port with a fresh data
// folder, Debian's Chromium driven by playwright-core (tests/e2e/harness.mjs).
// Fixtures (organisations, users, systems, alerts) are made through the API;
// everything a user does is done through the pages.
// Usage: node e2e.mjs path/to/csirt
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { finish, log, sha256, startSession } from './harness.mjs';

async function fixtures(api) {
  const so = await api.req('POST', '/api/orgs', { name: 'Sở Thông tin và Truyền thông', type: 'department', contact_hotline: '0262 3 123 456' });
  const a = await api.req('POST', '/api/orgs', { name: 'UBND huyện Krông Ana', type: 'district', parent_id: so.id });
  const b = await api.req('POST', '/api/orgs', { name: 'UBND huyện Lắk', type: 'district', parent_id: so.id });
  await api.req('POST', '/api/orgs', { name: 'Văn phòng HĐND-UBND huyện Krông Ana', type: 'unit', parent_id: a.id });
  const sysA = await api.req('POST', '/api/systems', { name: 'Cổng thông tin điện tử huyện Krông Ana', owner_org_id: a.id, operator_org_id: a.id, level: 2, system_type: 'citizen_service', domains: ['krongana.daklak.gov.vn'] });
  await api.req('POST', '/api/systems', { name: 'Hệ thống quản lý văn bản huyện Lắk', owner_org_id: b.id, operator_org_id: b.id, level: 3,
    components: { items: [{ name: 'openssh', version: '9.2p1' }] } });
  await api.req('POST', '/api/users', { username: 'dieuphoi', full_name: 'Trần Thị Điều Phối', role: 'coordinator', org_id: so.id, password: 'dieuphoi-pass-2026' });
  await api.req('POST', '/api/users', { username: 'canbo_a', full_name: 'Lê Văn Cán Bộ', role: 'unit_officer', org_id: a.id, password: 'canbo-a-pass-2026' });
  await api.req('POST', '/api/team/members', { full_name: 'Phạm Minh Ứng Cứu', position: 'Trưởng phòng', role_in_team: 'Đội trưởng', org_id: so.id, expertise: ['management', 'malware_analysis'], is_primary_contact: true });
  await api.req('PATCH', '/api/team', { name: 'Đội ứng cứu sự cố an toàn thông tin mạng tỉnh', decision_no: '123/QĐ-UBND', decision_date: '2024-03-01' });
  // Another unit's incident, which the unit officer of A must not see; it
  // shares an IP with the one created in the browser ("seen in 1 other").
  const hour = new Date(Date.now() - 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const incB = await api.req('POST', '/api/incidents', { title: 'Tấn công thay đổi giao diện cổng huyện Lắk', detected_at: hour, org_id: b.id, taxonomy_code: '1.5', observables: [{ type: 'ip', value: '203.0.113.66' }] });
  // Alerts: two duplicates to merge, one to promote after.
  const al1 = await api.req('POST', '/api/alerts', { source: 'ids', title: 'Quét cổng từ 198.51.100.7', severity: 'medium', host: 'fw-so' });
  const al2 = await api.req('POST', '/api/alerts', { source: 'ids', title: 'Quét cổng lặp lại từ 198.51.100.7', severity: 'medium', host: 'fw-so' });
  await api.req('POST', '/api/alerts', { source: 'hunt', title: 'Tệp nghi mã độc trên máy chủ thư', severity: 'high' });
  return { so, a, b, sysA, incB, al1, al2 };
}

async function main(t) {
  const { page, base, api, check, shot } = t;
  const ADMIN_PW = t.adminPassword;
  const fx = await fixtures(api);
  log('fixtures ready');

  // --- Log in -------------------------------------------------------
  await page.goto(base + '/');
  await page.waitForSelector('form.login');
  check(page.url().endsWith('/login?next=%2F'), 'an anonymous visitor is sent to the log-in page');
  check(await page.locator('label[for]').count() >= 2, 'log-in inputs have labels');

  await shot('01-login');
  await page.fill('[name=username]', 'admin');
  await page.fill('[name=password]', 'wrong-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('#login-error:not(:empty)');
  check((await page.textContent('#login-error')).includes('không đúng'), 'a wrong password gives a clear message');
  await page.fill('[name=password]', ADMIN_PW);
  await page.click('button[type=submit]');
  await page.waitForSelector('#dash-steps');
  check(await page.isVisible('#dash-chart'), 'log-in leads to the dashboard');
  await page.waitForSelector('#dash-chart .chart-box.drawn');
  check(true, 'the chart (Chart.js, loaded on demand) is drawn');
  await shot('02-dashboard');

  // --- Create an incident, with a validation message beside the field --
  await page.click('a[data-nav="/incidents/new"]');
  await page.waitForSelector('form.incident-new');
  await page.click('form.incident-new button[type=submit]');
  const titleErr = page.locator('[data-field="title"] .field-error');
  await titleErr.waitFor();
  check((await titleErr.textContent()).includes('bắt buộc'), 'a missing title is reported beside the title field');
  await page.fill('[data-field="title"] input', 'Sự cố mã độc tại Cổng thông tin huyện Krông Ana');
  await page.fill('[data-field="description"] textarea', 'Phát hiện tệp lạ trên máy chủ web; máy chủ kết nối tới 203.0.113.66.');
  await page.fill('[data-field="detected_at"] input', vnLocal(Date.now() + 3 * 86400e3));
  await page.click('form.incident-new button[type=submit]');
  const futureErr = page.locator('[data-field="detected_at"] .field-error');
  await futureErr.waitFor();
  check((await futureErr.textContent()).includes('tương lai'), 'the server\'s message about a future detection time appears beside that field, in Vietnamese');
  await page.fill('[data-field="detected_at"] input', vnLocal(Date.now() - 2 * 3600e3));
  await page.selectOption('[data-field="org_id"] select', String(fx.a.id));
  await page.selectOption('[data-field="systems"] select', [String(fx.sysA.id)]);
  await page.selectOption('[data-field="taxonomy_code"] select', '1.3');
  await page.fill('[data-field="reporter_org"] input', 'UBND huyện Krông Ana');
  await page.fill('[data-field="contact_name"] input', 'Lê Văn Cán Bộ');
  await page.check('#notified-coordinator');
  await page.check('#detection_methods-log_review');
  await shot('03-incident-new');
  await page.click('form.incident-new button[type=submit]');
  await page.waitForSelector('#procedure');
  const incUrl = page.url();
  const incId = Number(incUrl.split('/').pop());
  const code = (await page.textContent('#tracking-code')).trim();
  check(/^SC\d{4}-/.test(code), `the new incident has a tracking code (${code})`);
  check((await page.locator('#procedure .moves button').count()) === 1 && await page.isVisible('#procedure button[data-to="1b"]'), 'at 1a only the move to 1b is offered');
  check(await page.isVisible('#deadlines .countdown'), 'deadlines show a countdown');
  const c1 = await page.textContent('#deadlines .countdown');
  await page.waitForTimeout(1100);
  check(c1 !== await page.textContent('#deadlines .countdown'), 'the countdown is live');
  await shot('04-incident');

  // --- Observable seen in another incident, comment, evidence ---------
  await page.selectOption('#observables select', 'ip');
  await page.fill('#observables [data-field="value"] input', '203.0.113.66');
  await page.click('#observables button[type=submit]');
  await page.waitForSelector('#observables td.seen');
  check((await page.textContent('#observables td.seen')).includes('1 sự cố khác'), 'an observable shows "seen in 1 other incident"');
  await page.fill('#comments textarea', 'Đã cô lập máy chủ web khỏi mạng.');
  await page.click('#comments button[type=submit]');
  await page.waitForSelector('#comments li p.pre');
  check((await page.textContent('#comments')).includes('cô lập'), 'a comment is added');

  const payload = randomBytes(200000);
  payload.write('MZ nhật ký sự cố', 0, 'utf8');
  await page.setInputFiles('#evidence input[type=file]', { name: 'nhat-ky-may-chu.bin', mimeType: 'application/octet-stream', buffer: payload });
  await page.fill('#evidence [data-field="description"] input', 'Bản sao tệp lạ');
  await page.click('#evidence button[type=submit]');
  await page.waitForSelector('#evidence code.sha');
  const shown = (await page.textContent('#evidence code.sha')).trim();
  check(shown === sha256(payload), 'the SHA-256 shown is that of the uploaded file');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#evidence a.evidence-link')]);
  const got = readFileSync(await download.path());
  check(sha256(got) === sha256(payload) && got.length === payload.length, 'the downloaded evidence is intact (same SHA-256)');
  {
    const [form] = await Promise.all([page.waitForEvent('download'), page.click('#forms a.form-link[href*="form03?format=pdf"]')]);
    const pdf = readFileSync(await form.path());
    check(pdf.subarray(0, 4).toString() === '%PDF', 'Form 03 of the incident downloads as a PDF from its page');
  }

  // --- The procedure, with the 3c -> 2 loop, to closure ---------------
  const move = async (to, reason) => {
    await page.click(`#procedure button[data-to="${to}"]`);
    await page.fill('#move-reason', reason);
    await page.click('#move-confirm');
    await page.waitForFunction((want) => {
      const el = document.querySelector('#current-step strong');
      return el && el.textContent.startsWith(want);
    }, to === 'closed' ? 'Đã đóng' : (to === '1dd' ? '1đ.' : to + '.'));
  };
  await page.click('#procedure button[data-to="1b"]');
  await page.click('#move-confirm');
  await page.waitForSelector('.move-form [data-field="reason"] .field-error:not(:empty)');
  check(true, 'a move without a reason is refused with a message beside the reason');
  await page.click('.move-form button.secondary');
  // The first move by keyboard only: focus the button, Enter, type, Tab, Enter.
  await page.focus('#procedure button[data-to="1b"]');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Đã xác minh: mã độc thật');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (document.querySelector('#current-step strong') || {}).textContent?.startsWith('1b.'));
  check(true, 'a move can be made with the keyboard alone');
  for (const [to, why] of [['1c', 'Đã cô lập máy chủ'], ['1dd', 'Tự xử lý, không cần Ban Chỉ đạo'],
    ['1e', 'Đã báo cáo Sở TT&TT'], ['2', 'Điều phối xong'], ['3a', 'Đã ngăn chặn'], ['3b', 'Đã gỡ mã độc'], ['3c', 'Đã khôi phục từ bản sao lưu']])
    await move(to, why);
  check(await page.isVisible('#procedure button[data-to="4"]') && await page.isVisible('#procedure button[data-to="2"]'), 'at 3c both "stable -> 4" and "not stable -> back to 2" are offered');
  check((await page.textContent('#procedure button[data-to="2"]')).includes('quay lại 2'), 'the loop button says "back to 2"');
  await shot('05-incident-3c', false);
  await move('2', 'Kiểm tra lại thấy còn kết nối lạ');
  check(true, '3c -> 2: the loop back works');
  for (const [to, why] of [['3a', 'Gỡ nốt tiến trình lạ'], ['3b', 'Khôi phục lại'], ['3c', 'Kiểm tra lần hai']]) await move(to, why);
  await move('4', 'Hệ thống ổn định sau 24 giờ theo dõi');
  check(await page.isVisible('#closure') && !(await page.isVisible('#procedure button[data-to="closed"]')), 'at 4 closing needs the Form 04 data first');
  await page.fill('#closure [data-field="closure"] textarea', 'Mã độc khai thác lỗ hổng plugin; đã gỡ bỏ, vá lỗi và đổi mật khẩu.');
  await page.fill('#closure [data-field="proposals"] textarea', 'Cập nhật plugin định kỳ; giám sát kết nối ra ngoài.');
  await page.click('#closure-save');
  await page.waitForSelector('#procedure button[data-to="closed"]');
  await move('closed', 'Đã hoàn thành Biểu mẫu 04');
  check((await page.textContent('.badges')).includes('Đã đóng'), 'the incident is closed');
  const skipped = await page.$$eval('#procedure li.skipped .dot', (els) => els.map((e) => e.textContent));
  check(skipped.join(',') === '1d', `the progress line shows 1d as skipped, not done (${skipped})`);
  const tl = await page.textContent('#timeline');
  check(tl.includes('3c -> 2') && tl.includes('4 -> closed'), 'the timeline records the loop and the closure');
  await shot('06-incident-closed');

  // --- List: search without diacritics, sort, filters ------------------
  await page.goto(base + '/incidents');
  await page.waitForSelector('table.incidents');
  await page.fill('[data-field="q"] input', 'su co ma doc krong ana');
  await page.click('form.filters button[type=submit]');
  await page.waitForFunction(() => location.search.includes('q='));
  await page.waitForSelector('table.incidents');
  const listText = await page.textContent('table.incidents');
  check(listText.includes(code) && !listText.includes('huyện Lắk'), 'search without diacritics finds "Sự cố mã độc" and only it');
  await page.goto(base + '/incidents');
  await page.click('th button.sort >> nth=1');
  await page.waitForFunction(() => location.search.includes('sort=title'));
  check(true, 'sorting by a column puts it in the URL');
  await shot('07-incident-list');

  // --- Alerts: merge two, promote ---------------------------------------
  await page.click('a[data-nav="/alerts"]');
  await page.waitForSelector('#merge-form');
  await shot('08-alerts');
  await page.check(`#al-${fx.al2.id}`);
  await page.selectOption('#merge-form select', String(fx.al1.id));
  await page.click('#merge-form button[type=submit]');
  await page.waitForFunction((id) => !document.querySelector(`tr[data-alert="${id}"]`), fx.al2.id);
  const merged = await api.req('GET', `/api/alerts/${fx.al2.id}`);
  check(merged.status === 'merged' && merged.merged_into === fx.al1.id, 'two alerts are merged');
  const kept = await api.req('GET', `/api/alerts/${fx.al1.id}`);
  check(kept.count === 2, 'the kept alert counts both');
  await page.click(`button[data-promote="${fx.al1.id}"]`);
  await page.waitForSelector('#procedure');
  const promoted = await api.req('GET', `/api/alerts/${fx.al1.id}`);
  check(promoted.status === 'promoted' && page.url().endsWith(`/incidents/${promoted.incident_id}`), 'the merged alert is promoted to an incident and opened');
  // The third alert goes into that same incident (promote into an existing one).
  await page.goto(base + '/alerts');
  await page.waitForSelector('#promote-into-form');
  const third = (await api.req('GET', '/api/alerts?status=open')).items[0];
  await page.check(`#al-${third.id}`);
  await page.selectOption('#promote-into-form select', String(promoted.incident_id));
  await page.click('#promote-into-form button[type=submit]');
  await page.waitForURL(`**/incidents/${promoted.incident_id}`);
  const third2 = await api.req('GET', `/api/alerts/${third.id}`);
  check(third2.status === 'promoted' && third2.incident_id === promoted.incident_id, 'an alert is added to an existing incident');

  // --- Compliance and a warning's life, from issue to fixed ----------
  await page.goto(base + '/compliance');
  await page.waitForSelector('#ob-list tbody tr');
  await page.waitForSelector('#ob-chart .chart-box.drawn');
  check((await page.textContent('#ob-list')).length > 0 && (await page.isVisible('#ob-csv')), 'the compliance screen lists obligations with a chart and a CSV export');
  await shot('15-compliance');
  await page.goto(base + '/warnings');
  await page.click('#warning-new summary');
  await page.fill('#warning-form [name=title]', 'Lỗ hổng OpenSSH regreSSHion');
  await page.fill('#warning-form [name=cves]', 'CVE-2024-6387');
  await page.fill('#warning-form [name=products]', 'openssh');
  await page.fill('#warning-form [name=version_max]', '9.7p1');
  await page.fill('#warning-form [name=due_on]', '2026-12-31');
  await page.click('#warning-form button[type=submit]');
  await page.waitForSelector('#warning-targets tbody tr[data-target-row]');
  check((await page.textContent('#warning-targets')).includes('Hệ thống quản lý văn bản huyện Lắk'), 'a warning is matched to the system whose component is affected');
  const targetBtn = await page.$('#warning-targets button[data-target]');
  await targetBtn.click();
  await page.waitForSelector('#warning-targets .badge.wt-acknowledged');
  await page.fill('#warning-targets [name=note]', 'Đã nâng cấp OpenSSH lên bản vá của Debian');
  await page.click('#warning-targets button[data-target]');
  await page.waitForFunction(() => !document.querySelector('#warning-targets button[data-target]'));
  check((await page.textContent('#warning-targets')).includes('Đã khắc phục'), 'the target acknowledges, then reports fixed');
  await shot('16-warning');

  // --- Administration screens -----------------------------------------
  for (const tab of ['orgs', 'systems', 'users', 'team']) {
    await page.goto(`${base}/admin?tab=${tab}`);
    await page.waitForSelector(`#${tab}`);
    await shot(`09-admin-${tab}`);
  }
  check((await page.textContent('#team')).length > 0 && (await page.isVisible('#member-form')), 'the team screen shows');
  await page.goto(`${base}/admin?tab=orgs`);
  check((await page.textContent('.tree')).includes('Văn phòng HĐND-UBND huyện Krông Ana'), 'the organisation tree shows nested units');

  // --- Languages --------------------------------------------------------
  await page.goto(base + '/');
  await page.waitForSelector('#dash-steps');
  await page.click('button[data-lang="en"]');
  await page.waitForSelector('a[data-nav="/"]:text("Dashboard")');
  await page.reload();
  await page.waitForSelector('#dash-steps');
  check((await page.textContent('nav')).includes('Incidents') && (await page.getAttribute('html', 'lang')) === 'en', 'English is selected and remembered after a reload');
  await page.waitForSelector('#dash-chart .chart-box.drawn');
  await shot('10-dashboard-en');
  await page.goto(`${base}/incidents/${incId}`);
  await page.waitForSelector('#procedure');
  await shot('11-incident-en');
  await page.click('button[data-lang="vi"]');
  await page.waitForSelector('a[data-nav="/"]:text("Tổng quan")');
  check(true, 'switching back to Vietnamese');

  // --- Phone width -------------------------------------------------------
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + '/');
  await page.waitForSelector('#dash-steps');
  await shot('12-phone-dashboard', false);
  await page.goto(`${base}/incidents/${incId}`);
  await page.waitForSelector('#procedure');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `the incident page fits a phone's width (overflow ${overflow}px)`);
  await shot('13-phone-incident', false);
  await page.evaluate(() => document.getElementById('deadlines').scrollIntoView());
  await shot('13-phone-incident-deadlines', false);
  await page.setViewportSize({ width: 1366, height: 768 });

  // --- Log out, public page ------------------------------------------
  await page.click('#logout');
  await page.waitForSelector('form.login');
  check(true, 'log-out returns to the log-in page');
  await page.goto(base + '/public');
  await page.waitForSelector('#report-form');
  check(await page.locator('.nav a').count() === 0, 'the public page shows no navigation into the system');
  // Keyboard: from a freshly loaded page the first Tab reaches the skip link.
  await page.keyboard.press('Tab');
  const focus = await page.evaluate(() => {
    const el = document.activeElement;
    const cs = getComputedStyle(el);
    return { cls: el.className, outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
  });
  check(focus.cls === 'skip' && focus.outline !== 'none' && focus.width >= 2, `the first Tab reaches "skip to main content", with a visible focus ring (${JSON.stringify(focus)})`);
  await page.fill('#report-form [data-field="title"] input', 'Website trường học bị thay đổi giao diện');
  await page.fill('#report-form [data-field="description"] textarea', 'Trang chủ hiện hình ảnh lạ từ sáng nay.');
  await page.fill('#report-form [data-field="detected_at"] input', vnLocal(Date.now() - 3600e3));
  await page.fill('#report-form [data-field="reporter_email"] input', 'phuhuynh@example.org');
  await page.click('#report-form button[type=submit]');
  await page.waitForSelector('#new-code');
  const pcode = (await page.textContent('#new-code')).trim();
  check(/^SC\d{4}-/.test(pcode), `a public report returns a tracking code (${pcode})`);
  await page.click('#lookup-form button[type=submit]');
  await page.waitForSelector('#lookup-step');
  check((await page.textContent('#lookup-step')).includes('Tiếp nhận'), 'the status is found by the tracking code');
  await shot('14-public');
  await page.fill('#lookup-form input', 'SC2026-0000-0000-0000-0000');
  await page.click('#lookup-form button[type=submit]');
  await page.waitForSelector('#lookup-form .field-error:not(:empty)');
  check(true, 'an unknown code says so');

  // --- A unit officer sees only its own unit ----------------------------
  await page.goto(base + '/login');
  await page.fill('[name=username]', 'canbo_a');
  await page.fill('[name=password]', 'canbo-a-pass-2026');
  await page.click('button[type=submit]');
  await page.waitForSelector('#dash-steps');
  await page.goto(base + '/incidents');
  await page.waitForSelector('table.incidents');
  const olist = await page.textContent('table.incidents');
  check(olist.includes(code) && !olist.includes('huyện Lắk'), 'the unit officer\'s list has its unit\'s incident and not the other unit\'s');
  await page.goto(`${base}/incidents/${fx.incB.id}`);
  await page.waitForSelector('#not-found');
  check(!(await page.textContent('main')).includes('thay đổi giao diện cổng'), 'the other unit\'s incident is not shown by URL either');
  await shot('15-officer-not-found');
  check(!(await page.isVisible('a[data-nav="/alerts"]')), 'the unit officer has no alerts queue');
  // The officer changes its own password and logs in again with it.
  await page.click('header a.user');
  await page.waitForSelector('#password-form');
  await page.fill('[data-field="current_password"] input', 'canbo-a-pass-2026');
  await page.fill('[data-field="new_password"] input', 'canbo-a-new-pass-2026');
  await page.fill('[data-field="again"] input', 'canbo-a-new-pass-2026-typo');
  await page.click('#password-form button[type=submit]');
  await page.waitForSelector('[data-field="again"] .field-error:not(:empty)');
  await page.fill('[data-field="again"] input', 'canbo-a-new-pass-2026');
  await page.click('#password-form button[type=submit]');
  await page.waitForSelector('#password-done:not(:empty)');
  await shot('16-account');
  await page.goto(base + '/login');
  await page.evaluate(() => fetch('/api/auth/logout', { method: 'POST' }).catch(() => {}));
  await page.goto(base + '/login');
  await page.waitForSelector('form.login');
  await page.fill('[name=username]', 'canbo_a');
  await page.fill('[name=password]', 'canbo-a-new-pass-2026');
  await page.click('button[type=submit]');
  await page.waitForSelector('#dash-steps');
  check(true, 'a user changes its password and logs in with the new one');
  await page.click('#logout');
  await page.waitForSelector('form.login');

  // --- Throttling: the message gives the minutes (last: it locks 127.0.0.1)
  let throttled = false;
  for (let i = 0; i < 8 && !throttled; i++) {
    await page.fill('[name=username]', 'dieuphoi');
    await page.fill('[name=password]', 'not-the-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('#login-error:not(:empty)');
    const m = await page.textContent('#login-error');
    throttled = /thử lại sau \d+ phút/.test(m);
    if (throttled) log('     throttled message:', m);
  }
  check(throttled, 'throttled log-in says how many minutes to wait');
  await shot('17-login-throttled');

}

function vnLocal(ms) {
  const d = new Date(ms + 7 * 3600e3);
  return d.toISOString().slice(0, 16);
}

finish(await startSession(import.meta.url, 'main'), main);
