import {
  DescribePolicyCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
  paginateListPolicies,
} from '@aws-sdk/client-organizations';
import { parseScenario } from './scenario/loadScenario';
import { Emulator, startEmulator } from './server';
import { NOW } from './testing/testScenario';

const MANAGEMENT = '999999999999';
const PAYMENTS = '111111111111';
const LENDING = '222222222222';

/** A backup policy document in the syntax Organizations stores: values under `@@assign`. */
const document = (keepDays: number) => ({
  plans: {
    'transactions-db': {
      regions: { '@@assign': ['eu-central-1'] },
      rules: {
        yearly: {
          schedule_expression: { '@@assign': 'cron(0 4 1 1 ? *)' },
          target_backup_vault_name: { '@@assign': 'payments-vault' },
          lifecycle: { delete_after_days: { '@@assign': keepDays } },
        },
      },
      selections: {
        tags: {
          'by-policy-tag': {
            iam_role_arn: {
              '@@assign':
                'arn:aws:iam::$account:role/AWSBackupDefaultServiceRole',
            },
            tag_key: { '@@assign': 'backup-policy' },
            tag_value: { '@@assign': ['transactions-db'] },
          },
        },
      },
    },
  },
});

function organizationScenario(overrides: Record<string, unknown> = {}) {
  return {
    Accounts: [
      { AccountId: MANAGEMENT, Name: 'management' },
      { AccountId: PAYMENTS, Name: 'payments-prod' },
      { AccountId: LENDING, Name: 'lending-prod' },
    ],
    Organization: {
      ManagementAccountId: MANAGEMENT,
      OrganizationalUnits: [
        { Name: 'workloads' },
        { Name: 'payments', Parent: 'workloads', Accounts: [PAYMENTS] },
      ],
      Policies: [
        {
          Name: 'transactions-db-7y',
          Description: 'Transaction records, 7 years',
          Content: document(2555),
          Targets: ['workloads', LENDING],
        },
        { Name: 'deny-leave', Type: 'SERVICE_CONTROL_POLICY', Content: {} },
      ],
      ...overrides,
    },
  };
}

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(data: unknown = organizationScenario()) {
  await emulator?.close();
  emulator = await startEmulator({
    scenario: parseScenario(data, { now: NOW }),
  });
}

const organizations = (accountId = MANAGEMENT) =>
  new OrganizationsClient({
    endpoint: emulator!.url,
    region: 'us-east-1',
    credentials: { accessKeyId: `AKID${accountId}`, secretAccessKey: 'x' },
    maxAttempts: 1,
  });

describe('AWS Organizations over awsJson1_1, through the real SDK', () => {
  it('lists backup policies and serves their documents as JSON text', async () => {
    await start();
    const client = organizations();
    const { Policies } = await client.send(
      new ListPoliciesCommand({ Filter: 'BACKUP_POLICY' }),
    );
    expect(Policies).toEqual([
      {
        Id: expect.stringMatching(/^p-[0-9a-f]{8}$/),
        Arn: expect.stringMatching(
          new RegExp(
            `^arn:aws:organizations::${MANAGEMENT}:policy/o-[0-9a-f]{10}/backup_policy/p-[0-9a-f]{8}$`,
          ),
        ),
        Name: 'transactions-db-7y',
        Description: 'Transaction records, 7 years',
        Type: 'BACKUP_POLICY',
        AwsManaged: false,
      },
    ]);
    const { Policy } = await client.send(
      new DescribePolicyCommand({ PolicyId: Policies![0].Id }),
    );
    expect(JSON.parse(Policy!.Content!)).toEqual(document(2555));
    expect(Policy!.PolicySummary!.Name).toBe('transactions-db-7y');
  });

  it('names the targets of a policy and the tree to resolve them to accounts', async () => {
    await start();
    const client = organizations();
    const { Policies } = await client.send(
      new ListPoliciesCommand({ Filter: 'BACKUP_POLICY' }),
    );
    const { Targets } = await client.send(
      new ListTargetsForPolicyCommand({ PolicyId: Policies![0].Id }),
    );
    expect(Targets!.map(t => [t.Type, t.Name])).toEqual([
      ['ORGANIZATIONAL_UNIT', 'workloads'],
      ['ACCOUNT', 'lending-prod'],
    ]);
    const workloads = Targets![0].TargetId!;
    const { OrganizationalUnits } = await client.send(
      new ListOrganizationalUnitsForParentCommand({ ParentId: workloads }),
    );
    expect(OrganizationalUnits!.map(u => u.Name)).toEqual(['payments']);
    const { Accounts } = await client.send(
      new ListAccountsForParentCommand({
        ParentId: OrganizationalUnits![0].Id,
      }),
    );
    expect(Accounts!.map(a => [a.Id, a.Name, a.Status])).toEqual([
      [PAYMENTS, 'payments-prod', 'ACTIVE'],
    ]);
    // Accounts no unit lists are under the root.
    const { Roots } = await client.send(new ListRootsCommand({}));
    const { Accounts: underRoot } = await client.send(
      new ListAccountsForParentCommand({ ParentId: Roots![0].Id }),
    );
    expect(underRoot!.map(a => a.Id).sort()).toEqual([LENDING, MANAGEMENT]);
  });

  it('pages policies with tokens, as the SDK paginator follows them', async () => {
    await start(
      organizationScenario({
        Policies: Array.from({ length: 25 }, (_, i) => ({
          Name: `policy-${i}`,
          Content: document(30 + i),
        })),
      }),
    );
    const names: string[] = [];
    for await (const page of paginateListPolicies(
      { client: organizations() },
      { Filter: 'BACKUP_POLICY' },
    )) {
      names.push(...page.Policies!.map(p => p.Name!));
    }
    expect(names).toHaveLength(25);
  });

  it('refuses member accounts, as only the management account and delegated administrators may read policies', async () => {
    await start();
    await expect(
      organizations(PAYMENTS).send(
        new ListPoliciesCommand({ Filter: 'BACKUP_POLICY' }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: "You don't have permissions to access this resource.",
    });
    await start(organizationScenario({ DelegatedAdministrators: [PAYMENTS] }));
    const { Policies } = await organizations(PAYMENTS).send(
      new ListPoliciesCommand({ Filter: 'BACKUP_POLICY' }),
    );
    expect(Policies).toHaveLength(1);
  });

  it('answers AWSOrganizationsNotInUseException without an organization, and PolicyNotFoundException for an unknown id', async () => {
    await start({ Accounts: [{ AccountId: MANAGEMENT }] });
    await expect(
      organizations().send(
        new ListPoliciesCommand({ Filter: 'BACKUP_POLICY' }),
      ),
    ).rejects.toMatchObject({ name: 'AWSOrganizationsNotInUseException' });
    await start();
    await expect(
      organizations().send(
        new DescribePolicyCommand({ PolicyId: 'p-0000000000' }),
      ),
    ).rejects.toMatchObject({ name: 'PolicyNotFoundException' });
  });

  it('rejects a scenario whose policy targets nothing that exists', () => {
    expect(() =>
      parseScenario(
        organizationScenario({
          Policies: [{ Name: 'p', Content: {}, Targets: ['nowhere'] }],
        }),
        { now: NOW },
      ),
    ).toThrow(
      '/Organization/Policies/0/Targets/0: "nowhere" is neither Root, an organizational unit nor an account of the organization',
    );
  });
});
