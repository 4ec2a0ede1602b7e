import type {
  BackupSelection,
  RestoreTestingSelectionForGet,
} from '@aws-sdk/client-backup';
import {
  backupSelectionMatches,
  restoreTestingSelectionMatches,
  SelectableResource,
} from './selection';

const db: SelectableResource = {
  arn: 'arn:aws:rds:eu-central-1:111111111111:db:transactions',
  resourceType: 'RDS',
  tags: { 'backup-policy': 'transactions-db', env: 'prod', team: 'payments' },
};

const selection = (fields: Partial<BackupSelection>): BackupSelection => ({
  SelectionName: 'selection',
  IamRoleArn: 'arn:aws:iam::111111111111:role/backup',
  ...fields,
});

const tag = (key: string, value: string) => ({
  ConditionType: 'STRINGEQUALS' as const,
  ConditionKey: key,
  ConditionValue: value,
});

const condition = (key: string, value: string) => ({
  ConditionKey: `aws:ResourceTag/${key}`,
  ConditionValue: value,
});

describe('backupSelectionMatches', () => {
  it('assigns nothing without a selection', () => {
    expect(backupSelectionMatches(undefined, db)).toBe(false);
  });

  it.each<[string, Partial<BackupSelection>, boolean]>([
    ['its exact ARN', { Resources: [db.arn] }, true],
    ['all resources (*)', { Resources: ['*'] }, true],
    [
      'every RDS database in its account (arn:aws:rds:*:111111111111:db:*)',
      { Resources: ['arn:aws:rds:*:111111111111:db:*'] },
      true,
    ],
    [
      'a prefix pattern (…:db:trans*)',
      { Resources: ['arn:aws:rds:eu-central-1:111111111111:db:trans*'] },
      true,
    ],
    [
      'only DynamoDB tables',
      { Resources: ['arn:aws:dynamodb:*:*:table/*'] },
      false,
    ],
    [
      'another account',
      { Resources: ['arn:aws:rds:*:222222222222:db:*'] },
      false,
    ],
    [
      'a pattern whose dots are literal, not regex wildcards',
      { Resources: ['arn:aws:rds:eu.central.1:111111111111:db:transactions'] },
      false,
    ],
    ['nothing', {}, false],
  ])('by Resources: %s → %p', (_name, fields, expected) => {
    expect(backupSelectionMatches(selection(fields), db)).toBe(expected);
  });

  it.each<[string, Partial<BackupSelection>, boolean]>([
    [
      'its policy tag',
      { ListOfTags: [tag('backup-policy', 'transactions-db')] },
      true,
    ],
    [
      'its policy tag written as aws:ResourceTag/backup-policy',
      { ListOfTags: [tag('aws:ResourceTag/backup-policy', 'transactions-db')] },
      true,
    ],
    [
      'one of two tags (OR)',
      {
        ListOfTags: [
          tag('backup-policy', 'rewards-db'),
          tag('team', 'payments'),
        ],
      },
      true,
    ],
    [
      'neither of two tags',
      {
        ListOfTags: [tag('backup-policy', 'rewards-db'), tag('env', 'staging')],
      },
      false,
    ],
    [
      'a tag it does not carry',
      { ListOfTags: [tag('cost-centre', 'payments')] },
      false,
    ],
  ])('by ListOfTags: %s → %p', (_name, fields, expected) => {
    expect(backupSelectionMatches(selection(fields), db)).toBe(expected);
  });

  it.each<[string, BackupSelection['Conditions'], boolean]>([
    ['StringEquals met', { StringEquals: [condition('env', 'prod')] }, true],
    [
      'StringEquals not met',
      { StringEquals: [condition('env', 'staging')] },
      false,
    ],
    [
      'StringEquals on a missing tag',
      { StringEquals: [condition('owner', 'payments')] },
      false,
    ],
    [
      'StringNotEquals met',
      { StringNotEquals: [condition('env', 'staging')] },
      true,
    ],
    [
      'StringNotEquals not met',
      { StringNotEquals: [condition('env', 'prod')] },
      false,
    ],
    [
      'StringNotEquals on a missing tag',
      { StringNotEquals: [condition('owner', 'payments')] },
      true,
    ],
    ['StringLike met', { StringLike: [condition('team', 'pay*')] }, true],
    [
      'StringLike not met',
      { StringLike: [condition('team', 'rewards*')] },
      false,
    ],
    [
      'StringLike on a missing tag',
      { StringLike: [condition('owner', '*')] },
      false,
    ],
    ['StringNotLike met', { StringNotLike: [condition('env', 'stag*')] }, true],
    [
      'StringNotLike not met',
      { StringNotLike: [condition('env', 'pr*')] },
      false,
    ],
    [
      'StringNotLike on a missing tag',
      { StringNotLike: [condition('owner', '*')] },
      true,
    ],
    [
      'all of several conditions met (AND)',
      {
        StringEquals: [condition('env', 'prod')],
        StringLike: [condition('team', '*ments')],
        StringNotEquals: [condition('backup-policy', 'none')],
      },
      true,
    ],
    [
      'one of several conditions unmet (AND)',
      {
        StringEquals: [condition('env', 'prod'), condition('team', 'rewards')],
      },
      false,
    ],
  ])(
    'with Resources * and Conditions: %s → %p',
    (_name, conditions, expected) => {
      expect(
        backupSelectionMatches(
          selection({ Resources: ['*'], Conditions: conditions }),
          db,
        ),
      ).toBe(expected);
    },
  );

  it('applies Conditions to tag-selected resources too', () => {
    expect(
      backupSelectionMatches(
        selection({
          ListOfTags: [tag('backup-policy', 'transactions-db')],
          Conditions: { StringEquals: [condition('env', 'staging')] },
        }),
        db,
      ),
    ).toBe(false);
  });

  it.each<[string, Partial<BackupSelection>]>([
    ['selected by ARN', { Resources: ['*'], NotResources: [db.arn] }],
    [
      'selected by tag',
      {
        ListOfTags: [tag('backup-policy', 'transactions-db')],
        NotResources: ['arn:aws:rds:*:*:db:trans*'],
      },
    ],
  ])('excludes a resource in NotResources even when %s', (_name, fields) => {
    expect(backupSelectionMatches(selection(fields), db)).toBe(false);
  });

  it('keeps resources NotResources does not name', () => {
    expect(
      backupSelectionMatches(
        selection({
          Resources: ['*'],
          NotResources: ['arn:aws:rds:*:*:db:rewards'],
        }),
        db,
      ),
    ).toBe(true);
  });
});

