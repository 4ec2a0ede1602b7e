import { summarizeResource } from './summarizeResource';
import { aCompliantResource, aPolicy, NOW } from './testing/evidence';

describe('summarizeResource', () => {
  it('sums up a compliant resource: newest point, tiers, vault lock, keys, copies, restore test', () => {
    const summary = summarizeResource(aCompliantResource(), aPolicy(), NOW);
    expect(summary.newestPointAgeHours).toBeLessThanOrEqual(24);
    expect(summary.rpoHours).toBe(24);
    expect(summary.retentionDays.daily).toBeGreaterThanOrEqual(30);
    expect(summary.retentionDays.yearly).toBeGreaterThanOrEqual(2555);
    expect(summary.vaults.every(v => v.lock === 'compliance')).toBe(true);
    expect(summary.keyTypes).toEqual(['CUSTOMER_MANAGED_KMS_KEY']);
    expect(summary.copies.length).toBeGreaterThan(0);
    expect(summary.lastRestoreTest).toMatchObject({
      status: 'COMPLETED',
      validation: 'SUCCESSFUL',
    });
    expect(summary.legalHolds).toBe(0);
  });
});
