/**
 * AWS's schedule expressions, as backup rules and restore-testing plans use them:
 * `cron(minutes hours day-of-month month day-of-week year)`, read in
 * `ScheduleExpressionTimezone` (UTC without one), and `rate(n unit)`.
 *
 * Two questions are answered: how long the longest gap between two runs can be (to
 * compare with an RPO or a test's maximum age), and when the next run is due. The
 * special characters `L`, `W` and `#` are not read: such an expression has no known
 * next run, and its gap comes from its tier alone.
 */

import { memoized } from './memo';

const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/i;
const CRON =
  /^cron\(\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?\s*\)$/i;

const MONTHS = 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC'.split(' ');
const DAYS = 'SUN MON TUE WED THU FRI SAT'.split(' ');

type Field = Set<number> | 'any';

type Cron = {
  minutes: Field;
  hours: Field;
  daysOfMonth: Field;
  months: Field;
  /** 1 (Sunday) to 7 (Saturday), as AWS counts. */
  daysOfWeek: Field;
  years: Field;
};

/** One field: `*`, `?`, numbers or names, ranges, lists and steps; undefined when unreadable. */
function field(
  text: string,
  min: number,
  max: number,
  names: string[] = [],
): Field | undefined {
  if (text === '*' || text === '?') return 'any';
  const value = (token: string) => {
    const named = names.indexOf(token.toUpperCase());
    if (named >= 0) return named + min;
    return /^\d+$/.test(token) ? Number(token) : NaN;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    if (
      !Number.isInteger(step) ||
      step < 1 ||
      !Number.isInteger(from) ||
      !Number.isInteger(to) ||
      from < min ||
      to > max ||
      from > to
    ) {
      return undefined;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expression: string | undefined): Cron | undefined {
  const match = expression ? CRON.exec(expression.trim()) : null;
  if (!match) return undefined;
  const [, mi, h, dom, mon, dow, year = '*'] = match;
  const parsed = {
    minutes: field(mi, 0, 59),
    hours: field(h, 0, 23),
    daysOfMonth: field(dom, 1, 31),
    months: field(mon, 1, 12, MONTHS),
    daysOfWeek: field(dow, 1, 7, DAYS),
    years: field(year, 1970, 2199),
  };
  return Object.values(parsed).every(f => f !== undefined)
    ? (parsed as Cron)
    : undefined;
}

const has = (f: Field, v: number) => f === 'any' || f.has(v);

/** The longest circular gap between the values in `set`, within a cycle of `size`. */
function longestGap(values: number[], size: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  let gap = sorted[0] + size - sorted[sorted.length - 1];
  for (let i = 1; i < sorted.length; i++) {
    gap = Math.max(gap, sorted[i] - sorted[i - 1]);
  }
  return gap;
}

const all = (f: Field, min: number, max: number) =>
  f === 'any'
    ? Array.from({ length: max - min + 1 }, (_, i) => i + min)
    : [...f];

/**
 * The longest time between two runs, in hours: exact for rates and for crons that run
 * every day or on chosen days of the week; for crons on days of the month, in chosen
 * months, the gap in the longest month or between the months. Undefined when the
 * expression cannot be read.
 */
export const longestGapHours = memoized(computeLongestGapHours);

function computeLongestGapHours(
  expression: string | undefined,
): number | undefined {
  const rate = expression ? RATE.exec(expression.trim()) : null;
  if (rate) {
    const perHour: Record<string, number> = {
      minute: 1 / 60,
      hour: 1,
      day: 24,
    };
    return Number(rate[1]) * perHour[rate[2].toLowerCase().replace(/s$/, '')];
  }
  const cron = parseCron(expression);
  if (!cron) return undefined;
  if (cron.years !== 'any') return undefined; // a schedule that ends: no steady gap
  if (cron.months !== 'any') {
    return longestGap([...cron.months], 12) * 31 * 24;
  }
  if (cron.daysOfMonth !== 'any') {
    return longestGap([...cron.daysOfMonth], 31) * 24; // in the longest month
  }
  const hours = all(cron.hours, 0, 23);
  const minutes = all(cron.minutes, 0, 59);
  // Minutes of the day at which it runs, on a day it runs.
  const times = hours.flatMap(h => minutes.map(m => h * 60 + m));
  if (cron.daysOfWeek !== 'any') {
    const days = [...cron.daysOfWeek];
    const first = Math.min(...times);
    const last = Math.max(...times);
    // From the last run of one day to the first run of the next day it runs.
    const gapDays = longestGap(days, 7);
    return Math.max(
      (gapDays * 1440 - last + first) / 60,
      longestGap(times, 1440) / 60,
    );
  }
  return longestGap(times, 1440) / 60;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time in `timeZone` at `instant`, as if it were UTC, in ms. */
function wallClock(instant: number, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
}

/** The instant at which the wall clock in `timeZone` shows `wall` (given as if UTC). */
function instantOf(wall: number, timeZone: string): number {
  let guess = wall - (wallClock(wall, timeZone) - wall);
  guess = wall - (wallClock(guess, timeZone) - guess);
  return guess;
}

/** Whether `timeZone` is a zone this runtime knows (an IANA name). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    wallClock(0, timeZone);
    return true;
  } catch {
    return false;
  }
}

const DAY_MS = 86_400_000;

const memo = new Map<string, Date | undefined>();

/**
 * The first run of a cron expression after `after`, in `timeZone` (UTC by default).
 * Undefined for rates (their runs count from when the plan was made, which AWS does
 * not list), unreadable expressions, unknown zones and schedules with no run in the
 * next five years.
 */
export function nextRun(
  expression: string | undefined,
  after: Date,
  timeZone = 'UTC',
): Date | undefined {
  // An evaluation asks the same few plans' next runs for thousands of resources.
  const key = `${expression}\0${timeZone}\0${after.getTime()}`;
  if (memo.has(key)) return memo.get(key);
  if (memo.size > 1000) memo.clear();
  const next = computeNextRun(expression, after, timeZone);
  memo.set(key, next);
  return next;
}

function computeNextRun(
  expression: string | undefined,
  after: Date,
  timeZone: string,
): Date | undefined {
  const cron = parseCron(expression);
  if (!cron || !isKnownTimeZone(timeZone)) return undefined;
  const hours = all(cron.hours, 0, 23).sort((a, b) => a - b);
  const minutes = all(cron.minutes, 0, 59).sort((a, b) => a - b);
  const start = wallClock(after.getTime(), timeZone);
  const firstDay = Math.floor(start / DAY_MS) * DAY_MS;
  for (let day = firstDay; day < firstDay + 5 * 366 * DAY_MS; day += DAY_MS) {
    const date = new Date(day);
    if (
      !has(cron.years, date.getUTCFullYear()) ||
      !has(cron.months, date.getUTCMonth() + 1) ||
      !has(cron.daysOfMonth, date.getUTCDate()) ||
      !has(cron.daysOfWeek, date.getUTCDay() + 1)
    ) {
      continue;
    }
    for (const h of hours) {
      for (const m of minutes) {
        const wall = day + (h * 60 + m) * 60_000;
        if (wall < start) continue;
        const instant = instantOf(wall, timeZone);
        if (instant > after.getTime()) return new Date(instant);
      }
    }
  }
  return undefined;
}
