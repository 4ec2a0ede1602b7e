import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOW, testScenarioData } from '../testing/testScenario';
import { loadScenario, parseScenario, ScenarioError } from './loadScenario';
import { resolveTime } from './time';

const DAY = 86_400_000;

async function writeTemp(name: string, text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'scenario-'));
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

function problemsOf(data: unknown): string[] {
  try {
    parseScenario(data, { file: 'bad.yaml', now: NOW });
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).message).toContain('Invalid scenario bad.yaml');
    return (error as ScenarioError).problems;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('resolveTime', () => {
  it.each([
    ['now', 0],
    ['-3d', -3 * DAY],
    ['-26h', -26 * 3_600_000],
    ['-90m', -90 * 60_000],
    ['-2w', -14 * DAY],
    ['-7y', -7 * 365 * DAY],
    ['+10d', 10 * DAY],
    ['-30s', -30_000],
  ])('resolves %s relative to now', (text, offset) => {
    expect(resolveTime(text, NOW)).toEqual(new Date(NOW.getTime() + offset));
  });

  it('reads ISO-8601 dates', () => {
    expect(resolveTime('2025-01-31T02:00:00Z', NOW)).toEqual(
      new Date(Date.UTC(2025, 0, 31, 2)),
    );
    expect(resolveTime('2025-01-31', NOW)).toEqual(
      new Date(Date.UTC(2025, 0, 31)),
    );
  });

  it('returns undefined for text that is no time', () => {
    expect(resolveTime('yesterday', NOW)).toBeUndefined();
  });
});

