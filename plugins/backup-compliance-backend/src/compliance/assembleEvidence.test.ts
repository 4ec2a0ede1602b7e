import { CollectedState, EvidenceIndex, Located } from './assembleEvidence';
import {
  crossAccountCopyCheck,
  crossRegionCopyCheck,
} from './checks/segregation';
import { legalHoldCheck } from './checks/retention';
import { summarizeResource } from './summarizeResource';
import {
  ACCOUNT,
  aContext,
  aCopyJob,
  aLegalHold,
  aPoint,
  aPolicy,
  aRestoreTest,
  aVault,
  hoursAgo,
  NOW,
  OTHER_ACCOUNT,
  OTHER_REGION,
  REGION,
} from './testing/evidence';

// Recovery points named as AWS names them: the service's own snapshot ARNs.
const VOLUME = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0a1b2c3d4e5f60718`;
const CLUSTER = `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:servicing`;
/** EBS snapshots carry no account in their ARN; the copy sits in another account and region. */
const SNAPSHOT = `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`;
const COPY = `arn:aws:ec2:${OTHER_REGION}::snapshot/snap-0fedcba9876543210`;
const CLUSTER_SNAPSHOT = `arn:aws:rds:${REGION}:${ACCOUNT}:cluster-snapshot:awsbackup:job-5e3a9c71-0000-4c2e-8f00-000000000001`;

const at = <T>(accountId: string, region: string, data: T): Located<T> => ({
  accountId,
  region,
  data,
});

function state(): CollectedState {
  const home = aVault();
  const central = aVault({
    BackupVaultName: 'central',
    accountId: OTHER_ACCOUNT,
    region: OTHER_REGION,
  });
  const point = (arn: string, resource: string, vault = home) =>
    at(
      vault.accountId,
      vault.region,
      aPoint({
        RecoveryPointArn: arn,
        ResourceArn: resource,
        ResourceType: resource === VOLUME ? 'EBS' : 'Aurora',
        BackupVaultName: vault.BackupVaultName,
        BackupVaultArn: vault.BackupVaultArn,
        accountId: vault.accountId,
        region: vault.region,
      }),
    );
  return {
    resources: [
      at(ACCOUNT, REGION, { arn: VOLUME, tags: { app: 'ledger' } }),
      at(ACCOUNT, REGION, { arn: CLUSTER, tags: { app: 'servicing' } }),
    ],
    protectedResources: [
      at(ACCOUNT, REGION, { ResourceArn: VOLUME, ResourceType: 'EBS' }),
    ],
    vaults: [
      at(ACCOUNT, REGION, home),
      at(OTHER_ACCOUNT, OTHER_REGION, central),
    ],
    recoveryPoints: [
      point(SNAPSHOT, VOLUME),
      point(COPY, VOLUME, central),
      point(CLUSTER_SNAPSHOT, CLUSTER),
    ],
    backupPlans: [],
    backupJobs: [],
    copyJobs: [
      at(
        ACCOUNT,
        REGION,
        aCopyJob(central.BackupVaultArn!, {
          ResourceArn: VOLUME,
          SourceRecoveryPointArn: SNAPSHOT,
          DestinationRecoveryPointArn: COPY,
        }),
      ),
    ],
    restoreJobs: [
      at(
        ACCOUNT,
        REGION,
        aRestoreTest(
          {},
          { SourceResourceArn: VOLUME, RecoveryPointArn: SNAPSHOT },
        ),
      ),
    ],
    restoreTestingPlans: [],
    legalHolds: [
      at(ACCOUNT, REGION, aLegalHold({}, [SNAPSHOT, CLUSTER_SNAPSHOT])),
    ],
    accountRegions: [
      {
        accountId: ACCOUNT,
        region: REGION,
        lastSuccessStartedAt: hoursAgo(1),
        stale: false,
      },
      {
        accountId: OTHER_ACCOUNT,
        region: OTHER_REGION,
        lastSuccessStartedAt: hoursAgo(1),
        stale: false,
      },
    ],
  };
}

describe('EvidenceIndex with recovery points named by their service (EBS, Aurora snapshots)', () => {
  const index = new EvidenceIndex(state());
  const volume = index.evidenceFor(state().resources[0]);

  it("places each point by its vault's account-region, never by its ARN", () => {
    expect(
      volume.points.map(p => [p.RecoveryPointArn, p.accountId, p.region]),
    ).toEqual([
      [SNAPSHOT, ACCOUNT, REGION],
      [COPY, OTHER_ACCOUNT, OTHER_REGION],
    ]);
    expect([...volume.vaults.keys()]).toHaveLength(2);
  });

  it('joins legal holds, copy jobs and restore tests by these ARNs', () => {
    expect(volume.legalHolds).toEqual([
      expect.objectContaining({ recoveryPointArns: [SNAPSHOT] }),
    ]);
    expect(
      index.evidenceFor(state().resources[1]).legalHolds[0].recoveryPointArns,
    ).toEqual([CLUSTER_SNAPSHOT]);
    expect(volume.copyJobs.map(j => j.DestinationRecoveryPointArn)).toEqual([
      COPY,
    ]);
    expect(volume.restoreTests.map(t => t.RecoveryPointArn)).toEqual([
      SNAPSHOT,
    ]);
    expect(legalHoldCheck(volume, aPolicy(), aContext()).explanation).toContain(
      '1 recovery points are under active legal hold',
    );
  });

  it('finds the copy in another account and region though its ARN names no account', () => {
    const policy = aPolicy();
    expect(crossAccountCopyCheck(volume, policy, aContext()).status).toBe(
      'pass',
    );
    expect(crossRegionCopyCheck(volume, policy, aContext()).status).toBe(
      'pass',
    );
    expect(summarizeResource(volume, policy, NOW).copies).toEqual([
      `${OTHER_ACCOUNT}/${OTHER_REGION}`,
    ]);
  });
});
