import {
  recoveryPointArnFor,
  resourceNameOfArn,
  resourceTypeOfArn,
  stableId,
  vaultArn,
} from './ids';
import { resolveTime, TIME_FIELDS } from './time';
import {
  AccountState,
  AwsObject,
  LegalHoldState,
  OrganizationState,
  PlanState,
  RegionState,
  RestoreTestingPlanState,
  Scenario,
} from './types';

export type ScenarioProblem = { path: string; message: string };

const DAY_MS = 86_400_000;

const FINISHED_JOB_STATES = new Set([
  'COMPLETED',
  'FAILED',
  'ABORTED',
  'EXPIRED',
  'PARTIAL',
]);

/** Replaces time strings by `Date`s, wherever a field is a time field. */
function resolveTimes(
  value: any,
  now: Date,
  path: string,
  problems: ScenarioProblem[],
): any {
  if (Array.isArray(value)) {
    return value.map((item, i) =>
      resolveTimes(item, now, `${path}/${i}`, problems),
    );
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: AwsObject = {};
    for (const [key, field] of Object.entries(value)) {
      if (TIME_FIELDS.has(key) && typeof field === 'string') {
        const time = resolveTime(field, now);
        if (!time) {
          problems.push({
            path: `${path}/${key}`,
            message: `"${field}" is not a date`,
          });
        }
        out[key] = time;
      } else if (field instanceof Date) {
        out[key] = field; // YAML may already have parsed a timestamp
      } else {
        out[key] = resolveTimes(field, now, `${path}/${key}`, problems);
      }
    }
    return out;
  }
  return value;
}

function byCreationDesc(a: AwsObject, b: AwsObject) {
  return (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0);
}

function knownTimeZone(timeZone: string) {
  try {
    return !!new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return false;
  }
}

/** AWS keeps a point in cold storage at least 90 days before it may be deleted. */
function lifecycleProblems(
  lifecycle: AwsObject | undefined,
  path: string,
  problems: ScenarioProblem[],
) {
  const cold = lifecycle?.MoveToColdStorageAfterDays;
  const days = lifecycle?.DeleteAfterDays;
  if (cold !== undefined && days !== undefined && days < cold + 90) {
    problems.push({
      path: `${path}/DeleteAfterDays`,
      message: `DeleteAfterDays must be at least MoveToColdStorageAfterDays + 90 (${
        cold + 90
      }), as AWS requires; it is ${days}`,
    });
  }
}

