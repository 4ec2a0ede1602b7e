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
    expect(read).toEqual(revive(points));
    expect(text.split('ledger')).toHaveLength(2);
    expect(text.split('cron(0 3 1 * ? *)')).toHaveLength(2);
    expect(text.length).toBeLessThan(JSON.stringify(points).length / 2);
  });

  it('revives each stored value once, so objects share their repeated values', () => {
    const revived: unknown[] = [];
    const read = decodeGroup(encodeGroup(points), value => {
      revived.push(value);
      return value;
    });
    expect(read[1].CreatedBy).toBe(read[2].CreatedBy);
    expect(read[0].CreatedBy).not.toBe(read[1].CreatedBy);
    // the shared fields, each column's values (the rule, the status message that only
    // one point has), then each object's own fields
    expect(revived).toHaveLength(3 + points.length);
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
    expect(decodeGroup(text)).toEqual(revive(items));
    // three distinct rules, written once each; two times
    expect(text.split('"Rule"')).toHaveLength(4);
    expect(text.split(T0.toISOString())).toHaveLength(2);
  });

  it('reads the older form, a JSON array, and writes one object as one', () => {
    const items = [
      { RecoveryPointArn: 'rp-1', CreationDate: T0.toISOString() },
    ];
    expect(encodeGroup(items)).toBe(JSON.stringify(items));
    expect(decodeGroup(JSON.stringify(points))).toEqual(revive(points));
  });
});
