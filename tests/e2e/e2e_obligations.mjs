// End-to-end: what the law asks of an information system (issue 6), done
// through the pages. Level dossier: a unit officer drafts it for its system
// with the proposed level and criteria, uploads the parts and submits; the
// Department's coordinator returns it with a reason, then takes it through
// validity check, appraisal and approval, with the time limit of each step
// shown; approval (under the 2026 regime) needs the system's quy chế first
// and sets the system's level. Then the coordinator writes the system's
// response plan (scenarios keyed to the taxonomy), approves and reviews it
// and approves a second version; plans a live-fire drill on it and records
// it as held with findings and lessons, cancels another; records the
// system's suppliers and finds the contract ending soon; records budget
// lines and sees the security share checked against each regime.
// An API that answers 404 (its backend not merged) is a failure, not a skip.
// Usage: node e2e_obligations.mjs path/to/csirt
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { finish, log, sha256, startSession } from './harness.mjs';

export async function fixtures(api) {
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

export async function dossierScenario(t, fx) {
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


// A day in Vietnam, 'days' from today, as YYYY-MM-DD.
const vnDay = (days = 0) => new Date(Date.now() + 7 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
const dmy = (iso) => iso.split('-').reverse().join('/');

// The screens below are built against /work/prompts/api-contract.md; when
// the server does not have an API yet, that is a failed check (the part is
// not done), and the part's page steps are not run.
async function apiPresent(t, path, what) {
  try {
    await t.api.req('GET', path);
    return true;
  } catch (e) {
    t.check(false, `${what}: GET ${path} must answer (${e.message})`);
    return false;
  }
}

async function openTab(t, sysId, tab, ready) {
  await t.page.goto(`${t.base}/systems/${sysId}?tab=${tab}`);
  await t.page.waitForSelector(ready);
}

export async function planScenario(t, fx) {
  const { page, api, check, shot } = t;
  if (!await apiPresent(t, `/api/systems/${fx.sysA.id}/plans`, 'response plans')) return null;
  await openTab(t, fx.sysA.id, 'plans', '#plan-form');
  await page.fill('#plan-form [data-field="title"] input', 'Phương án ứng cứu sự cố Hệ thống một cửa điện tử 2026');
  await page.click('#plan-form button[type=submit]');
  await page.waitForSelector('#plan-edit');
  const planId = Number(page.url().split('/').pop());
  check((await page.textContent('main .meta')).includes('Dự thảo'), 'a new plan is a draft');
  // Two scenarios keyed to the taxonomy.
  await page.click('#add-scenario');
  await page.fill('#plan-edit [data-field="scenarios.0.title"] input', 'Mã độc mã hóa dữ liệu máy chủ ứng dụng');
  await page.click('#plan-edit button[type=submit]');
  await page.waitForSelector('#plan-edit [data-field="scenarios.0.taxonomy_code"] .field-error:not(:empty)');
  check(true, 'a scenario without an incident type is refused beside its field');
  await page.selectOption('#plan-edit [data-field="scenarios.0.taxonomy_code"] select', '1.3');
  await page.fill('#plan-edit [data-field="scenarios.0.priority_steps"] textarea', 'Cô lập máy chủ bị nhiễm khỏi mạng\nThông báo Đội ứng cứu sự cố tỉnh');
  await page.fill('#plan-edit [data-field="scenarios.0.keep_running_conditions"] textarea', 'Chuyển sang máy chủ dự phòng; tiếp nhận hồ sơ giấy tại bộ phận một cửa');
  await page.fill('#plan-edit [data-field="scenarios.0.resources"] textarea', 'Máy chủ dự phòng, bản sao lưu hằng ngày');
  await page.fill('#plan-edit [data-field="scenarios.0.estimated_budget"] input', '50.000.000');
  await page.click('#add-scenario');
  await page.selectOption('#plan-edit [data-field="scenarios.1.taxonomy_code"] select', '1.5');
  await page.fill('#plan-edit [data-field="scenarios.1.title"] input', 'Tấn công thay đổi giao diện');
  check(await page.inputValue('#plan-edit [data-field="scenarios.0.estimated_budget"] input') === '50.000.000', 'adding a scenario keeps what was typed in the others');
  await page.fill('#plan-edit [data-field="resources"] textarea', 'Tổ ứng cứu của huyện; hỗ trợ của Sở');
  await page.fill('#plan-edit [data-field="estimated_budget"] input', '80.000.000');
  await page.click('#plan-save');
  await page.waitForSelector('#plan-saved:text("Đã lưu")');
  const saved = await api.req('GET', `/api/plans/${planId}`);
  check(saved.scenarios.length === 2 && saved.scenarios[0].taxonomy_code === '1.3' && saved.scenarios[0].priority_steps.length === 2 &&
    saved.scenarios[0].estimated_budget === 50000000 && saved.estimated_budget === 80000000, 'the plan and its scenarios are saved as typed');
  await shot('07-plan-draft');
  // Approve, then review.
  await page.fill('#plan-approve [data-field="approved_on"] input', vnDay(-1));
  await page.click('#plan-approve button[type=submit]');
  await page.waitForSelector('#plan-review');
  check((await page.textContent('main .meta')).includes('Đã phê duyệt'), 'the plan is approved');
  check((await page.textContent('#plan-content')).includes('1.3') && (await page.textContent('#plan-content')).includes('Cô lập máy chủ'), 'an approved plan shows its scenarios read-only');
  await page.fill('#plan-review [data-field="reviewed_on"] input', vnDay(0));
  await page.fill('#plan-review [data-field="note"] textarea', 'Rà soát sau khi nâng cấp cấp độ 3');
  await page.click('#plan-review button[type=submit]');
  await page.waitForSelector(`main .meta:has-text("${dmy(vnDay(0))}")`);
  check(true, 'the review date is shown');
  const acts = (await api.req('GET', `/api/systems/${fx.sysA.id}/activities`)).items.filter((x) => x.kind === 'response_plan');
  check(acts.length >= 2, `approval and review are recorded as the system's response-plan activity (${acts.length})`);
  await shot('08-plan-approved');
  // A second version starts from the first's content; approving it supersedes v1.
  await openTab(t, fx.sysA.id, 'plans', '#plan-form');
  await page.fill('#plan-form [data-field="title"] input', 'Phương án ứng cứu sự cố Hệ thống một cửa điện tử 2027');
  await page.click('#plan-form button[type=submit]');
  await page.waitForSelector('#plan-edit');
  check(await page.locator('#plan-edit fieldset.scenario-edit').count() === 2, 'a new version starts from the previous one\'s scenarios');
  await page.click('#plan-approve button[type=submit]');
  await page.waitForSelector('#plan-review');
  await openTab(t, fx.sysA.id, 'plans', '#plan-list');
  check(await page.isVisible(`#plan-list tr[data-plan="${planId}"][data-status="superseded"]`), 'approving version 2 supersedes version 1');
  await shot('09-plan-list');
  return planId;
}

export async function drillScenario(t, fx) {
  const { page, api, check, shot } = t;
  if (!await apiPresent(t, `/api/systems/${fx.sysA.id}/drills`, 'drills')) return;
  await openTab(t, fx.sysA.id, 'drills', '#drill-form');
  await page.fill('#drill-form [data-field="title"] input', 'Diễn tập thực chiến ứng cứu mã độc mã hóa dữ liệu');
  check(await page.inputValue('#drill-form [data-field="kind"] select') === 'live_fire', 'a level-3 system proposes a live-fire drill');
  const planOptions = await page.locator('#drill-form [data-field="plan_id"] option').count();
  check(planOptions >= 2, 'the drill can be tied to a version of the system\'s plan');
  await page.selectOption('#drill-form [data-field="plan_id"] select', { index: 1 });
  await page.selectOption('#drill-form [data-field="scenario_code"] select', '1.3');
  await page.fill('#drill-form [data-field="planned_on"] input', vnDay(7));
  await page.fill('#drill-form [data-field="participants"] textarea', 'Đội ứng cứu sự cố tỉnh\nTổ CNTT huyện Krông Bông');
  await page.click('#drill-form button[type=submit]');
  await page.waitForSelector('#drill-complete');
  const drillId = Number(page.url().split('/').pop());
  check((await page.textContent('#drill-facts')).includes('Tổ CNTT huyện Krông Bông'), 'the drill is planned with its participants');
  await page.fill('#drill-complete [data-field="held_on"] input', vnDay(0));
  await page.fill('#drill-complete .drill-finding [data-field="text"] input', 'Bản sao lưu khôi phục chậm hơn mục tiêu 4 giờ');
  await page.selectOption('#drill-complete .drill-finding [data-field="severity"] select', 'high');
  await page.click('#add-drill-finding');
  await page.locator('#drill-complete .drill-finding').nth(1).locator('[data-field="text"] input').fill('Danh bạ đầu mối chưa cập nhật');
  await page.locator('#drill-complete .drill-finding').nth(1).locator('[data-field="status"] select').selectOption('fixed');
  await page.fill('#drill-complete [data-field="lessons_learned"] textarea', 'Cần diễn tập khôi phục sao lưu mỗi quý.');
  await shot('10-drill-complete');
  await page.click('#drill-complete button[type=submit]');
  await page.waitForSelector('#drill-results');
  check((await page.locator('#drill-results tbody tr').count()) === 2 && (await page.textContent('#drill-lessons')).includes('mỗi quý'), 'the held drill shows its findings and lessons');
  const d = await api.req('GET', `/api/drills/${drillId}`);
  check(d.status === 'done' && d.findings.length === 2 && d.findings[0].severity === 'high' && d.findings[1].status === 'fixed', 'the server holds the drill as done, with its findings');
  const acts = (await api.req('GET', `/api/systems/${fx.sysA.id}/activities`)).items.filter((x) => x.kind === 'drill');
  check(acts.length === 1 && acts[0].summary.includes('thực chiến'), `the held drill is the system's drill activity, saying it was live-fire (${acts[0] && acts[0].summary})`);
  await shot('11-drill-done');
  // Another is planned, then cancelled with a reason.
  await openTab(t, fx.sysA.id, 'drills', '#drill-form');
  await page.fill('#drill-form [data-field="title"] input', 'Diễn tập trên bàn: tấn công từ chối dịch vụ');
  await page.selectOption('#drill-form [data-field="kind"] select', 'tabletop');
  await page.fill('#drill-form [data-field="planned_on"] input', vnDay(30));
  await page.click('#drill-form button[type=submit]');
  await page.waitForSelector('#drill-cancel');
  await page.click('#drill-cancel button[type=submit]');
  await page.waitForSelector('#drill-cancel .field-error:not(:empty)');
  await page.fill('#drill-cancel [data-field="reason"] input', 'Trùng lịch kiểm tra của Bộ');
  await page.click('#drill-cancel button[type=submit]');
  await page.waitForSelector('main .meta .badge.dr-cancelled');
  check(true, 'a drill is cancelled only with a reason');
  await openTab(t, fx.sysA.id, 'drills', '#drill-list');
  check(await page.locator('#drill-list tr[data-status="done"]').count() === 1 && await page.locator('#drill-list tr[data-status="cancelled"]').count() === 1, 'the drills list shows one done, one cancelled');
}

export async function supplierScenario(t, fx) {
  const { page, check, shot, base } = t;
  if (!await apiPresent(t, `/api/systems/${fx.sysA.id}/suppliers`, 'suppliers')) return;
  const add = async (v) => {
    await openTab(t, fx.sysA.id, 'suppliers', '#supplier-form');
    await page.fill('#supplier-form [data-field="name"] input', v.name);
    await page.selectOption('#supplier-form [data-field="role"] select', v.role);
    await page.fill('#supplier-form [data-field="contract_no"] input', v.no);
    await page.fill('#supplier-form [data-field="contract_start"] input', vnDay(-300));
    await page.fill('#supplier-form [data-field="contract_end"] input', v.end);
    await page.fill('#supplier-form [data-field="contact_phone"] input', '0262 3 888 999');
    await page.fill('#supplier-form [data-field="operates"] textarea', v.operates);
    await page.click('#supplier-form button[type=submit]');
    await page.waitForSelector(`#supplier-list td:has-text("${v.name}")`);
  };
  await add({ name: 'Công ty TNHH Phần mềm Tây Nguyên', role: 'developer', no: '15/2026/HĐ-PM', end: vnDay(20), operates: 'Mã nguồn, máy chủ ứng dụng; truy cập từ xa qua VPN' });
  await add({ name: 'Trung tâm dữ liệu VNPT Đắk Lắk', role: 'hosting', no: '08/2025/HĐ-DC', end: vnDay(400), operates: 'Máy chủ vật lý, đường truyền' });
  check(await page.locator('#supplier-list tr[data-supplier]').count() === 2, 'two suppliers are recorded for the system');
  // Edit one.
  await page.click('#supplier-list tr:has-text("Tây Nguyên") [data-edit]');
  await page.waitForSelector('#supplier-form h2:has-text("Sửa")');
  await page.fill('#supplier-form [data-field="contact_name"] input', 'Nguyễn Văn Kỹ Thuật');
  await page.click('#supplier-form button[type=submit]');
  await page.waitForSelector('#supplier-list td:has-text("Nguyễn Văn Kỹ Thuật")');
  check(true, 'a supplier is edited');
  await shot('12-suppliers');
  // Across organisations, contracts ending within 30 days.
  await page.goto(`${base}/suppliers?expiring_days=30`);
  await page.waitForSelector('#supplier-list');
  const names = await page.$$eval('#supplier-list tr[data-supplier] strong', (x) => x.map((e) => e.textContent));
  check(names.length === 1 && names[0].includes('Tây Nguyên'), `the contracts ending within 30 days (${names})`);
  await shot('13-suppliers-expiring');
  // Delete the other one.
  await openTab(t, fx.sysA.id, 'suppliers', '#supplier-list');
  page.once('dialog', (dlg) => dlg.accept());
  await page.click('#supplier-list tr:has-text("VNPT") [data-delete]');
  await page.waitForFunction(() => document.querySelectorAll('#supplier-list tr[data-supplier]').length === 1);
  check(true, 'a supplier is deleted after confirmation');
}

export async function budgetScenario(t, fx) {
  const { page, api, check, shot, base } = t;
  if (!await apiPresent(t, '/api/budget-lines', 'budget lines')) return;
  await page.goto(`${base}/budget`);
  await page.waitForSelector('#budget-form');
  await page.fill('#budget-form [data-field="name"] input', 'Kế hoạch ứng dụng CNTT huyện Krông Bông năm 2026');
  await page.selectOption('#budget-form [data-field="org_id"] select', String(fx.a.id));
  await page.selectOption('#budget-form [data-field="system_id"] select', String(fx.sysA.id));
  await page.fill('#budget-form [data-field="year"] input', '2026');
  await page.fill('#budget-form [data-field="total_amount"] input', '2.000.000.000');
  await page.fill('#budget-form [data-field="security_amount"] input', '2.400.000.000');
  await page.click('#budget-form button[type=submit]');
  await page.waitForSelector('#budget-form [data-field="security_amount"] .field-error:not(:empty)');
  check(true, 'a security amount above the total is refused beside the field');
  await page.fill('#budget-form [data-field="security_amount"] input', '240.000.000');
  check((await page.textContent('#budget-preview')).includes('12.00 %'), 'the share is shown while typing');
  await page.click('#budget-form button[type=submit]');
  await page.waitForSelector('#budget-list tr[data-line]');
  const line = page.locator('#budget-list tr[data-line]');
  check((await line.locator('td.share').textContent()).includes('12.00'), 'the saved line shows its security share');
  const verdict = async () => Object.fromEntries(await line.locator('.budget-check').evaluateAll((els) => els.map((e) => [e.dataset.regime, e.dataset.met])));
  let v = await verdict();
  check(v['vn-2017'] === 'yes' && v['vn-2026'] === 'no', `12 %: meets the 10 % of Directive 14, not the 15 % of Law 116 (${JSON.stringify(v)})`);
  check((await line.textContent()).includes('116'), 'each check names its source');
  await shot('14-budget');
  await line.locator('[data-edit]').click();
  await page.waitForSelector('#budget-form h2:has-text("Sửa")');
  await page.fill('#budget-form [data-field="security_amount"] input', '320.000.000');
  await page.click('#budget-form button[type=submit]');
  await page.waitForSelector('#budget-list td.share:has-text("16.00")');
  v = await verdict();
  check(v['vn-2017'] === 'yes' && v['vn-2026'] === 'yes', `16 %: meets both (${JSON.stringify(v)})`);
  const lines = await api.req('GET', `/api/budget-lines?org_id=${fx.a.id}&year=2026`);
  check(lines.items.length === 1 && lines.items[0].security_amount === 320000000, 'the server holds the edited amount');
  await page.goto(`${base}/budget?year=2025`);
  await page.waitForSelector('#budget-list');
  check(await page.locator('#budget-list tr[data-line]').count() === 0, 'the year filter applies');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/budget`);
  await page.waitForSelector('#budget-list');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `the budget page fits a phone's width (overflow ${overflow}px)`);
  await shot('15-phone-budget', false);
  await page.setViewportSize({ width: 1366, height: 768 });
}

export async function main(t) {
  const fx = await fixtures(t.api);
  log('fixtures ready');
  await dossierScenario(t, fx);   // ends logged in as the coordinator, system A at level 3
  const planId = await planScenario(t, fx);
  await drillScenario(t, fx);
  await supplierScenario(t, fx);
  await budgetScenario(t, fx);
  await unitOfficerScenario(t, fx, planId);
}

// A unit officer sees its own organisation's records only, and may not
// approve or review a plan (the Department does).
async function unitOfficerScenario(t, fx, planId) {
  const { page, base, api, check } = t;
  await api.req('POST', `/api/systems/${fx.sysB.id}/suppliers`, { name: 'Công ty Cổ phần Viễn thông M\'Drắk', role: 'telecom' });
  await relogin(t, 'canbo_kb', 'canbo-kb-pass-2026');
  await page.goto(`${base}/suppliers`);
  await page.waitForSelector('#supplier-list');
  const names = await page.$$eval('#supplier-list tr[data-supplier] strong', (x) => x.map((e) => e.textContent));
  check(names.length === 1 && !names.some((n) => n.includes('M\'Drắk')), `a unit officer sees only its organisation's suppliers (${names})`);
  if (planId) {
    await page.goto(`${base}/plans/${planId}`);
    await page.waitForSelector('#plan-decision');
    check(await page.locator('#plan-approve, #plan-review').count() === 0, 'a unit officer is not offered to approve or review a plan');
  }
  await page.goto(`${base}/systems/${fx.sysB.id}?tab=plans`);
  await page.waitForSelector('main h1');
  check((await page.textContent('main h1')).includes('Không tìm thấy'), 'another organisation\'s system is not found for a unit officer');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) finish(await startSession(import.meta.url, 'obligations'), main);
