import { isKnownTimeZone, longestGapHours, nextRun } from './cron';

describe('longestGapHours', () => {
  it.each([
    ['rate(30 minutes)', 0.5],
    ['rate(12 hours)', 12],
    ['rate(1 day)', 24],
    ['cron(0 2 * * ? *)', 24],
    ['cron(0 * * * ? *)', 1],
    ['cron(0,30 * * * ? *)', 0.5],
    ['cron(0 */4 * * ? *)', 4],
    ['cron(0 2,14 * * ? *)', 12],
    ['cron(0 2,8 * * ? *)', 18],
    ['cron(0 5 ? * SUN *)', 168],
    // Friday 22:00 to Monday 22:00
    ['cron(0 22 ? * MON-FRI *)', 72],
    ['cron(0 3 1 * ? *)', 31 * 24],
    ['cron(0 4 1 1 ? *)', 12 * 31 * 24],
    ['cron(0 4 1 1,7 ? *)', 6 * 31 * 24],
  ])('%s runs at least every %s h', (expression, hours) => {
    expect(longestGapHours(expression)).toBe(hours);
  });

  it.each([
    ['cron(0 2 L * ? *)'],
    ['cron(0 2 ? * 6#3 *)'],
    ['cron(0 25 * * ? *)'],
    ['every day'],
    [undefined],
  ])('cannot read %s', expression => {
    expect(longestGapHours(expression)).toBeUndefined();
  });
});

describe('nextRun', () => {
  const at = (iso: string) => new Date(iso);

  it('finds the next run of a daily cron later the same day or the next', () => {
    expect(nextRun('cron(0 2 * * ? *)', at('2026-12-03T01:00:00Z'))).toEqual(
      at('2026-12-03T02:00:00Z'),
    );
    expect(nextRun('cron(0 2 * * ? *)', at('2026-12-03T02:00:00Z'))).toEqual(
      at('2026-12-04T02:00:00Z'),
    );
  });

  it('counts days of the week from 1 = Sunday, as AWS does', () => {
    // 2026-12-03 is a Thursday
    expect(nextRun('cron(0 5 ? * 1 *)', at('2026-12-03T12:00:00Z'))).toEqual(
      at('2026-12-06T05:00:00Z'),
    );
    expect(nextRun('cron(0 5 ? * MON *)', at('2026-12-03T12:00:00Z'))).toEqual(
      at('2026-12-07T05:00:00Z'),
    );
  });

  it('finds a yearly run months ahead', () => {
    expect(nextRun('cron(0 4 1 1 ? *)', at('2026-12-03T12:00:00Z'))).toEqual(
      at('2027-01-01T04:00:00Z'),
    );
  });

  it('reads the schedule in ScheduleExpressionTimezone, across daylight saving time', () => {
    // 02:00 in Berlin is 01:00 UTC in winter, 00:00 UTC in summer
    expect(
      nextRun('cron(0 2 * * ? *)', at('2026-12-03T12:00:00Z'), 'Europe/Berlin'),
    ).toEqual(at('2026-12-04T01:00:00Z'));
    expect(
      nextRun('cron(0 2 * * ? *)', at('2026-07-03T12:00:00Z'), 'Europe/Berlin'),
    ).toEqual(at('2026-07-04T00:00:00Z'));
  });

  it('has no next run for rates, unreadable expressions, unknown zones and past years', () => {
    expect(
      nextRun('rate(12 hours)', at('2026-12-03T12:00:00Z')),
    ).toBeUndefined();
    expect(
      nextRun('cron(0 2 L * ? *)', at('2026-12-03T12:00:00Z')),
    ).toBeUndefined();
    expect(
      nextRun('cron(0 2 * * ? *)', at('2026-12-03T12:00:00Z'), 'Mars/Olympus'),
    ).toBeUndefined();
    expect(
      nextRun('cron(0 2 * * ? 2020)', at('2026-12-03T12:00:00Z')),
    ).toBeUndefined();
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
  });
});
