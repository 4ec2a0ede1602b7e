import { resolve } from 'node:path';
import { BACKUP_OPERATIONS } from './protocol/backupApi';
import { generateSyntheticOrg } from './generate/generate';
import { loadScenario, parseScenario } from './scenario/loadScenario';
import { Scenario } from './scenario/types';
import { Emulator, startEmulator } from './server';
import {
  ContractReport,
  loadServiceModel,
  readSdkTypes,
  restRequest,
  validateOutput,
} from './testing/serviceModel';
import { testScenario } from './testing/testScenario';

const EXAMPLE = resolve(__dirname, '../../../examples/aws-scenario.yaml');

const backupModel = loadServiceModel('backup-2018-11-15');
const taggingModel = loadServiceModel('resourcegroupstaggingapi-2017-01-26');
const backupTypes = readSdkTypes('@aws-sdk/client-backup');
const taggingTypes = readSdkTypes(
  '@aws-sdk/client-resource-groups-tagging-api',
);

type Input = Record<string, string | number | boolean | undefined>;
type Body = Record<string, any>;

/** Answers from the emulator, checked against the service models, per operation. */
class ContractRun {
  readonly report: ContractReport = { problems: [], newerMembers: new Set() };
  readonly responses = new Map<string, number>();
  /** Items seen per list member (`ListBackupJobs.BackupJobs`), so no listing is validated empty only. */
  readonly items = new Map<string, number>();

  constructor(
    private readonly emulator: Emulator,
    private readonly accessKeyId: string,
    private readonly region: string,
    private readonly pageSize: number,
  ) {}

