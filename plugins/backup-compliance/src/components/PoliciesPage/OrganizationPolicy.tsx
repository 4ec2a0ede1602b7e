import { StatusPending } from '@backstage/core-components';
import {
  OrganizationBackupPolicy,
  OrganizationPolicyFinding,
} from '@backup-compliance/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { StatusLabel } from '../ComplianceStatus';
import { ruleInWords, targetInWords } from '../../util/policyWords';

const useStyles = makeStyles(theme => ({
  policy: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1.5, 2),
    marginTop: theme.spacing(1.5),
  },
  heading: {
    display: 'flex',
    alignItems: 'baseline',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
  },
  list: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(2.5) },
  findings: { margin: theme.spacing(0.5, 0, 0), padding: 0, listStyle: 'none' },
  // the status in a column of its own, the text beside it
  finding: { display: 'flex', gap: theme.spacing(1), padding: '2px 0' },
  status: { flex: '0 0 96px' },
  // an account id or a region is never broken across lines
  nowrap: { whiteSpace: 'nowrap' },
}));

const ORDER: Record<OrganizationPolicyFinding['status'], number> = {
  fail: 0,
  warn: 1,
  unknown: 2,
  pass: 3,
};

const worstFirst = (findings: OrganizationPolicyFinding[]) =>
  [...findings].sort((a, b) => ORDER[a.status] - ORDER[b.status]);

function Findings(props: {
  title: string;
  findings: OrganizationPolicyFinding[];
  empty: string;
  drift?: boolean;
}) {
  const classes = useStyles();
  return (
    <Box mt={1.5}>
      <Typography variant="subtitle2" component="h4">
        {props.title}
      </Typography>
      {props.findings.length === 0 ? (
        <Typography variant="body2">{props.empty}</Typography>
      ) : (
        <Typography
          component="ul"
          variant="body2"
          className={classes.findings}
          aria-label={props.title}
        >
          {worstFirst(props.findings).map((f, i) => (
            <li key={i} className={classes.finding}>
              <span className={classes.status}>
                <StatusLabel status={f.status} />
              </span>{' '}
              <span>
                {props.drift && f.accountId ? (
                  <strong className={classes.nowrap}>
                    {f.accountId}
                    {f.region ? `/${f.region}` : ''}
                  </strong>
                ) : (
                  <strong>{f.subject}</strong>
                )}
                : {f.text}
              </span>
            </li>
          ))}
        </Typography>
      )}
    </Box>
  );
}

/**
 * One AWS Organizations backup policy: where it is attached, the accounts that
 * resolves to, its plans, its verdict with the findings behind it, and drift.
 */
export const OrganizationPolicy = (props: {
  policy: OrganizationBackupPolicy;
  /** Listed among the policies that implement no compliance policy. */
  unmapped?: boolean;
}) => {
  const classes = useStyles();
  const { policy } = props;
  return (
    <section
      className={classes.policy}
      aria-label={`Organization policy ${policy.name}`}
      data-testid={`organization-policy-${policy.name}`}
    >
      <div className={classes.heading}>
        <Typography variant="h6" component="h3">
          {policy.name}
        </Typography>
        {props.unmapped ? (
          <StatusPending>Not mapped</StatusPending>
        ) : (
          <StatusLabel status={policy.status} />
        )}
        {policy.description && (
          <Typography variant="body2" color="textSecondary">
            {policy.description}
          </Typography>
        )}
      </div>
      <Typography variant="body2">
        Attached to{' '}
        {policy.targets.length > 0
          ? policy.targets.map(targetInWords).join(', ')
          : 'nothing'}
        {'; '}
        {policy.accounts.length > 0 ? (
          <>
            resolves to{' '}
            {policy.accounts.length === 1 ? 'account ' : 'accounts '}
            {policy.accounts.map((a, i) => (
              <span key={a}>
                {i > 0 && ', '}
                <span className={classes.nowrap}>{a}</span>
              </span>
            ))}
          </>
        ) : (
          'resolves to no account'
        )}
        {policy.implements.length > 0 &&
          `; implements ${policy.implements.join(', ')}`}
      </Typography>
      {policy.plans.map(plan => (
        <Box key={plan.name} mt={1}>
          <Typography variant="body2">
            Plan <strong>{plan.name}</strong> in{' '}
            {plan.regions.join(', ') || 'no region'}
          </Typography>
          <Typography
            component="ul"
            variant="body2"
            color="textSecondary"
            className={classes.list}
            aria-label={`Rules of plan ${plan.name}`}
          >
            {plan.rules.map(rule => (
              <li key={rule.name}>
                {rule.name}: {ruleInWords(rule)}
              </li>
            ))}
          </Typography>
        </Box>
      ))}
      <Findings title="Findings" findings={policy.findings} empty="None." />
      <Findings
        title="Drift"
        drift
        findings={policy.drift}
        empty="None: every target account-region collected carries the plan as written."
      />
    </section>
  );
};
