import { summarizeResource } from './summarizeResource';
import {
  aCompliantResource,
  aPolicy,
  aRestoreTest,
  NOW,
} from './testing/evidence';

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

  it('names the last successful test restore apart from the latest, which may have failed', () => {
    const succeeded = aRestoreTest({ ageDays: 9 });
    const resource = {
      ...aCompliantResource(),
      // newest first, as the evidence index sorts them
      restoreTests: [
        aRestoreTest({ ageDays: 1 }, { ValidationStatus: 'FAILED' }),
        aRestoreTest({ ageDays: 4 }, { Status: 'FAILED' }),
        succeeded,
        aRestoreTest({ ageDays: 20 }),
      ],
    };
    const summary = summarizeResource(resource, aPolicy(), NOW);
    expect(summary.lastRestoreTest).toMatchObject({ validation: 'FAILED' });
    expect(summary.lastSuccessfulRestoreTestAt).toBe(
      succeeded.CreationDate!.toISOString(),
    );
    const never = summarizeResource(
      { ...resource, restoreTests: resource.restoreTests.slice(0, 2) },
      aPolicy(),
      NOW,
    );
    expect(never.lastSuccessfulRestoreTestAt).toBeUndefined();
  });
});
