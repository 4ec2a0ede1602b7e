import { memoized } from './memo';

/** Backup tiers the policies speak of. */
export type Tier = 'daily' | 'weekly' | 'monthly' | 'yearly';

export type ScheduleInfo = {
  tier: Tier;
  /** Longest gap between two runs, in days: what the tier can capture. */
  intervalDays: number;
};

const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/i;
const CRON =
  /^cron\(\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\S+))?\s*\)$/i;

const any = (field: string) => field === '*' || field === '?';

/**
 * Reads a backup rule's schedule (`cron(0 2 * * ? *)`, `rate(12 hours)`) as a
 * tier: runs every day or more often = daily; on days of the week = weekly;
 * on days of every month = monthly; in chosen months = yearly. Undefined when
 * the expression cannot be read.
 */
export const classifySchedule = memoized(readSchedule);

function readSchedule(
  expression: string | undefined,
): ScheduleInfo | undefined {
  if (!expression) return undefined;
  const rate = RATE.exec(expression.trim());
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2].toLowerCase();
    const perDay: Record<string, number> = { minute: 1440, hour: 24, day: 1 };
    const days = n / perDay[unit.replace(/s$/, '')];
    if (days <= 1) return { tier: 'daily', intervalDays: 1 };
    if (days <= 7) return { tier: 'weekly', intervalDays: days };
    if (days <= 31) return { tier: 'monthly', intervalDays: days };
    return { tier: 'yearly', intervalDays: days };
  }
  const cron = CRON.exec(expression.trim());
  if (!cron) return undefined;
  const [, , , dayOfMonth, month, dayOfWeek] = cron;
  if (!any(month)) {
    // Specific months: a few runs a year at best.
    const months = month.split(',').length;
    return {
      tier: 'yearly',
      intervalDays: months > 1 ? Math.ceil(366 / months) : 366,
    };
  }
  if (!any(dayOfMonth) && !dayOfMonth.includes('/')) {
    return { tier: 'monthly', intervalDays: 31 };
  }
  if (!any(dayOfWeek)) {
    return { tier: 'weekly', intervalDays: 7 };
  }
  return { tier: 'daily', intervalDays: 1 };
}
