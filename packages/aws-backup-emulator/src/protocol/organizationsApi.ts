import { AwsObject, OrganizationState } from '../scenario/types';
import { AwsError } from './errors';
import { paginate, ShortPage } from './pagination';

/** AWS Organizations (awsJson1_1), the calls that read backup policies and the tree. */
export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128.';

const POLICY_TYPES = [
  'SERVICE_CONTROL_POLICY',
  'RESOURCE_CONTROL_POLICY',
  'TAG_POLICY',
  'BACKUP_POLICY',
  'AISERVICES_OPT_OUT_POLICY',
  'CHATBOT_POLICY',
  'DECLARATIVE_POLICY_EC2',
  'SECURITYHUB_POLICY',
];

const invalidInput = (message: string) =>
  new AwsError('InvalidInputException', message);

function page<T>(
  operation: string,
  items: T[],
  body: AwsObject,
  filters: Record<string, unknown>,
  shortPage: ShortPage | undefined,
  max: number,
) {
  const maxResults: number | undefined = body.MaxResults;
  if (
    maxResults !== undefined &&
    (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > max)
  ) {
    throw invalidInput(`MaxResults must be between 1 and ${max}`);
  }
  return paginate(items, {
    operation,
    filters,
    maxResults,
    nextToken: body.NextToken,
    defaultPageSize: max,
    shortPage,
    invalidToken: message => invalidInput(message),
  });
}

/**
 * Answers one Organizations call made with `callerAccountId`'s credentials. Only the
 * management account and delegated administrators may read policies, as in AWS.
 */
export function executeOrganizationsRequest(
  organization: OrganizationState | undefined,
  callerAccountId: string,
  operation: string,
  body: AwsObject,
  options: { shortPage?: ShortPage } = {},
): AwsObject {
  if (!organization) {
    throw new AwsError(
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization.',
    );
  }
  if (
    callerAccountId !== organization.managementAccountId &&
    !organization.delegatedAdministrators.includes(callerAccountId)
  ) {
    throw new AwsError(
      'AccessDeniedException',
      "You don't have permissions to access this resource.",
    );
  }
  const policyOf = (id: unknown) => {
    const policy = organization.policies.find(p => p.summary.Id === id);
    if (!policy) {
      throw new AwsError(
        'PolicyNotFoundException',
        "We can't find a policy with the PolicyId that you specified.",
      );
    }
    return policy;
  };
  const parentOf = (id: unknown) => {
    if (id === organization.root.Id) return organization.root;
    const unit = organization.units.find(u => u.unit.Id === id);
    if (!unit) {
      throw new AwsError(
        'ParentNotFoundException',
        "We can't find a root or OU with the ParentId that you specified.",
      );
    }
    return unit.unit;
  };
  switch (operation) {
    case 'ListRoots': {
      const { items, nextToken } = page(
        operation,
        [organization.root],
        body,
        {},
        options.shortPage,
        20,
      );
      return { Roots: items, NextToken: nextToken };
    }
    case 'ListPolicies': {
      const filter = body.Filter;
      if (!POLICY_TYPES.includes(filter)) {
        throw invalidInput(
          `Filter must be one of ${POLICY_TYPES.join(
            ', ',
          )} (got ${JSON.stringify(filter)})`,
        );
      }
      const { items, nextToken } = page(
        operation,
        organization.policies
          .filter(p => p.summary.Type === filter)
          .map(p => p.summary),
        body,
        { filter },
        options.shortPage,
        20,
      );
      return { Policies: items, NextToken: nextToken };
    }
    case 'DescribePolicy': {
      const policy = policyOf(body.PolicyId);
      return {
        Policy: {
          PolicySummary: policy.summary,
          Content: JSON.stringify(policy.content),
        },
      };
    }
    case 'ListTargetsForPolicy': {
      const policy = policyOf(body.PolicyId);
      const { items, nextToken } = page(
        operation,
        policy.targets,
        body,
        { policy: policy.summary.Id },
        options.shortPage,
        20,
      );
      return { Targets: items, NextToken: nextToken };
    }
    case 'ListOrganizationalUnitsForParent': {
      const parent = parentOf(body.ParentId);
      const { items, nextToken } = page(
        operation,
        organization.units
          .filter(u => u.parentId === parent.Id)
          .map(u => u.unit),
        body,
        { parent: parent.Id },
        options.shortPage,
        20,
      );
      return { OrganizationalUnits: items, NextToken: nextToken };
    }
    case 'ListAccountsForParent': {
      const parent = parentOf(body.ParentId);
      const { items, nextToken } = page(
        operation,
        organization.accounts
          .filter(a => a.parentId === parent.Id)
          .map(a => a.account),
        body,
        { parent: parent.Id },
        options.shortPage,
        20,
      );
      return { Accounts: items, NextToken: nextToken };
    }
    default:
      throw new AwsError(
        'UnknownOperationException',
        `Operation ${ORGANIZATIONS_TARGET_PREFIX}${operation} is not supported by the emulator`,
      );
  }
}
