// Number and date formatting shared by the views.
import { num } from './api.js';

/** US$ billions a year with one decimal, e.g. "45.4 bn". */
export function bn(x, signed) {
  const v = num(x);
  if (v === null) return '—';
  const t = (v / 1e9).toFixed(1);
  return `${signed && v > 0 ? '+' : ''}${t} bn`;
}

/** A money amount with two decimals and thousands separators, e.g. "6,000.00". */
export function money(x) {
  const v = num(x);
  if (v === null) return '—';
  return v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A share (0.4) as a percentage ("40.0%"). */
export function pct(x, digits = 1) {
  const v = num(x);
  if (v === null) return '—';
  return `${(v * 100).toFixed(digits)}%`;
}

/** A signed share in percentage points ("+13.8 pts"). */
export function pts(x) {
  const v = num(x);
  if (v === null) return '—';
  return `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} pts`;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date (UTC, no time zone drift). */
export function day(d) {
  const [y, m, dd] = d.split('-').map(Number);
  return Date.UTC(y, m - 1, dd) / 86400000;
}

export function words(s) {
  return s ? String(s).replaceAll('_', ' ') : '';
}
