// Dates as court documents write them (2026年12月6日), in Beijing time.
const DAY = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' });
const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** A google.type.Date ({year, month, day}), "2026-12-06", or an RFC 3339 timestamp → 2026年12月6日. */
export function date(value) {
  if (!value) return '—';
  if (typeof value === 'object') {
    return value.year ? `${value.year}年${value.month}月${value.day}日` : '—';
  }
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (plain) return `${+plain[1]}年${+plain[2]}月${+plain[3]}日`;
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? String(value) : DAY.format(t);
}

/** An RFC 3339 timestamp → 2026年12月6日 14:05 (Beijing). */
export function dateTime(value) {
  if (!value) return '—';
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? String(value) : `${DAY.format(t)} ${TIME.format(t)}`;
}

/** A google.type.Date → "2026-12-06" (a query parameter, a date picker's value). */
export function isoDate(value) {
  if (!value || !value.year) return '';
  return `${value.year}-${String(value.month).padStart(2, '0')}-${String(value.day).padStart(2, '0')}`;
}

// How far the system's clock (GetCaller's currentTime: the one deadlines are counted by) is ahead
// of this device's, in milliseconds: a court PC's clock may be wrong, and "today" must be the
// system's — the API refuses a day after it, and the pages' default periods end on it.
let clockOffset = 0;

/** The system's time as the gateway answered it (an RFC 3339 timestamp), against this device's. */
export function followSystemClock(currentTime) {
  const t = Date.parse(currentTime);
  if (!Number.isNaN(t)) clockOffset = t - Date.now();
}

/** Today in Beijing as "2026-12-06", by the system's clock. */
export function today() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + clockOffset));
  return parts;  // en-CA formats as YYYY-MM-DD
}

/** An int64 (a string in proto3 JSON) or a number, for counting and showing. */
export function count(value) {
  return Number(value ?? 0);
}

export function number(value) {
  return count(value).toLocaleString('zh-CN');
}

export function percent(value, digits = 1) {
  if (value === undefined || value === null) return '—';
  return `${(Number(value) * 100).toFixed(digits)}%`;
}

export function ratio(part, whole, digits = 1) {
  const w = count(whole);
  return w ? percent(count(part) / w, digits) : '—';
}

export function days(value, digits = 1) {
  if (value === undefined || value === null) return '—';
  return `${Number(value).toFixed(digits)} 天`;
}

/** "courts/440101/departments/440101-civil1" → "440101-civil1"; "users/judge.1" → "judge.1". */
export function tail(name) {
  return name ? String(name).split('/').pop() : '';
}
