import { classifySchedule } from './schedule';

describe('classifySchedule', () => {
  it.each([
    ['cron(0 * * * ? *)', 'hourly cron', { tier: 'daily', intervalDays: 1 }],
    ['cron(0 2 * * ? *)', 'daily cron', { tier: 'daily', intervalDays: 1 }],
    ['cron(0 5 ? * SUN *)', 'weekly cron', { tier: 'weekly', intervalDays: 7 }],
    [
      'cron(0 5 ? * MON-FRI *)',
      'cron on weekdays only',
      { tier: 'weekly', intervalDays: 7 },
    ],
    [
      'cron(0 3 1 * ? *)',
      'monthly cron',
      { tier: 'monthly', intervalDays: 31 },
    ],
    [
      'cron(0 3 */2 * ? *)',
      'cron every other day of the month',
      { tier: 'daily', intervalDays: 1 },
    ],
    ['cron(0 4 1 1 ? *)', 'yearly cron', { tier: 'yearly', intervalDays: 366 }],
    [
      'cron(0 4 1 1,7 ? *)',
      'cron in two chosen months',
      { tier: 'yearly', intervalDays: 183 },
    ],
    ['rate(1 day)', 'rate of one day', { tier: 'daily', intervalDays: 1 }],
    [
      'rate(12 hours)',
      'rate of twelve hours',
      { tier: 'daily', intervalDays: 1 },
    ],
    [
      'rate(30 minutes)',
      'rate of thirty minutes',
      { tier: 'daily', intervalDays: 1 },
    ],
    ['rate(7 days)', 'rate of seven days', { tier: 'weekly', intervalDays: 7 }],
    [
      'rate(30 days)',
      'rate of thirty days',
      { tier: 'monthly', intervalDays: 30 },
    ],
    [
      '  RATE(2 Days)  ',
      'padded upper-case rate',
      { tier: 'weekly', intervalDays: 2 },
    ],
  ])('reads %s (%s) as %o', (expression, _description, expected) => {
    expect(classifySchedule(expression)).toEqual(expected);
  });

  it.each([
    [undefined],
    [''],
    ['every day at 2'],
    ['cron(0 2 * *)'],
    ['rate(1 week)'],
    ['rate(one day)'],
    ['at(2026-03-15T02:00:00)'],
  ])('cannot read %p, so returns undefined', expression => {
    expect(classifySchedule(expression)).toBeUndefined();
  });
});
