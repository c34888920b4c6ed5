// End-to-end: what the law asks of an information system (issue 6), done
// through the pages. Level dossier: a unit officer drafts it for its system
// with the proposed level and criteria, uploads the parts and submits; the
// Department's coordinator returns it with a reason, then takes it through
// validity check, appraisal and approval, with the time limit of each step
// shown; approval (under the 2026 regime) needs the system's quy chế first
// and sets the system's level.
// Usage: node e2e_obligations.mjs path/to/csirt
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { finish, log, sha256, startSession } from './harness.mjs';

async function fixtures(api) {
  const so = await api.req('POST', '/api/orgs', { name: 'Sở Thông tin và Truyền thông', type: 'department' });
  const a = await api.req('POST', '/api/orgs', { name: 'UBND huyện Krông Bông', type: 'district', parent_id: so.id });
  const b = await api.req('POST', '/api/orgs', { name: 'UBND huyện M\'Drắk', type: 'district', parent_id: so.id });
  const sysA = await api.req('POST', '/api/systems', { name: 'Hệ thống một cửa điện tử huyện Krông Bông', owner_org_id: a.id, operator_org_id: a.id, level: 2, system_type: 'citizen_service' });
  const sysB = await api.req('POST', '/api/systems', { name: 'Cổng thông tin huyện M\'Drắk', owner_org_id: b.id, operator_org_id: b.id, level: 2 });
  await api.req('POST', '/api/users', { username: 'dieuphoi', full_name: 'Trần Thị Điều Phối', role: 'coordinator', org_id: so.id, password: 'dieuphoi-pass-2026' });
  await api.req('POST', '/api/users', { username: 'canbo_kb', full_name: 'H\' Linh Niê', role: 'unit_officer', org_id: a.id, password: 'canbo-kb-pass-2026' });
  return { so, a, b, sysA, sysB };
}

async function relogin(t, user, pw) {
  await t.page.click('#logout');
  await t.page.waitForSelector('form.login');
  await t.login(user, pw);
}

async function move(t, to, fill) {
  const { page } = t;
  await page.click(`#dossier-procedure button[data-to="${to}"]`);
  await page.waitForSelector('#dossier-move');
  if (fill) await fill(page);
  await page.click('#dossier-confirm');
}

async function waitState(page, state) {
  await page.waitForSelector(`main .meta .badge.ds-${state}`);
}

