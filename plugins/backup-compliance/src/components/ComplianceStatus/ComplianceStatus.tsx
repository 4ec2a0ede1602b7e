import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import {
  CheckResult,
  CheckStatus,
  ComplianceLevel,
} from '@backup-compliance/backstage-plugin-common';

// Icon and words together: status is never shown by colour alone.
const LEVELS: Record<ComplianceLevel, JSX.Element> = {
  compliant: <StatusOK>Compliant</StatusOK>,
  'at-risk': <StatusWarning>At risk</StatusWarning>,
  'non-compliant': <StatusError>Non-compliant</StatusError>,
  misconfigured: <StatusError>Misconfigured</StatusError>,
  unknown: <StatusPending>Unknown</StatusPending>,
};

export const LevelStatus = ({ level }: { level: ComplianceLevel }) =>
  LEVELS[level];

/** A status in words, with its icon. */
export const StatusLabel = ({ status }: { status: CheckStatus }) => {
  switch (status) {
    case 'pass':
      return <StatusOK>Pass</StatusOK>;
    case 'fail':
      return <StatusError>Fail</StatusError>;
    case 'warn':
      return <StatusWarning>Warning</StatusWarning>;
    case 'waived':
      return <StatusAborted>Waived</StatusAborted>;
    default:
      return <StatusPending>Unknown</StatusPending>;
  }
};

export const CheckStatusLabel = ({ result }: { result: CheckResult }) =>
  result.notApplicable ? (
    <StatusAborted>Not required</StatusAborted>
  ) : (
    <StatusLabel status={result.status} />
  );
