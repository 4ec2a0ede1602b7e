import { Entity } from '@backstage/catalog-model';
import { isBackupComplianceAvailable } from './annotations';
import {
  BackupAnnotationsParseResult,
  parseBackupAnnotations,
} from './parseAnnotations';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'ledger', annotations },
    spec: {},
  };
}

const TAGS = 'aws.amazon.com/backup-resource-tags';

function problemsOf(result: BackupAnnotationsParseResult) {
  if (result.ok) {
    throw new Error(`expected problems, got ${JSON.stringify(result)}`);
  }
  return result.problems;
}

describe('parseBackupAnnotations', () => {
  it('parses every annotation', () => {
    const result = parseBackupAnnotations(
      entity({
        [TAGS]: ' app=ledger , env=prod ',
        'aws.amazon.com/backup-policy': 'transactions-db',
        'aws.amazon.com/backup-accounts':
          '111111111111, 222222222222,111111111111',
        'aws.amazon.com/backup-regions': 'eu-central-1,eu-west-1',
        'aws.amazon.com/backup-pii-deletion-days': '35',
      }),
    );
    expect(result).toEqual({
      ok: true,
      annotations: {
        resourceTags: { app: 'ledger', env: 'prod' },
        policy: 'transactions-db',
        accounts: ['111111111111', '222222222222'],
        regions: ['eu-central-1', 'eu-west-1'],
        piiDeletionDays: 35,
      },
    });
  });

  it('leaves optional annotations undefined when absent', () => {
    expect(parseBackupAnnotations(entity({ [TAGS]: 'app=x' }))).toEqual({
      ok: true,
      annotations: { resourceTags: { app: 'x' } },
    });
  });

  it('accepts an empty tag value, as AWS does', () => {
    const result = parseBackupAnnotations(entity({ [TAGS]: 'backup=' }));
    expect(result).toEqual({
      ok: true,
      annotations: { resourceTags: { backup: '' } },
    });
  });

  it.each([
    ['app', '"app" is not a key=value pair'],
    ['=ledger', '"=ledger" has no tag key before "="'],
    ['app=a,,env=b', 'empty entry between commas'],
    ['  ', 'no tags given; expected key=value pairs separated by commas'],
    [
      'app=a,app=b',
      'tag "app" is given twice with different values ("a", "b")',
    ],
    [`${'k'.repeat(129)}=v`, 'is longer than 128 characters'],
  ])('reports malformed tags %j', (value, message) => {
    const problems = problemsOf(
      parseBackupAnnotations(entity({ [TAGS]: value })),
    );
    expect(problems).toEqual([
      { annotation: TAGS, value, message: expect.stringContaining(message) },
    ]);
  });

  it.each([
    [
      'aws.amazon.com/backup-accounts',
      '12345',
      '"12345" is not an AWS account id',
    ],
    [
      'aws.amazon.com/backup-accounts',
      'abc,def',
      '"abc", "def" are not AWS account ids',
    ],
    ['aws.amazon.com/backup-accounts', ' , ', 'no account ids given'],
    [
      'aws.amazon.com/backup-regions',
      'Frankfurt',
      '"Frankfurt" is not an AWS region',
    ],
    ['aws.amazon.com/backup-regions', '', 'no regions given'],
    [
      'aws.amazon.com/backup-pii-deletion-days',
      '35d',
      '"35d" is not a whole number of days',
    ],
    [
      'aws.amazon.com/backup-pii-deletion-days',
      '0',
      '"0" is not a whole number of days',
    ],
    [
      'aws.amazon.com/backup-policy',
      'gold tier!',
      '"gold tier!" is not a policy name',
    ],
  ])('reports %s=%j', (annotation, value, message) => {
    const result = parseBackupAnnotations(
      entity({ [TAGS]: 'app=x', [annotation]: value }),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { annotation, value, message: expect.stringContaining(message) },
      ],
    });
  });

  it('reports every problem at once, not only the first', () => {
    const result = parseBackupAnnotations(
      entity({
        [TAGS]: 'app',
        'aws.amazon.com/backup-regions': 'mars-1',
        'aws.amazon.com/backup-pii-deletion-days': 'soon',
      }),
    );
    expect(problemsOf(result).map(p => p.annotation)).toEqual([
      TAGS,
      'aws.amazon.com/backup-regions',
      'aws.amazon.com/backup-pii-deletion-days',
    ]);
  });

  it('reports a missing opt-in annotation', () => {
    const result = parseBackupAnnotations(entity({}));
    expect(result).toEqual({
      ok: false,
      problems: [expect.objectContaining({ annotation: TAGS })],
    });
  });
});

describe('isBackupComplianceAvailable', () => {
  it.each([
    [{ [TAGS]: 'app=x' }, true],
    [{ [TAGS]: 'app' }, true], // malformed still opts in, so the tab can explain the problem
    [{ [TAGS]: '   ' }, false],
    [{}, false],
  ])('%j -> %s', (annotations, expected) => {
    expect(isBackupComplianceAvailable(entity(annotations))).toBe(expected);
  });
});
