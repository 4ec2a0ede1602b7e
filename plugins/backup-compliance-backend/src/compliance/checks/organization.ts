import { ResourceCheck } from '../types';
import { fact, notApplicable } from './util';

/**
 * Informational: the organization backup policies implementing the resource's policy,
 * and the drift of its account and region from them.
 */
export const organizationPolicyCheck: ResourceCheck = (
  resource,
  policy,
  { organization },
) => {
  if (!organization) {
    return notApplicable(
      'Organization backup policies are not read (backupCompliance.organization is not set).',
    );
  }
  const implementing = organization.policies.filter(p =>
    p.implements.includes(policy.name),
  );
  if (implementing.length === 0) {
    if (organization.error) {
      return {
        status: 'unknown',
        facts: [
          fact(
            'Reading the organization',
            organization.error,
            'AWS Organizations',
          ),
        ],
        explanation: `The organization's backup policies could not be read: ${organization.error}`,
      };
    }
    return notApplicable(
      `No organization backup policy selects ${policy.name}.`,
    );
  }
  const facts = implementing.map(p =>
    fact(
      `Organization policy ${p.name}`,
      p.accounts.includes(resource.accountId)
        ? `targets ${resource.accountId}`
        : `does not target ${resource.accountId}`,
      'AWS Organizations: ListPolicies (BACKUP_POLICY), ListTargetsForPolicy',
      resource.arn,
    ),
  );
  const drift = implementing.flatMap(p =>
    p.drift
      .filter(
        d =>
          d.accountId === resource.accountId &&
          (d.region === undefined || d.region === resource.region),
      )
      .map(d => `${p.name}: ${d.text}`),
  );
  if (drift.length > 0) {
    return {
      status: 'fail',
      facts,
      explanation: `The account drifted from the organization's backup policy: ${drift.join(
        '; ',
      )}.`,
    };
  }
  if (!implementing.some(p => p.accounts.includes(resource.accountId))) {
    return {
      status: 'warn',
      facts,
      explanation: `${implementing.map(p => p.name).join(', ')} implement ${
        policy.name
      } but do not target account ${resource.accountId}.`,
    };
  }
  return {
    status: 'pass',
    facts,
    explanation: `${implementing.map(p => p.name).join(', ')} implement ${
      policy.name
    } in account ${resource.accountId}, and its plans carry their rules.`,
  };
};
