import { decodeGroup, encodeGroup } from './groupCodec';

const T0 = new Date('2026-11-26T10:00:00Z');
const dayAfter = (d: number) => new Date(T0.getTime() + d * 86_400_000);
const revive = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('the stored form of a group', () => {
  const daily = { BackupRuleId: 'daily', BackupRuleCron: 'cron(0 3 * * ? *)' };
  const monthly = {
    BackupRuleId: 'monthly',
    BackupRuleCron: 'cron(0 3 1 * ? *)',
  };
  const points = Array.from({ length: 12 }, (_, i) => ({
    RecoveryPointArn: `rp-${i}`,
    ResourceArn: 'arn:aws:rds:eu-central-1:111111111111:db:ledger',
    IsEncrypted: true,
    CreationDate: dayAfter(i),
    CreatedBy: i % 6 === 0 ? monthly : daily,
    ...(i === 3 ? { StatusMessage: 'partial' } : {}),
  }));

  it('reads back every object with its fields, and writes a repeated value once', () => {
    const text = encodeGroup(points);
    const read = decodeGroup(text);
    expect(read).toEqual(points);
    expect(read[0].CreationDate).toBeInstanceOf(Date);
    expect(text.split('ledger')).toHaveLength(2);
    expect(text.split('cron(0 3 1 * ? *)')).toHaveLength(2);
    expect(text.length).toBeLessThan(JSON.stringify(points).length / 2);
  });

  it('reads each stored value once, so objects share their repeated values', () => {
    const read = decodeGroup(encodeGroup(points));
    expect(read[1].CreatedBy).toBe(read[2].CreatedBy);
    expect(read[0].CreatedBy).not.toBe(read[1].CreatedBy);
  });

  it('writes times as milliseconds, naming their fields once, and reads them back as times', () => {
    const jobs = [0, 1, 2].map(i => ({
      BackupJobId: `job-${i}`,
      CreationDate: dayAfter(i),
      CompletionDate: i === 2 ? undefined : dayAfter(i + 0.1),
      // a time inside an object a field holds
      CalculatedLifecycle: { DeleteAt: dayAfter(i + 35), Days: 35 },
      State: 'COMPLETED',
      // text that looks like a time stays text
      StatusMessage: T0.toISOString(),
    }));
    const text = encodeGroup(jobs);
    expect(text).not.toContain(dayAfter(1).toISOString());
    expect(text).toContain(String(dayAfter(1).getTime()));
    expect(JSON.parse(text).times).toEqual([
      'CreationDate',
      'CompletionDate',
      'CalculatedLifecycle.DeleteAt',
    ]);
    const read = decodeGroup(text, () => {
      throw new Error('a group with times is not revived');
    });
    expect(read).toEqual(
      jobs.map(({ CompletionDate, ...job }) =>
        CompletionDate ? { ...job, CompletionDate } : job,
      ),
    );
    expect(read[2].CalculatedLifecycle.DeleteAt).toBeInstanceOf(Date);
    expect(read[0].StatusMessage).toBe(T0.toISOString());
    // one object with a time: the same form
    expect(decodeGroup(encodeGroup([jobs[0]]))).toEqual([jobs[0]]);
  });

  it('writes the older form, times as text, where a field mixes times with other values or a time hides deeper', () => {
    for (const items of [
      [
        { Key: 'a', At: T0 },
        { Key: 'b', At: 1764150000000 },
      ],
      [
        { Key: 'a', At: T0 },
        { Key: 'b', At: { Inner: T0 } },
      ],
      [
        { Key: 'a', Steps: [{ At: T0 }] },
        { Key: 'b', Steps: [] },
      ],
      [
        { Key: 'a', Deep: { Deeper: { At: T0 } } },
        { Key: 'b', Deep: { Deeper: { At: T0 } } },
      ],
    ]) {
      const text = encodeGroup(items);
      expect(text).not.toContain('"times"');
      expect(text).toContain(T0.toISOString());
      const revived: unknown[] = [];
      expect(
        decodeGroup(text, value => {
          revived.push(value);
          return value;
        }),
      ).toEqual(revive(items));
      expect(revived.length).toBeGreaterThan(0);
    }
  });

  it('revives each stored value of the older form once', () => {
    const older = JSON.stringify({
      shared: { ResourceArn: 'ledger' },
      columns: { Rule: { values: ['daily', 'monthly'], of: [0, 1, 0] } },
      items: [{ Key: 'a' }, { Key: 'b' }, { Key: 'c' }],
    });
    const revived: unknown[] = [];
    const read = decodeGroup(older, value => {
      revived.push(value);
      return value;
    });
    expect(read.map(r => `${r.Key} ${r.ResourceArn} ${r.Rule}`)).toEqual([
      'a ledger daily',
      'b ledger monthly',
      'c ledger daily',
    ]);
    // the shared fields, the column's values, then each object's own fields
    expect(revived).toHaveLength(2 + 3);
  });

  it('keeps a field absent from some objects absent there, and values of each type apart', () => {
    const items = [
      { Key: 'a', Size: 1, Note: 'x' },
      { Key: 'b', Size: '1' },
      { Key: 'c', Size: 1, Note: null },
      { Key: 'd', Size: true, Note: 'x' },
    ];
    expect(decodeGroup(encodeGroup(items))).toEqual(items);
  });

  it('tells equal values from unequal ones, however they were built', () => {
    const items = [
      { Key: 'a', By: { Rule: 'daily', Days: 35 }, At: new Date(T0) },
      { Key: 'b', By: { Rule: 'daily', Days: 35 }, At: new Date(T0) },
      { Key: 'c', By: { Rule: 'daily', Days: '35' }, At: new Date(T0) },
      { Key: 'd', By: { Rule: 'daily', Days: 35, Extra: 1 }, At: dayAfter(1) },
      { Key: 'e', By: { Rule: 'daily', Days: 35 }, At: dayAfter(1) },
      { Key: 'f', By: { Rule: 'daily', Days: 35 }, At: dayAfter(1) },
    ];
    const text = encodeGroup(items);
    expect(decodeGroup(text)).toEqual(items);
    // three distinct rules, written once each; two times
    expect(text.split('"Rule"')).toHaveLength(4);
    expect(text.split(String(T0.getTime()))).toHaveLength(2);
  });

  it('writes each distinct value of a field once, whether it has a few or many, and nested ones too', () => {
    // a few rules alternating (compared one by one), and twelve plans, in pairs and then
    // in turn (looked up by their text), each object holding its own copy
    const rule = (i: number) => ({
      Rule: ['daily', 'weekly', 'monthly'][i % 3],
      Window: { Start: i % 3, Hours: [1, 2] },
    });
    const plan = (n: number) => ({ Id: `plan-${n}`, Tags: [`t${n}`] });
    const items = Array.from({ length: 48 }, (_, i) => ({
      Key: `k-${String(i).padStart(2, '0')}`,
      By: rule(i),
      Plan: plan(i < 24 ? Math.floor(i / 2) : i % 12),
    }));
    const text = encodeGroup(items);
    const read = decodeGroup(text);
    expect(read).toEqual(items);
    expect(text.split('"monthly"')).toHaveLength(2);
    expect(text.split('"plan-11"')).toHaveLength(2);
    expect(read[0].By).toBe(read[3].By);
    expect(read[2].Plan).toBe(read[25].Plan);
    expect(read[2].Plan).not.toBe(read[4].Plan);
  });

  it('reads the older form, a JSON array, and writes one object as one', () => {
    const items = [
      { RecoveryPointArn: 'rp-1', CreationDate: T0.toISOString() },
    ];
    expect(encodeGroup(items)).toBe(JSON.stringify(items));
    expect(decodeGroup(JSON.stringify(points))).toEqual(revive(points));
  });
});
