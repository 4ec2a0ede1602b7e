import { memoized } from './memo';
import { classifySchedule } from './schedule';

describe('memoized', () => {
  it('computes each text once, shares a frozen result, and starts again past its limit', () => {
    const compute = jest.fn((text: string | undefined) => ({
      length: text?.length ?? 0,
    }));
    const read = memoized(compute, 2);
    const first = read('cron(0 2 * * ? *)');
    expect(read('cron(0 2 * * ? *)')).toBe(first);
    expect(read(undefined)).toEqual({ length: 0 });
    expect(read(undefined)).toEqual({ length: 0 });
    expect(compute).toHaveBeenCalledTimes(2);
    expect(Object.isFrozen(first)).toBe(true);
    // a third text: the two kept before are forgotten
    read('rate(12 hours)');
    read('cron(0 2 * * ? *)');
    expect(compute).toHaveBeenCalledTimes(4);
  });

  it('answers what the schedule reading answers, the second time from memory', () => {
    const daily = classifySchedule('cron(0 2 * * ? *)');
    expect(daily).toEqual({ tier: 'daily', intervalDays: 1 });
    expect(classifySchedule('cron(0 2 * * ? *)')).toBe(daily);
    expect(classifySchedule('cron(0 5 ? * MON *)')).toEqual({
      tier: 'weekly',
      intervalDays: 7,
    });
  });
});