  private authorization(service: string) {
    // The emulator reads the account and region from the scope; it does not verify signatures.
    return `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/20261126/${this.region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
  }

  private record(operation: string, body: Body) {
    this.responses.set(operation, (this.responses.get(operation) ?? 0) + 1);
    for (const [key, value] of Object.entries(body)) {
      if (Array.isArray(value)) {
        const name = `${operation}.${key}`;
        this.items.set(name, (this.items.get(name) ?? 0) + value.length);
      }
    }
  }

  /** One AWS Backup call, its path and query built from the model's own bindings. */
  async backup(operation: string, input: Input = {}): Promise<Body> {
    const { method, path } = restRequest(backupModel, operation, input);
    const response = await fetch(`${this.emulator.url}${path}`, {
      method,
      headers: { authorization: this.authorization('backup') },
    });
    const body = await response.json();
    if (response.status !== 200) {
      throw new Error(
        `${operation} ${path}: ${response.status} ${JSON.stringify(body)}`,
      );
    }
    validateOutput(backupModel, operation, body, backupTypes, this.report);
    this.record(operation, body);
    return body;
  }

  /** Every page of a listing. */
  async backupPages(
    operation: string,
    key: string,
    input: Input = {},
    tokenNames = { token: 'NextToken', size: 'MaxResults' },
  ): Promise<Body[]> {
    const items: Body[] = [];
    let token: string | undefined;
    do {
      const body = await this.backup(operation, {
        ...input,
        [tokenNames.size]: this.pageSize,
        [tokenNames.token]: token,
      });
      items.push(...(body[key] ?? []));
      token = body.NextToken;
    } while (token);
    return items;
  }

  async getResources(input: Body = {}): Promise<Body[]> {
    const items: Body[] = [];
    let token = '';
    do {
      const response = await fetch(this.emulator.url, {
        method: 'POST',
        headers: {
          authorization: this.authorization('tagging'),
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `${taggingModel.metadata.targetPrefix}.GetResources`,
        },
        body: JSON.stringify({ ...input, PaginationToken: token }),
      });
      const body = await response.json();
      if (response.status !== 200) {
        throw new Error(
          `GetResources: ${response.status} ${JSON.stringify(body)}`,
        );
      }
      validateOutput(
        taggingModel,
        'GetResources',
        body,
        taggingTypes,
        this.report,
      );
      this.record('GetResources', body);
      items.push(...body.ResourceTagMappingList);
      token = body.PaginationToken;
    } while (token);
    return items;
  }

  /** Every operation the emulator implements, over everything the account-region holds. */
  async driveAll() {
    await this.getResources({ ResourcesPerPage: Math.min(this.pageSize, 100) });
    await this.getResources({ TagFilters: [{ Key: 'app' }] });

    for (const resource of await this.backupPages(
      'ListProtectedResources',
      'Results',
    )) {
      const ResourceArn = resource.ResourceArn;
      await this.backupPages('ListRecoveryPointsByResource', 'RecoveryPoints', {
        ResourceArn,
      });
      await this.backupPages(
        'ListRestoreJobsByProtectedResource',
        'RestoreJobs',
        {
          ResourceArn,
        },
      );
    }

    for (const vault of await this.backupPages(
      'ListBackupVaults',
      'BackupVaultList',
    )) {
      const BackupVaultName = vault.BackupVaultName;
      await this.backup('DescribeBackupVault', { BackupVaultName });
      await this.backupPages(
        'ListRecoveryPointsByBackupVault',
        'RecoveryPoints',
        {
          BackupVaultName,
        },
      );
    }

    await this.backupPages('ListBackupJobs', 'BackupJobs');
    await this.backupPages('ListCopyJobs', 'CopyJobs');
    await this.backupPages('ListRestoreJobs', 'RestoreJobs');

    for (const plan of await this.backupPages(
      'ListBackupPlans',
      'BackupPlansList',
      {
        IncludeDeleted: true,
      },
    )) {
      const BackupPlanId = plan.BackupPlanId;
      await this.backup('GetBackupPlan', { BackupPlanId });
      for (const selection of await this.backupPages(
        'ListBackupSelections',
        'BackupSelectionsList',
        { BackupPlanId },
      )) {
        await this.backup('GetBackupSelection', {
          BackupPlanId,
          SelectionId: selection.SelectionId,
        });
      }
    }

    for (const plan of await this.backupPages(
      'ListRestoreTestingPlans',
      'RestoreTestingPlans',
    )) {
      const RestoreTestingPlanName = plan.RestoreTestingPlanName;
      await this.backup('GetRestoreTestingPlan', { RestoreTestingPlanName });
      for (const selection of await this.backupPages(
        'ListRestoreTestingSelections',
        'RestoreTestingSelections',
        { RestoreTestingPlanName },
      )) {
        await this.backup('GetRestoreTestingSelection', {
          RestoreTestingPlanName,
          RestoreTestingSelectionName: selection.RestoreTestingSelectionName,
        });
      }
    }

    for (const hold of await this.backupPages('ListLegalHolds', 'LegalHolds')) {
      await this.backup('GetLegalHold', { LegalHoldId: hold.LegalHoldId });
      await this.backupPages(
        'ListRecoveryPointsByLegalHold',
        'RecoveryPoints',
        {
          LegalHoldId: hold.LegalHoldId,
        },
      );
    }
  }
}

/** Drives every operation over every readable account-region of `scenario`. */
async function driveScenario(scenario: Scenario, pageSize: number) {
  const emulator = await startEmulator({ scenario });
  const runs: ContractRun[] = [];
  try {
    for (const account of scenario.accounts.filter(a => !a.accessDenied)) {
      for (const region of account.regions.keys()) {
        const run = new ContractRun(
          emulator,
          account.accessKeyId,
          region,
          pageSize,
        );
        await run.driveAll();
        runs.push(run);
      }
    }
  } finally {
    await emulator.close();
  }
  const responses = new Map<string, number>();
  const items = new Map<string, number>();
  for (const run of runs) {
    run.responses.forEach((n, op) =>
      responses.set(op, (responses.get(op) ?? 0) + n),
    );
    run.items.forEach((n, key) => items.set(key, (items.get(key) ?? 0) + n));
  }
  return {
    // Each problem once, its list indexes left out: `RecoveryPoints[].StorageClass`.
    problems: [
      ...new Set(
        runs.flatMap(r =>
          r.report.problems.map(p => p.replace(/\[\d+\]/g, '[]')),
        ),
      ),
    ],
    newerMembers: [
      ...new Set(runs.flatMap(r => [...r.report.newerMembers])),
    ].sort(),
    responses,
    items,
  };
}

// Members the v2 model (frozen at its end of support) predates: the v3 SDK the
// plugin uses declares them, and they are checked by its types.
const NEWER_THAN_V2 = [
  'BackupVaultListMember.EncryptionKeyType',
  'DescribeBackupVaultOutput.EncryptionKeyType',
  'RecoveryPointByBackupVault.EncryptionKeyType',
  'RecoveryPointCreator.BackupRuleCron',
  'RecoveryPointCreator.BackupRuleName',
  'RestoreJobsListMember.ParentJobId',
  'RestoreJobsListMember.SourceResourceArn',
];

describe('the emulator against the AWS service models (aws-sdk v2 apis/*.min.json)', () => {
  it('answers every operation it implements, over the whole example scenario, as the models declare', async () => {
    // Small pages, so tokens and page ends are exercised as well.
    const result = await driveScenario(await loadScenario(EXAMPLE), 2);

    expect(result.problems).toEqual([]);
    expect(result.newerMembers.filter(m => !NEWER_THAN_V2.includes(m))).toEqual(
      [],
    );
    // Every operation the emulator routes was driven and validated...
    expect([...result.responses.keys()].sort()).toEqual(
      [...BACKUP_OPERATIONS, 'GetResources'].sort(),
    );
    // ...and every listing with items in it, not only empty ones.
    expect(
      [...result.items].filter(([, n]) => n === 0).map(([key]) => key),
    ).toEqual([]);
    const total = [...result.responses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(200);
  });

  it('answers as the models declare for the unit-test world and a synthetic org', async () => {
    for (const scenario of [
      testScenario(),
      parseScenario(
        generateSyntheticOrg({
          entities: 40,
          resources: 80,
          accountRegions: 4,
          recoveryPoints: 600,
          seed: 2,
        }).scenario,
      ),
    ]) {
      const result = await driveScenario(scenario, 100);
      expect(result.problems).toEqual([]);
      expect(
        result.newerMembers.filter(m => !NEWER_THAN_V2.includes(m)),
      ).toEqual([]);
      expect(result.responses.size).toBe(BACKUP_OPERATIONS.length + 1);
    }
  });
});
