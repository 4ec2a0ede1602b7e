import {
  Emulator,
  loadScenario,
  startEmulator,
} from '@backup-compliance/aws-backup-emulator';
import {
  emulatorClients,
  EXAMPLE_ACCOUNTS,
  EXAMPLE_REGIONS,
  EXAMPLE_SCENARIO,
} from '../__testUtils__/exampleWorld';
import { ApiCallCounter } from './awsClients';
import { collectAccountRegion } from './collectAccountRegion';
import { AccountRegion } from './types';

const LENDING = '222222222222';
const DENIED = '444444444444';
const JOBS_SINCE = new Date('2000-01-01T00:00:00Z');

let emulator: Emulator;

beforeEach(async () => {
  emulator = await startEmulator({
    scenario: await loadScenario(EXAMPLE_SCENARIO),
  });
});

afterEach(async () => {
  await emulator.close();
});

async function collect(target: AccountRegion) {
  const clients = await emulatorClients(emulator.url)(
    target,
    new ApiCallCounter(),
  );
  return collectAccountRegion(clients, {
    ...target,
    mode: 'full',
    jobsSince: JOBS_SINCE,
  });
}

const readable = EXAMPLE_ACCOUNTS.filter(a => a !== DENIED).flatMap(accountId =>
  EXAMPLE_REGIONS.map(region => ({ accountId, region })),
);

describe('collectAccountRegion against the emulator, with AWS as it really behaves', () => {
  it('survives a vault deleted between ListBackupVaults and ListRecoveryPointsByBackupVault (403), leaving it out with a note', async () => {
    const target = { accountId: LENDING, region: 'eu-central-1' };
    const before = await collect(target);
    const vault = 'lending-vault-unlocked';
    expect(before.vaults.map(v => v.BackupVaultName)).toContain(vault);
    expect(before.notes).toEqual([]);

    emulator.setFaults(LENDING, 'eu-central-1', { VanishingVaults: [vault] });
    emulator.resetStats();
    const after = await collect(target);

    expect(emulator.stats().operations.ListRecoveryPointsByBackupVault).toEqual(
      { calls: 3, throttled: 0, errors: 1 },
    );
    expect(after.vaults).toEqual(
      before.vaults.filter(v => v.BackupVaultName !== vault),
    );
    expect(after.recoveryPoints).toEqual(
      before.recoveryPoints.filter(
        p => !p.BackupVaultArn!.endsWith(`:${vault}`),
      ),
    );
    expect(after.recoveryPoints.length).toBeLessThan(
      before.recoveryPoints.length,
    );
    expect(after.notes).toEqual([
      expect.stringContaining(`Backup vault ${vault} was deleted`),
    ]);
    // Everything else is read as before.
    expect({ ...after, vaults: [], recoveryPoints: [], notes: [] }).toEqual({
      ...before,
      vaults: [],
      recoveryPoints: [],
      notes: [],
    });
  });

  it('keeps of each recovery point only the fields the checks read', async () => {
    const { recoveryPoints } = await collect({
      accountId: LENDING,
      region: 'eu-central-1',
    });
    expect(recoveryPoints.length).toBeGreaterThan(0);
    for (const point of recoveryPoints) {
      // The emulator sends ResourceName, as AWS does; the store does not need it.
      expect(point).not.toHaveProperty('ResourceName');
      expect(point).toEqual(
        expect.objectContaining({
          RecoveryPointArn: expect.any(String),
          ResourceArn: expect.any(String),
          CreationDate: expect.any(Date),
          Status: expect.any(String),
        }),
      );
    }
  });

  it('reads every item through short and empty pages with tokens, the same as without them', async () => {
    const expected = [];
    for (const target of readable) expected.push(await collect(target));

    for (const { accountId, region } of readable) {
      emulator.setFaults(accountId, region, {
        ShortPageRate: 0.5,
        ShortPageSeed: 7,
      });
    }
    emulator.resetStats();
    const actual = [];
    for (const target of readable) actual.push(await collect(target));

    expect(actual).toEqual(expected);
    const { shortPages, emptyPages } = emulator.stats();
    expect(shortPages).toBeGreaterThan(10);
    expect(emptyPages).toBeGreaterThan(3);
  });
});
