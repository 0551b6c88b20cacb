// Times shown to people, for every page. The API writes the platform's
// clock (when something was done or received) as ISO 8601 UTC with 'Z';
// pages show it in China time (Asia/Shanghai: UTC+8 all year, no daylight
// saving) whatever the browser's zone: 'YYYY-MM-DD HH:MM', with ':SS' where
// seconds matter, dates 'YYYY-MM-DD'. The water data's own times (HJ 212
// DataTime, sample times) are China time already and carry no zone:
// formatLocal only writes them in the same form, never shifts them.

const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const ZONED = /(Z|[+-]\d\d:\d\d)$/;
const LOCAL = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d)(:\d\d)?/;

// The China wall clock of the instant MS as 'YYYY-MM-DDTHH:MM:SS'.
function chinaClock(ms) {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19);
}

// The instant of an API time; a time without a zone is a bug of the caller.
function instant(utc) {
  const ms = ZONED.test(utc) ? Date.parse(utc) : NaN;
  if (Number.isNaN(ms)) throw new Error(`not an ISO 8601 time with a zone: ${utc}`);
  return ms;
}

// An API time (UTC) in China time; '' for none.
export function formatTime(utc, { seconds = false } = {}) {
  if (!utc) return '';
  const clock = chinaClock(instant(utc));
  return `${clock.slice(0, 10)} ${clock.slice(11, seconds ? 19 : 16)}`;
}

// An API time's date in China; '' for none.
export function formatDate(utc) {
  return utc ? chinaClock(instant(utc)).slice(0, 10) : '';
}

// A time that is China time already (DataTime, a sample's time), in the same form.
export function formatLocal(text, { seconds = false } = {}) {
  const m = LOCAL.exec(text || '');
  if (!m) return text || '';
  return `${m[1]} ${m[2]}${seconds ? (m[3] || ':00') : ''}`;
}

// A China time for a chart drawn with useUTC: its wall clock as if UTC, so
// the axis shows it as it is in any browser zone (no daylight-saving gaps).
export function chartTime(text) {
  return Date.parse(`${formatLocal(text, { seconds: true }).replace(' ', 'T')}Z`);
}

// Today in China, 'YYYY-MM-DD' (the browser's clock, which tests fix).
export function todayChina() {
  return chinaClock(Date.now()).slice(0, 10);
}