function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function buildRegion(
  raw: AwsObject,
  accountId: string,
  now: Date,
  path: string,
  problems: ScenarioProblem[],
): RegionState {
  const region: string = raw.Region;
  const id = (...parts: Array<string | number>) =>
    stableId(accountId, region, ...parts);
  const defaultCreation = new Date(now.getTime() - 365 * DAY_MS);

  // Rules taking continuous backups, by plan id and rule id or name: their points
  // get continuous ARNs and no expiry of their own.
  const continuousRules = new Set<string>();
  (raw.BackupPlans ?? []).forEach((rawPlan: AwsObject, i: number) => {
    const planId = orDefault(
      rawPlan.BackupPlanId,
      id('plan', rawPlan.BackupPlanName),
    );
    (rawPlan.Rules ?? []).forEach((rule: AwsObject, r: number) => {
      const at = `${path}/BackupPlans/${i}/Rules/${r}`;
      lifecycleProblems(rule.Lifecycle, `${at}/Lifecycle`, problems);
      (rule.CopyActions ?? []).forEach((copy: AwsObject, c: number) =>
        lifecycleProblems(
          copy.Lifecycle,
          `${at}/CopyActions/${c}/Lifecycle`,
          problems,
        ),
      );
      if (
        rule.ScheduleExpressionTimezone !== undefined &&
        !knownTimeZone(rule.ScheduleExpressionTimezone)
      ) {
        problems.push({
          path: `${at}/ScheduleExpressionTimezone`,
          message: `"${rule.ScheduleExpressionTimezone}" is not an IANA time zone`,
        });
      }
      if (!rule.EnableContinuousBackup) return;
      continuousRules.add(`${planId}/${rule.RuleName}`);
      if (rule.RuleId) continuousRules.add(`${planId}/${rule.RuleId}`);
      const days = rule.Lifecycle?.DeleteAfterDays;
      if (days === undefined || days > 35) {
        problems.push({
          path: `${at}/Lifecycle/DeleteAfterDays`,
          message: `a continuous backup rule keeps points 1 to 35 days (AWS refuses ${
            days ?? 'no expiry'
          })`,
        });
      }
      if (rule.Lifecycle?.MoveToColdStorageAfterDays !== undefined) {
        problems.push({
          path: `${at}/Lifecycle/MoveToColdStorageAfterDays`,
          message: 'continuous backups cannot move to cold storage',
        });
      }
    });
  });
  const isContinuous = (point: AwsObject) => {
    const by = point.CreatedBy ?? {};
    return (
      continuousRules.has(`${by.BackupPlanId}/${by.BackupRuleId}`) ||
      continuousRules.has(`${by.BackupPlanId}/${by.BackupRuleName}`)
    );
  };

  const vaults: AwsObject[] = [];
  const recoveryPoints: AwsObject[] = [];
  const vaultNames = new Set<string>();
  (raw.BackupVaults ?? []).forEach((rawVault: AwsObject, v: number) => {
    const { RecoveryPoints = [], ...fields } = rawVault;
    const name: string = fields.BackupVaultName;
    if (vaultNames.has(name)) {
      problems.push({
        path: `${path}/BackupVaults/${v}/BackupVaultName`,
        message: `vault "${name}" is defined twice in ${accountId}/${region}`,
      });
    }
    vaultNames.add(name);
    const arn = vaultArn(region, accountId, name);
    const customerKey = fields.EncryptionKeyArn !== undefined;
    const airGapped = fields.VaultType === 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT';
    if (airGapped) {
      // AWS creates these locked in compliance mode, with both retention bounds given.
      for (const bound of ['MinRetentionDays', 'MaxRetentionDays']) {
        if (fields[bound] === undefined) {
          problems.push({
            path: `${path}/BackupVaults/${v}/${bound}`,
            message: `a logically air-gapped vault needs ${bound}`,
          });
        }
      }
      if (fields.Locked === false) {
        problems.push({
          path: `${path}/BackupVaults/${v}/Locked`,
          message: 'a logically air-gapped vault is always locked',
        });
      }
    }
    const vault: AwsObject = {
      BackupVaultName: name,
      BackupVaultArn: arn,
      VaultType: orDefault(fields.VaultType, 'BACKUP_VAULT'),
      VaultState: orDefault(fields.VaultState, 'AVAILABLE'),
      CreationDate: orDefault(fields.CreationDate, defaultCreation),
      EncryptionKeyArn: orDefault(
        fields.EncryptionKeyArn,
        `arn:aws:kms:${region}:${accountId}:key/${id('vault-key', name)}`,
      ),
      EncryptionKeyType: orDefault(
        fields.EncryptionKeyType,
        customerKey ? 'CUSTOMER_MANAGED_KMS_KEY' : 'AWS_OWNED_KMS_KEY',
      ),
      Locked: orDefault(fields.Locked, airGapped),
      NumberOfRecoveryPoints: RecoveryPoints.length,
    };
    if (airGapped && fields.LockDate === undefined) {
      vault.LockDate = vault.CreationDate;
    }
    for (const optional of [
      'LockDate',
      'MinRetentionDays',
      'MaxRetentionDays',
    ]) {
      if (fields[optional] !== undefined) vault[optional] = fields[optional];
    }
    vaults.push(vault);

    RecoveryPoints.forEach((point: AwsObject, p: number) => {
      const created: Date = point.CreationDate;
      const resourceType = orDefault(
        point.ResourceType,
        resourceTypeOfArn(point.ResourceArn),
      );
      const continuous = isContinuous(point);
      const deleteAfterDays = point.Lifecycle?.DeleteAfterDays;
      const coldAfterDays = point.Lifecycle?.MoveToColdStorageAfterDays;
      lifecycleProblems(
        point.Lifecycle,
        `${path}/BackupVaults/${v}/RecoveryPoints/${p}/Lifecycle`,
        problems,
      );
      const calculated: AwsObject = { ...(point.CalculatedLifecycle ?? {}) };
      // A continuous point is kept while the rule runs; its window is the lifecycle.
      if (
        !continuous &&
        calculated.DeleteAt === undefined &&
        deleteAfterDays !== undefined
      ) {
        calculated.DeleteAt = new Date(
          created.getTime() + deleteAfterDays * DAY_MS,
        );
      }
      if (
        calculated.MoveToColdStorageAt === undefined &&
        coldAfterDays !== undefined
      ) {
        calculated.MoveToColdStorageAt = new Date(
          created.getTime() + coldAfterDays * DAY_MS,
        );
      }
      recoveryPoints.push({
        ...point,
        RecoveryPointArn: orDefault(
          point.RecoveryPointArn,
          continuous
            ? `arn:aws:backup:${region}:${accountId}:recovery-point:continuous:${id(
                'rp',
                name,
                p,
              )}`
            : recoveryPointArnFor(
                resourceType,
                region,
                accountId,
                id('rp', name, p),
              ),
        ),
        ResourceType: resourceType,
        ResourceName: orDefault(
          point.ResourceName,
          resourceNameOfArn(point.ResourceArn),
        ),
        BackupVaultName: name,
        BackupVaultArn: arn,
        CompletionDate: orDefault(
          point.CompletionDate,
          new Date(created.getTime() + 20 * 60_000),
        ),
        Status: orDefault(point.Status, 'COMPLETED'),
        IsEncrypted: orDefault(point.IsEncrypted, true),
        EncryptionKeyArn: orDefault(
          point.EncryptionKeyArn,
          vault.EncryptionKeyArn,
        ),
        EncryptionKeyType: orDefault(
          point.EncryptionKeyType,
          vault.EncryptionKeyType,
        ),
        StorageClass: orDefault(
          point.StorageClass,
          calculated.MoveToColdStorageAt &&
            calculated.MoveToColdStorageAt.getTime() <= now.getTime()
            ? 'COLD'
            : 'WARM',
        ),
        VaultType: vault.VaultType,
        ...(Object.keys(calculated).length > 0
          ? { CalculatedLifecycle: calculated }
          : {}),
      });
    });
  });
  recoveryPoints.sort(byCreationDesc);
  const pointArns = new Set(
    recoveryPoints.map(p => p.RecoveryPointArn as string),
  );

  const plans: PlanState[] = (raw.BackupPlans ?? []).map(
    (rawPlan: AwsObject, i: number): PlanState => {
      const { Rules = [], Selections = [], ...fields } = rawPlan;
      const planId = orDefault(
        fields.BackupPlanId,
        id('plan', fields.BackupPlanName),
      );
      const created = orDefault(fields.CreationDate, defaultCreation);
      Rules.forEach((rule: AwsObject, r: number) => {
        if (!vaultNames.has(rule.TargetBackupVaultName)) {
          problems.push({
            path: `${path}/BackupPlans/${i}/Rules/${r}/TargetBackupVaultName`,
            message: `no vault "${
              rule.TargetBackupVaultName
            }" in ${accountId}/${region} (vaults: ${
              [...vaultNames].join(', ') || 'none'
            })`,
          });
        }
      });
      return {
        plan: {
          ...fields,
          BackupPlanId: planId,
          BackupPlanArn: `arn:aws:backup:${region}:${accountId}:backup-plan:${planId}`,
          VersionId: orDefault(fields.VersionId, id('plan-version', planId)),
          CreationDate: created,
        },
        rules: Rules.map((rule: AwsObject) => ({
          ...rule,
          RuleId: orDefault(rule.RuleId, id('rule', planId, rule.RuleName)),
          StartWindowMinutes: orDefault(rule.StartWindowMinutes, 480),
          CompletionWindowMinutes: orDefault(
            rule.CompletionWindowMinutes,
            10080,
          ),
        })),
        selections: Selections.map((selection: AwsObject) => ({
          ...selection,
          SelectionId: orDefault(
            selection.SelectionId,
            id('selection', planId, selection.SelectionName),
          ),
          IamRoleArn: orDefault(
            selection.IamRoleArn,
            `arn:aws:iam::${accountId}:role/service-role/AWSBackupDefaultServiceRole`,
          ),
          CreationDate: orDefault(selection.CreationDate, created),
          BackupPlanId: planId,
        })),
      };
    },
  );

  // A finished job has a completion time in AWS; scenarios may leave it out.
  const finished = (job: AwsObject) =>
    FINISHED_JOB_STATES.has(job.State ?? job.Status) &&
    job.CompletionDate === undefined
      ? { CompletionDate: new Date(job.CreationDate.getTime() + 20 * 60_000) }
      : {};
  const withJobDefaults =
    (kind: string, idField: string) =>
    (job: AwsObject, j: number): AwsObject => ({
      ...job,
      ...finished(job),
      [idField]: orDefault(job[idField], id(kind, j)),
      AccountId: accountId,
      ...(job.ResourceArn
        ? {
            ResourceType: orDefault(
              job.ResourceType,
              resourceTypeOfArn(job.ResourceArn),
            ),
            ResourceName: orDefault(
              job.ResourceName,
              resourceNameOfArn(job.ResourceArn),
            ),
          }
        : {}),
    });

  const backupJobs = (raw.BackupJobs ?? [])
    .map(withJobDefaults('backup-job', 'BackupJobId'))
    .map((job: AwsObject) => ({
      ...job,
      ...(job.BackupVaultName
        ? { BackupVaultArn: vaultArn(region, accountId, job.BackupVaultName) }
        : {}),
    }))
    .sort(byCreationDesc);
  const copyJobs = (raw.CopyJobs ?? [])
    .map(withJobDefaults('copy-job', 'CopyJobId'))
    .sort(byCreationDesc);
  const restoreJobs = (raw.RestoreJobs ?? [])
    .map(withJobDefaults('restore-job', 'RestoreJobId'))
    .map((job: AwsObject) => ({
      ...job,
      ResourceType: orDefault(
        job.ResourceType,
        job.SourceResourceArn
          ? resourceTypeOfArn(job.SourceResourceArn)
          : undefined,
      ),
    }))
    .sort(byCreationDesc);

  const restoreTestingPlans: RestoreTestingPlanState[] = (
    raw.RestoreTestingPlans ?? []
  ).map((rawPlan: AwsObject) => {
    const { Selections = [], ...fields } = rawPlan;
    const created = orDefault(fields.CreationTime, defaultCreation);
    return {
      plan: {
        ...fields,
        RestoreTestingPlanArn: orDefault(
          fields.RestoreTestingPlanArn,
          `arn:aws:backup:${region}:${accountId}:restore-testing-plan:${fields.RestoreTestingPlanName}`,
        ),
        CreationTime: created,
      },
      selections: Selections.map((selection: AwsObject) => ({
        ...selection,
        RestoreTestingPlanName: fields.RestoreTestingPlanName,
        IamRoleArn: orDefault(
          selection.IamRoleArn,
          `arn:aws:iam::${accountId}:role/service-role/AWSBackupDefaultServiceRole`,
        ),
        CreationTime: orDefault(selection.CreationTime, created),
      })),
    };
  });

  const legalHolds: LegalHoldState[] = (raw.LegalHolds ?? []).map(
    (rawHold: AwsObject, h: number) => {
      const { RecoveryPointArns = [], ...fields } = rawHold;
      RecoveryPointArns.forEach((arn: string, a: number) => {
        if (!pointArns.has(arn)) {
          problems.push({
            path: `${path}/LegalHolds/${h}/RecoveryPointArns/${a}`,
            message: `no recovery point "${arn}" in ${accountId}/${region}`,
          });
        }
      });
      const holdId = orDefault(fields.LegalHoldId, id('legal-hold', h));
      return {
        hold: {
          ...fields,
          LegalHoldId: holdId,
          LegalHoldArn: orDefault(
            fields.LegalHoldArn,
            `arn:aws:backup:${region}:${accountId}:legal-hold:${holdId}`,
          ),
          CreationDate: orDefault(fields.CreationDate, defaultCreation),
        },
        recoveryPointArns: RecoveryPointArns,
      };
    },
  );

  // A misspelt vault in a fault would quietly inject nothing.
  ((raw.Faults?.VanishingVaults ?? []) as string[]).forEach((name, i) => {
    if (!vaultNames.has(name)) {
      problems.push({
        path: `${path}/Faults/VanishingVaults/${i}`,
        message: `no vault "${name}" in ${accountId}/${region} (vaults: ${
          [...vaultNames].join(', ') || 'none'
        })`,
      });
    }
  });

  return {
    accountId,
    region,
    faults: raw.Faults ?? {},
    resources: (raw.Resources ?? []).map((r: AwsObject) => ({
      ResourceARN: r.ResourceARN,
      Tags: r.Tags ?? {},
    })),
    vaults,
    recoveryPoints,
    plans,
    backupJobs,
    copyJobs,
    restoreJobs,
    restoreTestingPlans,
    legalHolds,
  };
}

