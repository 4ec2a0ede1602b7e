/*
 * Runs one collection cycle in a process of its own, for the test that kills a
 * backend mid-cycle (SIGKILL: no shutdown hook runs). Started by
 * crash.postgres.test.ts with BACKUP_COMPLIANCE_TEST_DB (a PostgreSQL connection,
 * JSON) and BACKUP_COMPLIANCE_TEST_EMULATOR (the emulator's URL).
 */
import { ConfigReader } from '@backstage/config';
import knexFactory from 'knex';
import { BackupCollector } from '../collector/BackupCollector';
import { readBackupComplianceConfig } from '../config/readBackupComplianceConfig';
import { DatabaseBackupStore } from '../database/DatabaseBackupStore';
import {
  emulatorClients,
  exampleConfigData,
  exampleEntities,
} from './exampleWorld';

async function main() {
  const endpoint = process.env.BACKUP_COMPLIANCE_TEST_EMULATOR!;
  const knex = knexFactory({
    client: 'pg',
    connection: JSON.parse(process.env.BACKUP_COMPLIANCE_TEST_DB!),
  });
  const store = await DatabaseBackupStore.create({ knex });
  const entities = exampleEntities();
  const log = (level: string) => (message: string) =>
    process.stdout.write(`${level} ${message}\n`);
  const logger: any = {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    debug: () => {},
    child: () => logger,
  };
  const collector = new BackupCollector({
    config: readBackupComplianceConfig(
      new ConfigReader(exampleConfigData(endpoint)),
    ),
    logger,
    // the two catalog queries the collector makes: opted-in entities, then systems
    catalog: {
      getEntities: async (request: any) => ({
        items: entities.filter(e =>
          request.filter?.kind
            ? e.kind.toLowerCase() === 'system'
            : e.metadata.annotations?.['aws.amazon.com/backup-resource-tags'],
        ),
      }),
    } as any,
    auth: { getOwnServiceCredentials: async () => ({}) } as any,
    store,
    clients: emulatorClients(endpoint),
  });
  await collector.runCycle();
  await knex.destroy();
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
