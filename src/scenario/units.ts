/**
 * Parsing of human units: sizes (IEC and SI), rates (bytes or bits per second),
 * durations and event rates. Pure; every parser throws UnitError with a message that
 * quotes the input and says what was expected.
 */

export class UnitError extends Error {
  override readonly name = 'UnitError';
}

const SIZE_FACTORS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
};

const NUMBER = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)\s*$/;

function splitNumber(input: string, what: string): [number, string] {
  const m = NUMBER.exec(input);
  if (!m) throw new UnitError(`${what} "${input}" is not a non-negative number with a unit`);
  return [Number(m[1]), (m[2] ?? '').toLowerCase()];
}

/** Parses a size such as `64MiB`, `1GB`, `4096` (bytes) into a whole number of bytes. */
export function parseSize(input: string): number {
  const [value, unit] = splitNumber(input, 'size');
  const factor = SIZE_FACTORS[unit];
  if (factor === undefined) {
    throw new UnitError(`size "${input}": unknown unit "${unit}" (use B, KiB, MiB, GiB, TiB, kB, MB, GB, TB)`);
  }
  const bytes = value * factor;
  if (!Number.isSafeInteger(Math.round(bytes)) || Math.abs(bytes - Math.round(bytes)) > 1e-6) {
    throw new UnitError(`size "${input}" is not a whole number of bytes`);
  }
  return Math.round(bytes);
}

const RATE_PREFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30 };

/**
 * Parses a data rate into **bits per second**. Bytes: `8MB/s`, `512KiB/s`, `100B/s`.
 * Bits: `1Gbit/s`, `100Mbit/s`, `1Gbps`, `200mbit` (tc style). `0` means unlimited
 * only where the caller allows it.
 */
export function parseRate(input: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kKmMgGtT]i?)?(bits?\/s|bit|bps|b\/s|B\/s|Bps)\s*$/.exec(input);
  if (!m) {
    throw new UnitError(`rate "${input}" is not a rate: use B/s for bytes or bit/s for bits (examples: 8MB/s, 1Gbit/s, 100Mbps)`);
  }
  const factor = RATE_PREFIX[(m[2] ?? '').toLowerCase()] ?? 1;
  const isBytes = m[3]!.startsWith('B');
  return Number(m[1]) * factor * (isBytes ? 8 : 1);
}

/** Parses `250ms`, `2s`, `1.5s`, `500us`, `0` into milliseconds. */
export function parseDuration(input: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(us|µs|ms|s|m|min)?\s*$/.exec(input);
  if (!m) throw new UnitError(`duration "${input}" is not a duration (examples: 0ms, 250ms, 5s)`);
  const value = Number(m[1]);
  const unit = m[2] ?? (value === 0 ? 'ms' : undefined);
  if (unit === undefined) throw new UnitError(`duration "${input}" needs a unit (ms or s)`);
  const factor = { us: 1e-3, 'µs': 1e-3, ms: 1, s: 1e3, m: 60e3, min: 60e3 }[unit] ?? 1;
  return value * factor;
}

/** Parses an event rate such as `200/s` or `200` into events per second. */
export function parseEventRate(input: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/s)?\s*$/.exec(input);
  if (!m) throw new UnitError(`event rate "${input}" is not a rate (example: 200/s)`);
  return Number(m[1]);
}

/** Parses a positive whole count such as `3`. */
export function parseCount(input: string, what: string): number {
  if (!/^\s*\d+\s*$/.test(input)) throw new UnitError(`${what} "${input}" is not a whole number`);
  const n = Number(input);
  if (n < 1) throw new UnitError(`${what} must be at least 1 (got ${input})`);
  return n;
}

/** Formats bytes with an IEC unit, for people (`64 MiB`). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

/** Formats a rate given in bits per second (`1 Gbit/s`). */
export function formatBitRate(bps: number): string {
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let v = bps;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}