describe('parseScenario', () => {
  it('resolves relative times against the load time', () => {
    const scenario = parseScenario(testScenarioData(), { now: NOW });
    const region = scenario.accounts[0].regions.get('eu-central-1')!;
    const vault = region.vaults.find(
      v => v.BackupVaultName === 'payments-vault',
    )!;
    expect(vault.LockDate).toEqual(new Date(NOW.getTime() - 400 * DAY));
    expect(region.recoveryPoints[0].CreationDate).toEqual(
      new Date(NOW.getTime() - DAY),
    );
    expect(scenario.loadedAt).toEqual(NOW);
  });

  it('gives accounts a default access key id', () => {
    const scenario = parseScenario(testScenarioData(), { now: NOW });
    expect(scenario.accounts.map(a => a.accessKeyId)).toEqual([
      'AKID111111111111',
      'AKIALENDINGTEST',
      'AKID444444444444',
    ]);
  });

  it('derives the same ids on every load', () => {
    const a = parseScenario(testScenarioData(), { now: NOW });
    const b = parseScenario(testScenarioData(), { now: NOW });
    const ids = (s: typeof a) =>
      s.accounts[0].regions
        .get('eu-central-1')!
        .recoveryPoints.map(p => p.RecoveryPointArn);
    expect(ids(b)).toEqual(ids(a));
  });

  it("derives a recovery point's ARN from its resource type, as AWS names them", () => {
    const resources = {
      EBS: 'arn:aws:ec2:eu-central-1:111111111111:volume/vol-0a1b2c3d4e5f60718',
      EC2: 'arn:aws:ec2:eu-central-1:111111111111:instance/i-0a1b2c3d4e5f60718',
      RDS: 'arn:aws:rds:eu-central-1:111111111111:db:ledger',
      Aurora: 'arn:aws:rds:eu-central-1:111111111111:cluster:servicing',
      DynamoDB: 'arn:aws:dynamodb:eu-central-1:111111111111:table/cards',
      EFS: 'arn:aws:elasticfilesystem:eu-central-1:111111111111:file-system/fs-1',
    };
    const scenario = parseScenario(
      {
        Accounts: [
          {
            AccountId: '111111111111',
            Regions: [
              {
                Region: 'eu-central-1',
                BackupVaults: [
                  {
                    BackupVaultName: 'vault',
                    RecoveryPoints: Object.values(resources).map(arn => ({
                      ResourceArn: arn,
                      CreationDate: '-1d',
                    })),
                  },
                ],
              },
            ],
          },
        ],
      },
      { now: NOW },
    );
    const points =
      scenario.accounts[0].regions.get('eu-central-1')!.recoveryPoints;
    const arnOf = (resource: string) =>
      points.find(p => p.ResourceArn === resource)!.RecoveryPointArn;
    expect(arnOf(resources.EBS)).toMatch(
      /^arn:aws:ec2:eu-central-1::snapshot\/snap-[0-9a-f]{17}$/,
    );
    expect(arnOf(resources.EC2)).toMatch(
      /^arn:aws:ec2:eu-central-1::image\/ami-[0-9a-f]{17}$/,
    );
    expect(arnOf(resources.RDS)).toMatch(
      /^arn:aws:rds:eu-central-1:111111111111:snapshot:awsbackup:job-[0-9a-f-]{36}$/,
    );
    expect(arnOf(resources.Aurora)).toMatch(
      /^arn:aws:rds:eu-central-1:111111111111:cluster-snapshot:awsbackup:job-[0-9a-f-]{36}$/,
    );
    for (const resource of [resources.DynamoDB, resources.EFS]) {
      expect(arnOf(resource)).toMatch(
        /^arn:aws:backup:eu-central-1:111111111111:recovery-point:[0-9a-f-]{36}$/,
      );
    }
    expect(new Set(points.map(p => p.RecoveryPointArn)).size).toBe(6);
  });

  it('gives continuous points continuous ARNs and no expiry, and cold points the cold storage class', () => {
    const db = 'arn:aws:rds:eu-central-1:111111111111:db:ledger';
    const scenario = parseScenario(
      {
        Accounts: [
          {
            AccountId: '111111111111',
            Regions: [
              {
                Region: 'eu-central-1',
                BackupVaults: [
                  {
                    BackupVaultName: 'vault',
                    RecoveryPoints: [
                      {
                        ResourceArn: db,
                        CreationDate: '-200d',
                        Lifecycle: { DeleteAfterDays: 35 },
                        CreatedBy: {
                          BackupPlanId: 'p',
                          BackupRuleName: 'pitr',
                        },
                      },
                      {
                        ResourceArn: db,
                        CreationDate: '-100d',
                        Lifecycle: {
                          DeleteAfterDays: 365,
                          MoveToColdStorageAfterDays: 30,
                        },
                        CreatedBy: {
                          BackupPlanId: 'p',
                          BackupRuleName: 'monthly',
                        },
                      },
                      {
                        ResourceArn: db,
                        CreationDate: '-10d',
                        Lifecycle: {
                          DeleteAfterDays: 365,
                          MoveToColdStorageAfterDays: 30,
                        },
                        CreatedBy: {
                          BackupPlanId: 'p',
                          BackupRuleName: 'monthly',
                        },
                      },
                    ],
                  },
                  {
                    BackupVaultName: 'air-gapped',
                    VaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT',
                    MinRetentionDays: 7,
                    MaxRetentionDays: 3650,
                    CreationDate: '-30d',
                  },
                ],
                BackupPlans: [
                  {
                    BackupPlanId: 'p',
                    BackupPlanName: 'ledger',
                    Rules: [
                      {
                        RuleName: 'pitr',
                        TargetBackupVaultName: 'vault',
                        ScheduleExpression: 'cron(0 2 * * ? *)',
                        EnableContinuousBackup: true,
                        Lifecycle: { DeleteAfterDays: 35 },
                      },
                      {
                        RuleName: 'monthly',
                        TargetBackupVaultName: 'vault',
                        ScheduleExpression: 'cron(0 3 1 * ? *)',
                        Lifecycle: {
                          DeleteAfterDays: 365,
                          MoveToColdStorageAfterDays: 30,
                        },
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
      { now: NOW },
    );
    const region = scenario.accounts[0].regions.get('eu-central-1')!;
    const [recent, older, continuous] = region.recoveryPoints;
    expect(continuous.RecoveryPointArn).toMatch(
      /^arn:aws:backup:eu-central-1:111111111111:recovery-point:continuous:/,
    );
    expect(continuous.CalculatedLifecycle).toBeUndefined();
    expect(continuous.StorageClass).toBe('WARM');
    expect(recent.RecoveryPointArn).toMatch(/:snapshot:awsbackup:job-/);
    expect(recent.CreationDate).toEqual(new Date(NOW.getTime() - 10 * DAY));
    expect(recent.StorageClass).toBe('WARM');
    expect(older.StorageClass).toBe('COLD');
    expect(older.CalculatedLifecycle.MoveToColdStorageAt).toEqual(
      new Date(NOW.getTime() - 70 * DAY),
    );
    const airGapped = region.vaults.find(
      v => v.BackupVaultName === 'air-gapped',
    )!;
    expect(airGapped).toMatchObject({
      Locked: true,
      LockDate: new Date(NOW.getTime() - 30 * DAY),
      MinRetentionDays: 7,
      MaxRetentionDays: 3650,
    });
  });

  it('refuses what AWS refuses: continuous past 35 days, cold storage under 90 days, air-gapped vaults without bounds, unknown time zones', () => {
    const data = testScenarioData() as any;
    const region = data.Accounts[0].Regions[0];
    region.BackupPlans[0].Rules.push({
      RuleName: 'pitr',
      TargetBackupVaultName: region.BackupVaults[0].BackupVaultName,
      EnableContinuousBackup: true,
      Lifecycle: { DeleteAfterDays: 60, MoveToColdStorageAfterDays: 7 },
    });
    region.BackupPlans[0].Rules[0].CopyActions[0].Lifecycle = {
      DeleteAfterDays: 100,
      MoveToColdStorageAfterDays: 30,
    };
    region.BackupPlans[0].Rules[0].ScheduleExpressionTimezone =
      'Europe/Frankfurt';
    delete region.BackupVaults[1].MaxRetentionDays;
    region.BackupVaults[1].Locked = false;
    expect(problemsOf(data)).toEqual([
      '/Accounts/0/Regions/0/BackupPlans/0/Rules/0/CopyActions/0/Lifecycle/DeleteAfterDays: DeleteAfterDays must be at least MoveToColdStorageAfterDays + 90 (120), as AWS requires; it is 100',
      '/Accounts/0/Regions/0/BackupPlans/0/Rules/0/ScheduleExpressionTimezone: "Europe/Frankfurt" is not an IANA time zone',
      '/Accounts/0/Regions/0/BackupPlans/0/Rules/1/Lifecycle/DeleteAfterDays: DeleteAfterDays must be at least MoveToColdStorageAfterDays + 90 (97), as AWS requires; it is 60',
      '/Accounts/0/Regions/0/BackupPlans/0/Rules/1/Lifecycle/DeleteAfterDays: a continuous backup rule keeps points 1 to 35 days (AWS refuses 60)',
      '/Accounts/0/Regions/0/BackupPlans/0/Rules/1/Lifecycle/MoveToColdStorageAfterDays: continuous backups cannot move to cold storage',
      '/Accounts/0/Regions/0/BackupVaults/1/MaxRetentionDays: a logically air-gapped vault needs MaxRetentionDays',
      '/Accounts/0/Regions/0/BackupVaults/1/Locked: a logically air-gapped vault is always locked',
    ]);
  });

  it('names the path of a wrongly typed field and what was expected', () => {
    const data = testScenarioData() as any;
    data.Accounts[0].Regions[0].BackupVaults[0].Locked = 'yes';
    expect(problemsOf(data)).toEqual([
      '/Accounts/0/Regions/0/BackupVaults/0/Locked: must be boolean',
    ]);
  });

  it('explains an unquoted account id, a bad time and an unknown enum value', () => {
    const data = testScenarioData() as any;
    data.Accounts[1].AccountId = 222222222222;
    data.Accounts[0].Regions[0].BackupJobs[0].CreationDate = 'last tuesday';
    data.Accounts[0].Regions[0].BackupJobs[1].State = 'DONE';
    const problems = problemsOf(data);
    expect(problems).toContain('/Accounts/1/AccountId: must be string');
    expect(problems).toContain(
      '/Accounts/0/Regions/0/BackupJobs/0/CreationDate: must be a time: ISO-8601 (2026-01-31T02:00:00Z) or relative (now, -3d, -26h, -7y, +10d)',
    );
    expect(problems).toContain(
      '/Accounts/0/Regions/0/BackupJobs/1/State: must be one of "CREATED", "PENDING", "RUNNING", "ABORTING", "ABORTED", "COMPLETED", "FAILED", "EXPIRED", "PARTIAL"',
    );
  });

  it('rejects unknown fields and missing required ones', () => {
    const data = testScenarioData() as any;
    data.Accounts[0].Regions[0].BackupVaults[0].Lockd = true;
    delete data.Accounts[0].Regions[0].BackupPlans[0].BackupPlanName;
    expect(problemsOf(data)).toEqual(
      expect.arrayContaining([
        '/Accounts/0/Regions/0/BackupVaults/0: unknown field "Lockd"',
        '/Accounts/0/Regions/0/BackupPlans/0: missing required field "BackupPlanName"',
      ]),
    );
  });

  it('rejects references to vaults and recovery points that do not exist', () => {
    const data = testScenarioData() as any;
    data.Accounts[0].Regions[0].BackupPlans[0].Rules[0].TargetBackupVaultName =
      'gone';
    data.Accounts[0].Regions[0].LegalHolds[0].RecoveryPointArns = [
      'arn:aws:backup:x:1:recovery-point:nope',
    ];
    expect(problemsOf(data)).toEqual([
      '/Accounts/0/Regions/0/BackupPlans/0/Rules/0/TargetBackupVaultName: no vault "gone" in 111111111111/eu-central-1 (vaults: payments-vault, scratch)',
      '/Accounts/0/Regions/0/LegalHolds/0/RecoveryPointArns/0: no recovery point "arn:aws:backup:x:1:recovery-point:nope" in 111111111111/eu-central-1',
    ]);
  });

  it('rejects duplicate accounts, regions and access keys', () => {
    const data = testScenarioData() as any;
    data.Accounts[2].AccountId = '111111111111';
    data.Accounts[1].AccessKeyId = 'AKID111111111111';
    data.Accounts[0].Regions.push({ Region: 'eu-west-1' });
    expect(problemsOf(data)).toEqual(
      expect.arrayContaining([
        '/Accounts/0/Regions/2/Region: region eu-west-1 is listed twice for account 111111111111',
        '/Accounts/1/AccessKeyId: access key id "AKID111111111111" is already used by account 111111111111',
        '/Accounts/2/AccountId: account 111111111111 is listed twice',
      ]),
    );
  });
});

describe('loadScenario', () => {
  it('reads YAML files', async () => {
    const file = await writeTemp(
      'ok.yaml',
      `Accounts:
  - AccountId: '123456789012'
    Regions:
      - Region: eu-central-1
        BackupVaults:
          - BackupVaultName: main
            Locked: true
            LockDate: -1y
`,
    );
    const scenario = await loadScenario(file, { now: NOW });
    expect(
      scenario.accounts[0].regions.get('eu-central-1')!.vaults[0].LockDate,
    ).toEqual(new Date(NOW.getTime() - 365 * DAY));
  });

  it('reads JSON files', async () => {
    const file = await writeTemp('ok.json', JSON.stringify(testScenarioData()));
    const scenario = await loadScenario(file, { now: NOW });
    expect(scenario.accounts).toHaveLength(3);
  });

  it('names the file and the line of a YAML syntax error', async () => {
    const file = await writeTemp(
      'broken.yaml',
      'Accounts:\n  - AccountId: "1\n    Regions: []\n',
    );
    await expect(loadScenario(file)).rejects.toThrow(
      new RegExp(
        `Invalid scenario ${file.replace(
          /[/.]/g,
          '\\$&',
        )}:\\n  - line \\d+, column \\d+: `,
      ),
    );
  });

  it('names the file and the field path of a schema error', async () => {
    const file = await writeTemp(
      'bad.yaml',
      "Accounts:\n  - AccountId: '1234'\n",
    );
    await expect(loadScenario(file)).rejects.toThrow(
      `Invalid scenario ${file}:\n  - /Accounts/0/AccountId: must be a 12-digit account id in quotes ('111111111111')`,
    );
  });

  it('says when the file cannot be read', async () => {
    await expect(loadScenario('/nonexistent/scenario.yaml')).rejects.toThrow(
      /Invalid scenario \/nonexistent\/scenario.yaml:\n {2}- cannot be read: ENOENT/,
    );
  });
});
