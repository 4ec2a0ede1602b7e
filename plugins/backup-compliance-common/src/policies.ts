/**
 * What a named compliance policy requires, as configured under
 * `backupCompliance.policies`.
 *
 * @public
 */
export type PolicyRequirements = {
  rpoHours: number;
  rtoMinutes: number;
  /** 0 means the tier is not required. */
  retention: { dailyDays: number; monthlyMonths: number; yearlyYears: number };
  /** Years records must stay restorable by law; default: the yearly retention. */
  legalRetentionYears: number;
  vaultLock: 'none' | 'governance' | 'compliance';
  encryption: 'any' | 'customer-managed';
  copies: {
    crossRegion: boolean;
    crossAccount: boolean;
    /**
     * What copies elsewhere must keep: as long as the point they copy, or at least
     * this many days (or as long as the source, when the source keeps less).
     */
    retention: 'same-as-source' | number;
  };
  restoreTesting: {
    required: boolean;
    maxAgeDays: number;
    requireValidation: boolean;
  };
};

/**
 * One rule of a plan in an AWS Organizations backup policy, read from its document.
 *
 * @public
 */
export type OrganizationPolicyRule = {
  name: string;
  scheduleExpression?: string;
  scheduleExpressionTimezone?: string;
  targetBackupVaultName?: string;
  deleteAfterDays?: number;
  moveToColdStorageAfterDays?: number;
  continuous?: boolean;
  /** Copy actions: the destination vault ARN (`$account` stands for each account) and its own lifecycle. */
  copies: Array<{ destination: string; deleteAfterDays?: number }>;
};

/**
 * A plan of an AWS Organizations backup policy.
 *
 * @public
 */
export type OrganizationPolicyPlan = {
  name: string;
  regions: string[];
  rules: OrganizationPolicyRule[];
  /** The tags its selections select resources by. */
  selections: Array<{ name: string; tagKey: string; tagValues: string[] }>;
};

/**
 * A finding on an organization backup policy: how a plan measures up to the
 * compliance policy it implements, or where an account drifted from it.
 *
 * @public
 */
export type OrganizationPolicyFinding = {
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  /** Where: the plan and rule, or the account and region. */
  subject: string;
  text: string;
  /** The account (and region) a drift is about. */
  accountId?: string;
  region?: string;
};

/**
 * An AWS Organizations backup policy (`BACKUP_POLICY`) and its verdict.
 *
 * @public
 */
export type OrganizationBackupPolicy = {
  id: string;
  name: string;
  description?: string;
  arn?: string;
  /** Where it is attached: the root, organizational units, accounts. */
  targets: Array<{
    id: string;
    name?: string;
    type: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';
  }>;
  /** The accounts the targets resolve to. */
  accounts: string[];
  plans: OrganizationPolicyPlan[];
  /** The compliance policies it implements: the values its selections select by the policy tag. */
  implements: string[];
  /** The worst of its findings; `unknown` when it implements no compliance policy. */
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  /** Its rules against each compliance policy it implements. */
  findings: OrganizationPolicyFinding[];
  /** Target accounts whose plans do not carry its rules, and accounts it should target. */
  drift: OrganizationPolicyFinding[];
};

/**
 * `GET /v1/policies`: every compliance policy with the organization policies
 * implementing it.
 *
 * @public
 */
export type PoliciesResponse = {
  organization: {
    /** `backupCompliance.organization.accountId` is set. */
    configured: boolean;
    accountId?: string;
    /** When the policies were last read. */
    collectedAt?: string;
    /** Why the last read failed, when it did. */
    error?: string;
    /** When the policies were last asked for, successfully or not. */
    attemptedAt?: string;
  };
  /** The configured compliance policies, defaults applied. */
  items: Array<
    PolicyRequirements & {
      name: string;
      /** Ids of the organization policies implementing it. */
      organizationPolicies: string[];
    }
  >;
  organizationPolicies: OrganizationBackupPolicy[];
};
