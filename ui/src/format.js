// Times: the API speaks ISO 8601 UTC; people read dd/mm/yyyy HH:mm in
// Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
import { t } from './i18n.js';

const VN_OFFSET_MS = 7 * 3600 * 1000;

function pad(n) { return String(n).padStart(2, '0'); }

// A few records (level dossier steps and parts) carry Unix seconds instead
// of ISO text; both are accepted.
function vnParts(iso) {
  const d = new Date(typeof iso === 'number' ? iso * 1000 : iso);
  if (!iso || Number.isNaN(d.getTime())) return null;
  const v = new Date(d.getTime() + VN_OFFSET_MS);
  return { y: v.getUTCFullYear(), m: pad(v.getUTCMonth() + 1), d: pad(v.getUTCDate()),
    H: pad(v.getUTCHours()), M: pad(v.getUTCMinutes()) };
}

export function fmtTime(iso) {
  const p = vnParts(iso);
  return p ? `${p.d}/${p.m}/${p.y} ${p.H}:${p.M}` : '';
}

export function fmtDate(iso) {
  const p = vnParts(iso);
  return p ? `${p.d}/${p.m}/${p.y}` : '';
}

// For <input type="datetime-local">: the value is Vietnam wall-clock time.
export function toLocalInput(iso) {
  const p = vnParts(iso);
  return p ? `${p.y}-${p.m}-${p.d}T${p.H}:${p.M}` : '';
}

export function fromLocalInput(v) {
  if (!v) return '';
  const d = new Date(`${v}:00+07:00`);
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// A date (yyyy-mm-dd from <input type=date>) as the start or end of that
// day in Vietnam, in UTC.
export function dayBound(v, end) {
  if (!v) return '';
  return fromLocalInput(`${v}T${end ? '23:59' : '00:00'}`);
}

export function fmtCountdown(seconds) {
  const neg = seconds < 0;
  let s = Math.abs(Math.trunc(seconds));
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hh = Math.floor(s / 3600); s -= hh * 3600;
  const mm = Math.floor(s / 60); s -= mm * 60;
  const body = (d ? `${d}${t('unit.day')} ` : '') + `${pad(hh)}:${pad(mm)}:${pad(s)}`;
  return neg ? t('deadline.overdue_by', { t: body }) : t('deadline.left', { t: body });
}

export function fmtSize(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function splitList(s) {
  return String(s || '').split(/[\n,;]+/).map((x) => x.trim()).filter(Boolean);
}