/** Builds the emulator's world from schema-valid scenario data; semantic problems go to `problems`. */
/** The organization's tree and backup policies, with ids and ARNs derived as AWS forms them. */
function buildOrganization(
  raw: AwsObject,
  accounts: AccountState[],
  problems: ScenarioProblem[],
): OrganizationState {
  const path = '/Organization';
  const management: string = raw.ManagementAccountId;
  const hex = (length: number, ...parts: string[]) =>
    stableId('organization', ...parts)
      .replace(/-/g, '')
      .slice(0, length);
  const orgId: string = raw.Id ?? `o-${hex(10, management)}`;
  const arn = (kind: string, id: string) =>
    `arn:aws:organizations::${management}:${kind}/${orgId}/${id}`;
  if (!accounts.some(a => a.accountId === management)) {
    problems.push({
      path: `${path}/ManagementAccountId`,
      message: `the management account ${management} is not among the scenario's accounts, so nothing can call Organizations`,
    });
  }
  const rootId = `r-${hex(4, management, 'root')}`;
  const root = {
    Id: rootId,
    Arn: arn('root', rootId),
    Name: 'Root',
    PolicyTypes: [{ Type: 'BACKUP_POLICY', Status: 'ENABLED' }],
  };
  const unitIds = new Map<string, string>();
  (raw.OrganizationalUnits ?? []).forEach((u: AwsObject, i: number) => {
    if (unitIds.has(u.Name)) {
      problems.push({
        path: `${path}/OrganizationalUnits/${i}/Name`,
        message: `organizational unit "${u.Name}" is defined twice`,
      });
    }
    unitIds.set(
      u.Name,
      u.Id ?? `ou-${rootId.slice(2)}-${hex(8, management, 'ou', u.Name)}`,
    );
  });
  const units = (raw.OrganizationalUnits ?? []).map(
    (u: AwsObject, i: number) => {
      const parentId =
        u.Parent === undefined || u.Parent === 'Root'
          ? rootId
          : unitIds.get(u.Parent);
      if (!parentId) {
        problems.push({
          path: `${path}/OrganizationalUnits/${i}/Parent`,
          message: `no organizational unit "${u.Parent}" (units: ${[
            ...unitIds.keys(),
          ].join(', ')})`,
        });
      }
      const id = unitIds.get(u.Name)!;
      return {
        unit: { Id: id, Arn: arn('ou', id), Name: u.Name },
        parentId: parentId ?? rootId,
      };
    },
  );
  // Every scenario account is in the organization: in the unit that lists it, else the root.
  const placed = new Map<string, string>();
  (raw.OrganizationalUnits ?? []).forEach((u: AwsObject, i: number) =>
    (u.Accounts ?? []).forEach((accountId: string, j: number) => {
      if (placed.has(accountId)) {
        problems.push({
          path: `${path}/OrganizationalUnits/${i}/Accounts/${j}`,
          message: `account ${accountId} is in two organizational units`,
        });
      }
      placed.set(accountId, unitIds.get(u.Name)!);
    }),
  );
  const accountIds = [
    ...new Set([...accounts.map(a => a.accountId), ...placed.keys()]),
  ];
  const orgAccounts = accountIds.map(accountId => {
    const name =
      accounts.find(a => a.accountId === accountId)?.name ?? accountId;
    return {
      account: {
        Id: accountId,
        Arn: arn('account', accountId),
        Name: name,
        Email: `aws+${name}@example.com`,
        Status: 'ACTIVE',
        State: 'ACTIVE',
        JoinedMethod: accountId === management ? 'CREATED' : 'INVITED',
      },
      parentId: placed.get(accountId) ?? rootId,
    };
  });
  const policies = (raw.Policies ?? []).map((p: AwsObject, i: number) => {
    const type = p.Type ?? 'BACKUP_POLICY';
    const id = p.Id ?? `p-${hex(8, management, 'policy', p.Name)}`;
    const targets = (p.Targets ?? []).flatMap((target: string, t: number) => {
      if (target === 'Root') {
        return [
          { TargetId: rootId, Arn: root.Arn, Name: 'Root', Type: 'ROOT' },
        ];
      }
      const unit = unitIds.get(target);
      if (unit) {
        return [
          {
            TargetId: unit,
            Arn: arn('ou', unit),
            Name: target,
            Type: 'ORGANIZATIONAL_UNIT',
          },
        ];
      }
      const account = orgAccounts.find(a => a.account.Id === target);
      if (account) {
        return [
          {
            TargetId: target,
            Arn: account.account.Arn,
            Name: account.account.Name,
            Type: 'ACCOUNT',
          },
        ];
      }
      problems.push({
        path: `${path}/Policies/${i}/Targets/${t}`,
        message: `"${target}" is neither Root, an organizational unit nor an account of the organization`,
      });
      return [];
    });
    return {
      summary: {
        Id: id,
        Arn: `arn:aws:organizations::${management}:policy/${orgId}/${type.toLowerCase()}/${id}`,
        Name: p.Name,
        Description: p.Description ?? '',
        Type: type,
        AwsManaged: false,
      },
      content: p.Content,
      targets,
    };
  });
  return {
    id: orgId,
    managementAccountId: management,
    delegatedAdministrators: raw.DelegatedAdministrators ?? [],
    root,
    units,
    accounts: orgAccounts,
    policies,
  };
}