describe('restoreTestingSelectionMatches', () => {
  const restoreSelection = (
    fields: Partial<RestoreTestingSelectionForGet>,
  ): RestoreTestingSelectionForGet => ({
    RestoreTestingPlanName: 'monthly-restore-test',
    RestoreTestingSelectionName: 'rds',
    CreationTime: new Date('2025-01-01T00:00:00Z'),
    IamRoleArn: 'arn:aws:iam::111111111111:role/restore-testing',
    ProtectedResourceType: 'RDS',
    ...fields,
  });

  it.each<[string, Partial<RestoreTestingSelectionForGet>, boolean]>([
    ["its type and ['*']", { ProtectedResourceArns: ['*'] }, true],
    ['its type without an ARN list (AWS reads it as *)', {}, true],
    ['its type and its exact ARN', { ProtectedResourceArns: [db.arn] }, true],
    [
      'its type and another ARN',
      {
        ProtectedResourceArns: [
          'arn:aws:rds:eu-central-1:111111111111:db:rewards',
        ],
      },
      false,
    ],
    [
      'another type',
      { ProtectedResourceType: 'DynamoDB', ProtectedResourceArns: ['*'] },
      false,
    ],
    [
      'an aws:ResourceTag/ StringEquals it meets',
      {
        ProtectedResourceConditions: {
          StringEquals: [
            { Key: 'aws:ResourceTag/backup-policy', Value: 'transactions-db' },
          ],
        },
      },
      true,
    ],
    [
      'an aws:ResourceTag/ StringEquals it does not meet',
      {
        ProtectedResourceConditions: {
          StringEquals: [{ Key: 'aws:ResourceTag/env', Value: 'staging' }],
        },
      },
      false,
    ],
    [
      'an aws:ResourceTag/ StringNotEquals it meets',
      {
        ProtectedResourceConditions: {
          StringNotEquals: [{ Key: 'aws:ResourceTag/env', Value: 'staging' }],
        },
      },
      true,
    ],
    [
      'an aws:ResourceTag/ StringNotEquals it does not meet',
      {
        ProtectedResourceConditions: {
          StringNotEquals: [{ Key: 'aws:ResourceTag/env', Value: 'prod' }],
        },
      },
      false,
    ],
    [
      'two conditions, one unmet (AND)',
      {
        ProtectedResourceConditions: {
          StringEquals: [
            { Key: 'aws:ResourceTag/env', Value: 'prod' },
            { Key: 'aws:ResourceTag/team', Value: 'rewards' },
          ],
        },
      },
      false,
    ],
  ])('a selection with %s → %p', (_name, fields, expected) => {
    expect(restoreTestingSelectionMatches(restoreSelection(fields), db)).toBe(
      expected,
    );
  });

  it('does not reject a resource whose type is not known yet', () => {
    expect(
      restoreTestingSelectionMatches(
        restoreSelection({ ProtectedResourceType: 'DynamoDB' }),
        { ...db, resourceType: undefined },
      ),
    ).toBe(true);
  });
});
