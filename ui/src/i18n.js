// Vietnamese first; English when the user picks it (remembered in
// localStorage). Words follow the project glossary.
import vi from './i18n/vi.json';
import en from './i18n/en.json';

const tables = { vi, en };
let lang = 'vi';
try {
  const saved = localStorage.getItem('csirt.lang');
  if (saved === 'en' || saved === 'vi') lang = saved;
} catch (e) { /* storage disabled: stay Vietnamese */ }

export function getLang() { return lang; }

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'vi';
  try { localStorage.setItem('csirt.lang', lang); } catch (e) { /* not remembered */ }
  document.documentElement.lang = lang;
}
document.documentElement.lang = lang;

// t(name, {n: 3}) gives the text with {n} replaced. A missing key shows itself,
// so a gap is visible rather than blank (a test checks both files match).
export function t(key, params) {
  let s = tables[lang][key] ?? tables.vi[key] ?? key;
  if (params) for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

// Picks name_vi or name_en from a server record.
export function nm(obj, base = 'name') {
  if (!obj) return '';
  return (lang === 'en' ? obj[`${base}_en`] : obj[`${base}_vi`]) || obj[`${base}_vi`] || obj[`${base}_en`] || '';
}
