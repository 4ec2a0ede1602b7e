import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';

/**
 * `databases.init`, with each PostgreSQL database it makes dropped after the test that
 * made it. Backstage's `TestDatabases` drops them all when the file ends, in one hook
 * limited to 60 s: a file that makes twenty of them overran it on a busy two-core CI
 * machine (DROP DATABASE waits for a checkpoint). Only for databases made inside a test,
 * on the server named by `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING` (the
 * others are left to `TestDatabases`).
 */
export function databasePerTest(databases: TestDatabases) {
  const made: Knex[] = [];
  const server =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  afterEach(async () => {
    const dropped: string[] = [];
    for (const knex of made.splice(0)) {
      const { client, connection } = knex.client.config;
      const database = (connection as { database?: string })?.database;
      await knex.destroy();
      if (String(client) === 'pg' && database) dropped.push(database);
    }
    if (!server || dropped.length === 0) return;
    // one connection to the server for the test's databases
    const admin = knexFactory({ client: 'pg', connection: server });
    try {
      for (const database of dropped) {
        await admin.raw('DROP DATABASE IF EXISTS ??', [database]);
      }
    } finally {
      await admin.destroy();
    }
  }, 120_000);
  return async (id: TestDatabaseId): Promise<Knex> => {
    const knex = await databases.init(id);
    made.push(knex);
    return knex;
  };
}