async function dossierScenario(t, fx) {
  const { page, base, api, check, shot } = t;
  // --- The unit officer drafts a dossier for its system -----------------
  await t.login('canbo_kb', 'canbo-kb-pass-2026');
  await page.goto(`${base}/systems/${fx.sysA.id}?tab=dossiers`);
  await page.waitForSelector('#dossier-form');
  await page.selectOption('#dossier-form [data-field="proposed_level"] select', '3');
  await page.fill('#dossier-form [data-field="criteria"] textarea', 'Phục vụ người dân, doanh nghiệp\nXử lý thông tin cá nhân của người dân');
  await page.fill('#dossier-form [data-field="justification"] textarea', 'Hệ thống cung cấp dịch vụ công trực tuyến mức độ 4 cho toàn huyện.');
  await shot('01-dossier-new');
  await page.click('#dossier-form button[type=submit]');
  await page.waitForSelector('#dossier-parts');
  const id = Number(page.url().split('/').pop());
  await waitState(page, 'draft');
  check((await page.locator('#dossier-parts .badge.ob-overdue').count()) === 4, 'a new level-3 dossier lacks its four required parts (the fifth is for levels 4-5)');
  check((await page.textContent('#dossier-facts')).includes('Xử lý thông tin cá nhân'), 'the criteria are shown');
  check(await page.locator('#dossier-procedure button[data-to]').count() === 1, 'a draft offers only "submit"');

  // Submitting without the parts: the server's reason is shown.
  await move(t, 'submitted');
  await page.waitForSelector('#dossier-move .form-error:not(:empty)');
  check((await page.textContent('#dossier-move .form-error')).includes('overview'), 'submitting without the parts is refused with the missing part named');

  // Upload the four parts; each shows its SHA-256.
  const files = {};
  for (const part of ['overview', 'design', 'justification', 'security_plan']) {
    files[part] = Buffer.concat([Buffer.from(`%PDF-1.4 ${part} `), randomBytes(3000)]);
    await page.setInputFiles(`form.part-upload[data-part="${part}"] input[type=file]`, { name: `${part}.pdf`, mimeType: 'application/pdf', buffer: files[part] });
    await page.click(`form.part-upload[data-part="${part}"] button[type=submit]`);
    await page.waitForSelector(`tr[data-part-row="${part}"] code.sha`);
  }
  const shown = await page.textContent('tr[data-part-row="design"] code.sha');
  check(shown.trim() === sha256(files.design), 'the SHA-256 shown for a part is that of the uploaded file');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('tr[data-part-row="security_plan"] a.part-link')]);
  check(sha256(readFileSync(await dl.path())) === sha256(files.security_plan), 'a downloaded part is intact');
  await shot('02-dossier-parts');

  await move(t, 'submitted', (p) => p.fill('#dossier-move [data-field="reason"] textarea', 'Nộp hồ sơ đề xuất cấp độ 3'));
  await waitState(page, 'submitted');
  const due = (await page.textContent('#dossier-due')).trim();
  check(due !== '' && due !== '—', `the time limit of the validity check is shown (${due})`);
  check((await page.textContent('#dossier-source')).includes('NĐ'), 'the limit names its legal source');
  check((await page.textContent('#dossier-limit')).includes('vn-20'), 'the limit names the regime it was computed under');
  check(await page.locator('#dossier-procedure button[data-to]').count() === 0, 'the operator cannot check, appraise or approve');
  const when = await page.textContent('#dossier-history tbody tr td');
  check(when.includes('/' + new Date().getFullYear()), `step times are shown as real dates (${when})`);
  await shot('03-dossier-submitted');

  // --- The Department returns it with a reason -----------------------------
  await relogin(t, 'dieuphoi', 'dieuphoi-pass-2026');
  await page.click('a[data-nav="/systems"]');
  await page.waitForSelector('#systems-list');
  await page.click('nav.tabs a[data-tab="/dossiers"]');
  await page.waitForSelector(`#dossier-list tr[data-dossier="${id}"][data-state="submitted"]`);
  check(true, 'the Department sees the submitted dossier in the list of all dossiers');
  await page.click(`#dossier-list tr[data-dossier="${id}"] a`);
  await page.waitForSelector('#dossier-procedure');
  await move(t, 'returned');
  const err = page.locator('#dossier-move [data-field="reason"] .field-error');
  await err.waitFor();
  check((await err.textContent()).length > 0, 'returning a dossier needs a reason');
  await page.fill('#dossier-move [data-field="reason"] textarea', 'Thiếu sơ đồ mạng trong tài liệu thiết kế');
  await page.click('#dossier-confirm');
  await waitState(page, 'returned');
  check((await page.textContent('#returned-note')).includes('Thiếu sơ đồ mạng'), 'a returned dossier shows why');
  await shot('04-dossier-returned');

  // Rework, resubmit, check, appraise.
  await move(t, 'draft');
  await waitState(page, 'draft');
  await move(t, 'submitted');
  await waitState(page, 'submitted');
  await move(t, 'validity_check');
  await waitState(page, 'validity_check');
  await move(t, 'appraisal');
  await waitState(page, 'appraisal');
  const appraisalDue = (await page.textContent('#dossier-due')).trim();
  check(appraisalDue !== '' && appraisalDue !== '—', `the appraisal step shows its limit (${appraisalDue})`);
  await move(t, 'approval');
  await waitState(page, 'approval');
  const approve = async () => move(t, 'approved', async (p) => {
    await p.fill('#dossier-move [data-field="decision_no"] input', '1234/QĐ-UBND');
    await p.fill('#dossier-move [data-field="decision_date"] input', '2026-11-20');
  });
  const regime = await page.textContent('#dossier-limit');
  if (regime.includes('vn-2026')) {
    // NĐ 331/2026 Art 30.7: the quy chế before the approval.
    await approve();
    await page.waitForSelector('#dossier-move .form-error:not(:empty), #dossier-move .field-error:not(:empty)');
    check((await page.textContent('#dossier-move')).includes('quy chế'), 'under the 2026 regime, approval without the system\'s quy chế is refused with the reason');
    await api.req('POST', `/api/systems/${fx.sysA.id}/activities`, { kind: 'regulation', performed_at: new Date(Date.now() - 86400e3).toISOString().replace(/\.\d+Z$/, 'Z'), summary: 'Ban hành quy chế bảo đảm an ninh mạng' });
    await page.click('#dossier-confirm');
  } else {
    await approve();
  }
  await waitState(page, 'approved');
  check((await page.textContent('#dossier-decision')).includes('1234/QĐ-UBND'), 'the approval decision is shown');
  check((await page.locator('#dossier-history tbody tr').count()) === 8, 'every step is in the history');
  const sys = await api.req('GET', `/api/systems/${fx.sysA.id}`);
  check(sys.level === 3, `approval set the system's level (${sys.level})`);
  await shot('05-dossier-approved');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.waitForSelector('#dossier-history');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `the dossier page fits a phone's width (overflow ${overflow}px)`);
  await shot('06-phone-dossier', false);
  await page.setViewportSize({ width: 1366, height: 768 });
}

async function main(t) {
  const fx = await fixtures(t.api);
  log('fixtures ready');
  await dossierScenario(t, fx);
}

finish(await startSession(import.meta.url, 'obligations'), main);
