import { IndexedResource, ResourceIndex } from './resourceIndex';

const resource = (
  arn: string,
  tags: Record<string, string>,
  accountId = '111111111111',
  region = 'eu-central-1',
): IndexedResource => ({
  arn,
  tags,
  accountId,
  region,
});

const resources = [
  resource('db-prod', { app: 'ledger', env: 'prod', team: 'payments' }),
  resource('db-staging', { app: 'ledger', env: 'staging' }),
  resource('table-prod', { app: 'cards', env: 'prod' }),
  resource(
    'db-prod-west',
    { app: 'ledger', env: 'prod' },
    '111111111111',
    'eu-west-1',
  ),
  resource('db-prod-other', { app: 'ledger', env: 'prod' }, '222222222222'),
];

const arns = (list: IndexedResource[]) => list.map(r => r.arn).sort();

describe('ResourceIndex', () => {
  const index = new ResourceIndex(resources);

  it('matches resources carrying all the tags, extra tags allowed', () => {
    expect(
      arns(
        index.match({
          entityRef: 'x',
          resourceTags: { app: 'ledger', env: 'prod' },
        }),
      ),
    ).toEqual(['db-prod', 'db-prod-other', 'db-prod-west']);
  });

  it('does not match on a subset of the entity tags', () => {
    expect(
      index.match({
        entityRef: 'x',
        resourceTags: { app: 'ledger', env: 'qa' },
      }),
    ).toEqual([]);
    expect(
      index.match({ entityRef: 'x', resourceTags: { owner: 'nobody' } }),
    ).toEqual([]);
  });

  it('honours the accounts and regions annotations', () => {
    const query = {
      entityRef: 'x',
      resourceTags: { app: 'ledger', env: 'prod' },
    };
    expect(arns(index.match({ ...query, accounts: ['111111111111'] }))).toEqual(
      ['db-prod', 'db-prod-west'],
    );
    expect(arns(index.match({ ...query, regions: ['eu-central-1'] }))).toEqual([
      'db-prod',
      'db-prod-other',
    ]);
    expect(
      arns(
        index.match({
          ...query,
          accounts: ['111111111111'],
          regions: ['eu-west-1'],
        }),
      ),
    ).toEqual(['db-prod-west']);
  });

  it('treats tag values as exact strings, including empty ones', () => {
    const withEmpty = new ResourceIndex([
      resource('a', { backup: '' }),
      resource('b', { backup: 'yes' }),
    ]);
    expect(
      arns(withEmpty.match({ entityRef: 'x', resourceTags: { backup: '' } })),
    ).toEqual(['a']);
  });

  it('matches as a scan of every resource would, with tags shared by thousands of resources', () => {
    // 6 000 resources: env=prod on two thirds, 300 apps, 3 teams, 2 accounts
    const many = Array.from({ length: 6000 }, (_, i) =>
      resource(
        `r-${i}`,
        {
          app: `app-${i % 300}`,
          env: i % 3 === 0 ? 'staging' : 'prod',
          team: `team-${(i % 7) % 3}`,
        },
        i % 2 ? '111111111111' : '222222222222',
      ),
    );
    const manyIndex = new ResourceIndex(many);
    const queries = Array.from({ length: 300 }, (_, app) => ({
      entityRef: `component:default/app-${app}`,
      resourceTags: {
        env: 'prod',
        app: `app-${app}`,
        ...(app % 2 ? { team: `team-${app % 3}` } : {}),
      },
      ...(app % 5 === 0 ? { accounts: ['111111111111'] } : {}),
    }));
    let matched = 0;
    for (const query of queries) {
      const scan = many.filter(
        r =>
          Object.entries(query.resourceTags).every(
            ([key, value]) => r.tags[key] === value,
          ) &&
          (!query.accounts || query.accounts.includes(r.accountId)),
      );
      expect(arns(manyIndex.match(query))).toEqual(arns(scan));
      matched += scan.length;
    }
    expect(matched).toBeGreaterThan(1000);
  });
});