export function buildScenario(
  data: {
    Description?: string;
    Accounts: AwsObject[];
    Organization?: AwsObject;
  },
  now: Date,
  problems: ScenarioProblem[],
): Scenario {
  const resolved = resolveTimes(data, now, '', problems);
  const accessKeys = new Map<string, string>();
  const accounts: AccountState[] = resolved.Accounts.map(
    (rawAccount: AwsObject, a: number): AccountState => {
      const accountId: string = rawAccount.AccountId;
      const accessKeyId: string = rawAccount.AccessKeyId ?? `AKID${accountId}`;
      const path = `/Accounts/${a}`;
      const owner = accessKeys.get(accessKeyId);
      if (owner !== undefined) {
        problems.push({
          path: `${path}/AccessKeyId`,
          message: `access key id "${accessKeyId}" is already used by account ${owner}`,
        });
      }
      accessKeys.set(accessKeyId, accountId);
      const regions = new Map<string, RegionState>();
      (rawAccount.Regions ?? []).forEach((rawRegion: AwsObject, r: number) => {
        if (regions.has(rawRegion.Region)) {
          problems.push({
            path: `${path}/Regions/${r}/Region`,
            message: `region ${rawRegion.Region} is listed twice for account ${accountId}`,
          });
        }
        regions.set(
          rawRegion.Region,
          buildRegion(
            rawRegion,
            accountId,
            now,
            `${path}/Regions/${r}`,
            problems,
          ),
        );
      });
      return {
        accountId,
        accessKeyId,
        name: rawAccount.Name,
        accessDenied: rawAccount.AccessDenied ?? false,
        regions,
      };
    },
  );
  const seen = new Set<string>();
  accounts.forEach((account, a) => {
    if (seen.has(account.accountId)) {
      problems.push({
        path: `/Accounts/${a}/AccountId`,
        message: `account ${account.accountId} is listed twice`,
      });
    }
    seen.add(account.accountId);
  });
  return {
    description: resolved.Description,
    loadedAt: now,
    accounts,
    ...(resolved.Organization
      ? {
          organization: buildOrganization(
            resolved.Organization,
            accounts,
            problems,
          ),
        }
      : {}),
  };
}
