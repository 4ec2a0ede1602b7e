import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  OrganizationBackupPolicy,
  PoliciesResponse,
} from '@backup-compliance/backstage-plugin-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Fragment } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { backupComplianceApiRef } from '../../api';
import { OrganizationPolicy } from './OrganizationPolicy';
import { requirementsInWords } from '../../util/policyWords';

const useStyles = makeStyles(theme => ({
  requirements: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
    '& dt': { fontWeight: theme.typography.fontWeightMedium },
    '& dd': { margin: 0 },
  },
  snippet: {
    background: theme.palette.background.default,
    padding: theme.spacing(1, 2),
    borderRadius: theme.shape.borderRadius,
    overflowX: 'auto',
  },
}));

const when = (iso?: string) => (iso ? new Date(iso).toLocaleString() : '');

function Organization({ data }: { data: PoliciesResponse }) {
  const classes = useStyles();
  const { organization, organizationPolicies } = data;
  if (!organization.configured) {
    return (
      <InfoCard
        title="AWS Organizations backup policies"
        titleTypographyProps={{ component: 'h2' }}
      >
        <Typography variant="body1" paragraph>
          The organization's backup policies are not read: set{' '}
          <code>backupCompliance.organization.accountId</code> to the account
          that can read them (the management account, or a delegated
          administrator for backup policies). Every full collection cycle then
          reads them and judges each against the compliance policy it
          implements, with the drift of the accounts it targets.
        </Typography>
        <Typography component="pre" variant="body2" className={classes.snippet}>
          {`backupCompliance:
  organization:
    accountId: '333333333333'`}
        </Typography>
        <Typography variant="body2">
          That account's reader role also needs organizations:ListPolicies,
          DescribePolicy, ListTargetsForPolicy, ListOrganizationalUnitsForParent
          and ListAccountsForParent.
        </Typography>
      </InfoCard>
    );
  }
  const failing = organizationPolicies.filter(p => p.status === 'fail').length;
  return (
    <>
      {organization.error && (
        <WarningPanel
          severity="error"
          title="The organization's backup policies could not be read"
          message={`${organization.error} ${
            organization.collectedAt
              ? `What follows is the last successful read, of ${when(
                  organization.collectedAt,
                )}.`
              : 'They have never been read.'
          }`}
          defaultExpanded
        />
      )}
      {(organization.collectedAt || !organization.error) && (
        <Typography variant="body1" data-testid="organization-summary">
          {organization.collectedAt
            ? `${organizationPolicies.length} organization backup ${
                organizationPolicies.length === 1 ? 'policy' : 'policies'
              } read from account ${organization.accountId} at ${when(
                organization.collectedAt,
              )}; ${failing} failing.`
            : `The organization's backup policies are read from account ${organization.accountId} by the next full collection cycle.`}
        </Typography>
      )}
    </>
  );
}

/**
 * Every compliance policy in words, with the AWS Organizations backup policies
 * implementing it (their verdicts, findings and drift), and those implementing
 * none.
 */
export const PoliciesContent = () => {
  const classes = useStyles();
  const api = useApi(backupComplianceApiRef);
  const result = useAsync(() => api.getPolicies(), [api]);

  if (result.loading) return <Progress />;
  if (result.error) {
    if (
      result.error instanceof ResponseError &&
      result.error.statusCode === 403
    ) {
      return (
        <EmptyState
          missing="info"
          title="Not allowed"
          description="Seeing the policies needs the backup-compliance.collection.read permission."
        />
      );
    }
    return (
      <ResponseErrorPanel
        error={result.error}
        title="Could not load the policies"
      />
    );
  }
  const data = result.value!;
  const byId = new Map(data.organizationPolicies.map(p => [p.id, p]));
  const unmapped = data.organizationPolicies.filter(
    p => p.implements.length === 0,
  );
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Organization data={data} />
      </Grid>
      {data.items.map(policy => {
        const implementing = policy.organizationPolicies
          .map(id => byId.get(id))
          .filter((p): p is OrganizationBackupPolicy => !!p);
        return (
          <Grid item xs={12} key={policy.name}>
            <InfoCard
              title={policy.name}
              subheader="Compliance policy"
              titleTypographyProps={{ component: 'h2' }}
            >
              <Typography
                component="dl"
                variant="body2"
                className={classes.requirements}
                aria-label={`What ${policy.name} requires`}
              >
                {requirementsInWords(policy).map(r => (
                  <Fragment key={r.label}>
                    <dt>{r.label}</dt>
                    <dd>{r.text}</dd>
                  </Fragment>
                ))}
              </Typography>
              {data.organization.configured && (
                <>
                  <Typography variant="subtitle1" style={{ marginTop: 16 }}>
                    {implementing.length === 0
                      ? 'No organization backup policy implements it.'
                      : `Implemented by ${
                          implementing.length
                        } organization backup ${
                          implementing.length === 1 ? 'policy' : 'policies'
                        }`}
                  </Typography>
                  {implementing.map(p => (
                    <OrganizationPolicy key={p.id} policy={p} />
                  ))}
                </>
              )}
            </InfoCard>
          </Grid>
        );
      })}
      {unmapped.length > 0 && (
        <Grid item xs={12}>
          <InfoCard
            title="Organization policies not mapped to a compliance policy"
            titleTypographyProps={{ component: 'h2' }}
          >
            <Typography variant="body2">
              They select no resources by the policy tag, or name a policy that
              is not configured: nothing says whether they meet one.
            </Typography>
            {unmapped.map(p => (
              <OrganizationPolicy key={p.id} policy={p} unmapped />
            ))}
          </InfoCard>
        </Grid>
      )}
    </Grid>
  );
};
