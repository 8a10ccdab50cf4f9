// Durations as Spark writes them: '500 milliseconds', '1 second', '2 minutes', 'interval 10 seconds'
// (trigger intervals), and '5s', '1m', '2h' (the rate source's rampUpTime); a bare number is in `bareUnit`.

const UNITS: Record<string, number> = {
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000, d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/** Milliseconds of a duration; throws naming `what` and the text when it is not one. */
export function parseDuration(value: string | number, what: string, bareUnit: 'ms' | 's'): number {
  if (typeof value === 'number') {
    if (!(value >= 0) || !Number.isFinite(value)) throw new Error(`${what}: expected a non-negative duration but got ${value}`);
    return bareUnit === 's' ? value * 1000 : value;
  }
  const text = value.trim().toLowerCase().replace(/^interval\s+/, '');
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(text);
  const unit = m ? (m[2] === '' ? bareUnit : m[2]) : '';
  if (!m || UNITS[unit] === undefined) {
    throw new Error(`${what}: cannot parse '${value}' as a duration; write e.g. '500 milliseconds', '1 second', '10 seconds' or '5s'`);
  }
  return Number(m[1]) * UNITS[unit];
}
