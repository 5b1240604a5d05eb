// Human forms of the figures the MBeans give: bytes, fractions, ages, rates, times.
// DOM-free, so node --test covers it.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const DASH = '—';

function unitIndex(bytes) {
  let i = 0;
  for (let v = Math.abs(bytes); v >= 1024 && i < UNITS.length - 1; v /= 1024) i++;
  return i;
}

function scaled(bytes, i) {
  return (bytes / 1024 ** i).toFixed(i === 0 ? 0 : 1);
}

/** 34359738368 -> "32.0 GiB". */
export function bytes(n) {
  if (!Number.isFinite(n) || n < 0) return DASH;
  const i = unitIndex(n);
  return `${scaled(n, i)} ${UNITS[i]}`;
}

/** (12 GiB, 32 GiB) -> "12.0 of 32.0 GiB": one unit, the total's. */
export function bytesOf(used, total) {
  if (!Number.isFinite(used) || !Number.isFinite(total) || used < 0 || total < 0) return DASH;
  const i = unitIndex(Math.max(used, total));
  return `${scaled(used, i)} of ${scaled(total, i)} ${UNITS[i]}`;
}

/** Bytes per second -> "1.5 MiB/s"; null (not known yet) -> "—". */
export function rate(bytesPerSecond) {
  if (bytesPerSecond == null || !Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) return DASH;
  return `${bytes(bytesPerSecond)}/s`;
}

/** 0.5 -> "50%"; negative or not a number -> "—". */
export function percent(fraction, digits = 0) {
  if (!Number.isFinite(fraction) || fraction < 0) return DASH;
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** part / whole, 0 when whole is 0 (an empty host is not "NaN% used"). */
export function fraction(part, whole) {
  return whole > 0 && Number.isFinite(part) ? part / whole : 0;
}

/** Seconds since something -> "4 s ago", "3 min ago"; negative (never) -> "never". */
export function age(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return 'never';
  if (seconds < 60) return `${Math.round(seconds)} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** Seconds -> "850 ms", "12.3 s", "4 min 05 s". */
export function duration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return DASH;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${String(Math.round(seconds - m * 60)).padStart(2, '0')} s`;
}

/** Milliseconds since the epoch -> "2025-12-06 10:06:12" (local time); 0 or less -> "—". */
export function time(epochMillis) {
  if (!Number.isFinite(epochMillis) || epochMillis <= 0) return DASH;
  const d = new Date(epochMillis);
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} `
    + `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/**
 * A host's labels as "k=v" strings, whatever form they come in: HostSummary's text
 * ("rack=r1,ssd=true"), an MXBean map as Jolokia sends it ({"rack":"r1"}), or TabularData rows
 * ([{"key":"rack","value":"r1"}]).
 */
export function labels(value) {
  if (value == null) return [];
  if (typeof value === 'string') {
    return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  }
  if (Array.isArray(value)) {
    return value.map((row) => `${row.key}=${row.value}`);
  }
  if (typeof value === 'object') {
    return Object.keys(value).sort().map((k) => `${k}=${value[k]}`);
  }
  return [];
}
