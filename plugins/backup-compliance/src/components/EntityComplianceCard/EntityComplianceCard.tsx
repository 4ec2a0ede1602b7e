import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { alertApiRef, errorApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  backupComplianceCollectionRefreshPermission,
  CheckDefinition,
  CheckResult,
  CheckTheme,
  PolicyRequirements,
} from '@backup-compliance/backstage-plugin-common';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useMountedState from 'react-use/esm/useMountedState';
import { ResponseError } from '@backstage/errors';
import { useEntityName } from '../../hooks/useEntityName';
import { backupComplianceApiRef } from '../../api';
import { CheckStatusLabel, LevelStatus } from '../ComplianceStatus';
import { requirementsInWords } from '../../util/policyWords';

const THEMES: Array<{ theme: CheckTheme; title: string }> = [
  { theme: 'protection', title: 'Protection' },
  { theme: 'retention', title: 'Retention' },
  { theme: 'immutability-encryption', title: 'Immutability & encryption' },
  { theme: 'segregation', title: 'Segregation' },
  { theme: 'restore-testing', title: 'Restore testing' },
];

const ORDER: Record<string, number> = {
  fail: 0,
  unknown: 1,
  warn: 2,
  waived: 3,
  pass: 4,
};
const rank = (r: CheckResult) => (r.notApplicable ? 5 : ORDER[r.status]);

function CheckRow({
  result,
  definition,
}: {
  result: CheckResult;
  definition?: CheckDefinition;
}) {
  const quiet = result.status === 'pass' || result.notApplicable;
  return (
    <Box py={1} data-testid={`check-${result.checkId}`}>
      <Box display="flex" justifyContent="space-between" alignItems="center">
        <Typography variant="subtitle1" component="h4">
          {definition?.title ?? result.checkId}
        </Typography>
        <CheckStatusLabel result={result} />
      </Box>
      <Typography variant="body2">{result.explanation}</Typography>
      {result.waiver && (
        <Typography variant="body2">
          Waived until {result.waiver.expires} by {result.waiver.approvedBy}:{' '}
          {result.waiver.reason}
        </Typography>
      )}
      {result.expiredWaiver && (
        <Typography variant="body2">
          A waiver expired on {result.expiredWaiver.expires} and no longer
          applies.
        </Typography>
      )}
      {!quiet && (
        <>
          <Typography variant="body2" color="textSecondary">
            Fix: {result.remediation}
          </Typography>
          {result.facts.length > 0 && (
            <Typography variant="caption" component="ul" color="textSecondary">
              {result.facts.slice(0, 6).map((f, i) => (
                <li key={i}>
                  {f.label}: {String(f.value)} <i>({f.source})</i>
                </li>
              ))}
            </Typography>
          )}
        </>
      )}
      <Typography variant="caption" color="textSecondary">
        DORA {result.dora.join(', ')}
      </Typography>
    </Box>
  );
}

/** What a policy requires, in words, as the Policies page says it. */
function PolicyDefinition(props: {
  policy?: PolicyRequirements;
  allowed: boolean;
}) {
  if (!props.allowed) {
    return (
      <Typography variant="body2">
        Seeing policy definitions needs the backup-compliance.collection.read
        permission.
      </Typography>
    );
  }
  if (!props.policy) {
    return <Typography variant="body2">Not configured.</Typography>;
  }
  return (
    <Typography variant="body2" component="ul" style={{ margin: 0 }}>
      {requirementsInWords(props.policy).map(r => (
        <li key={r.label}>
          {r.label}: {r.text}
        </li>
      ))}
    </Typography>
  );
}

/** The entity's verdict: level, score, and every check grouped by theme, failures first. */
export const EntityComplianceCard = () => {
  const { entity } = useEntity();
  const api = useApi(backupComplianceApiRef);
  const alertApi = useApi(alertApiRef);
  const errorApi = useApi(errorApiRef);
  const { allowed: canRefresh } = usePermission({
    permission: backupComplianceCollectionRefreshPermission,
  });
  const [shownPolicy, setShownPolicy] = useState<string | undefined>();
  const { namespace, kind, name } = useEntityName();
  const isMounted = useMountedState();
  const result = useAsyncRetry(async () => {
    const [snapshot, checks, policies, resources] = await Promise.all([
      api.getEntityCompliance({ namespace, kind, name }),
      api.getChecks(),
      // Policy definitions need backup-compliance.collection.read; without it the
      // verdict still shows, only the definitions do not.
      api
        .getPolicies()
        .catch(error =>
          error instanceof ResponseError && error.statusCode === 403
            ? undefined
            : Promise.reject(error),
        ),
      api.getEntityResources({ namespace, kind, name }),
    ]);
    return { snapshot, checks, policies, resources };
  }, [api, namespace, kind, name]);

  async function refresh() {
    try {
      const { requestId, coalesced } = await api.refresh(
        stringifyEntityRef(entity),
      );
      alertApi.post({
        message: coalesced
          ? 'Refresh queued with others waiting: the next collection cycle answers them all. The verdict updates when it ends.'
          : 'Refresh queued: the next collection cycle starts within seconds. The verdict updates when it ends.',
        severity: 'info',
        display: 'transient',
      });
      // Follow the request until its cycle ends (or the page is left), then reload.
      for (;;) {
        const request = await api.getRefreshRequest(requestId);
        if (!isMounted()) return;
        if (!['queued', 'running'].includes(request.status)) {
          alertApi.post({
            message:
              request.status === 'succeeded'
                ? 'Collection finished: the verdict is current.'
                : `Collection ${request.status}: the verdict shown is from the cycle before. The collection card says why.`,
            severity: request.status === 'succeeded' ? 'success' : 'warning',
            display: 'transient',
          });
          result.retry();
          return;
        }
        await new Promise(r => setTimeout(r, 3000));
      }
    } catch (error) {
      if (error instanceof ResponseError && error.statusCode === 429) {
        // Asked again too soon (backupCompliance.refresh): the backend says when to retry.
        alertApi.post({
          message: error.body.error.message,
          severity: 'warning',
          display: 'transient',
        });
        return;
      }
      errorApi.post(error as Error);
    }
  }

  async function downloadEvidence() {
    try {
      const text = await api.getEvidence({ namespace, kind, name });
      const url = URL.createObjectURL(
        new Blob([text], { type: 'application/json' }),
      );
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download =
        `backup-evidence-${namespace}-${kind}-${name}.json`.toLocaleLowerCase(
          'en-US',
        );
      anchor.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      errorApi.post(error as Error);
    }
  }

  if (result.loading) return <Progress />;
  if (result.error) {
    return (
      <ResponseErrorPanel
        error={result.error}
        title="Could not load the backup verdict"
      />
    );
  }
  const { snapshot, checks, policies, resources } = result.value!;
  if (!snapshot) {
    return (
      <EmptyState
        missing="data"
        title="Not evaluated yet"
        description="The next collection cycle will judge this entity. Until then nothing has been checked: no verdict is not a pass."
      />
    );
  }
  const definitions = new Map(checks.map(c => [c.id, c]));
  // The oldest collection among the entity's resources: the data is at least that fresh.
  const collectedAt = resources.resources
    .map(r => r.collectedAt)
    .filter((t): t is string => !!t)
    .sort()[0];
  const actions = (
    <Box display="flex" style={{ gap: 8 }}>
      <Button variant="outlined" size="small" onClick={downloadEvidence}>
        Download evidence
      </Button>
      {canRefresh && (
        <Button variant="outlined" size="small" onClick={refresh}>
          Refresh
        </Button>
      )}
    </Box>
  );
  const themeOf = (r: CheckResult) =>
    definitions.get(r.checkId)?.theme ?? 'protection';
  return (
    <InfoCard title="Backup compliance" action={actions}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 24 }}
        mb={2}
      >
        <Typography variant="h6" component="div" data-testid="compliance-level">
          <LevelStatus level={snapshot.level} />
        </Typography>
        <Typography variant="h6" component="div">
          Score {snapshot.score === null ? 'n/a' : `${snapshot.score} %`}
        </Typography>
        <Typography variant="body2">
          Policy{' '}
          {snapshot.policies.length === 0
            ? 'none'
            : snapshot.policies.map(p => (
                <Button
                  key={p}
                  size="small"
                  onClick={() =>
                    setShownPolicy(shownPolicy === p ? undefined : p)
                  }
                >
                  {p}
                </Button>
              ))}{' '}
          · evaluated {new Date(snapshot.evaluatedAt).toLocaleString()} · data
          collected{' '}
          {collectedAt ? new Date(collectedAt).toLocaleString() : 'never'}
        </Typography>
      </Box>
      {shownPolicy && (
        <Box mb={2} data-testid="policy-definition">
          <Typography variant="subtitle2">Policy {shownPolicy}</Typography>
          <PolicyDefinition
            policy={policies?.items.find(p => p.name === shownPolicy)}
            allowed={policies !== undefined}
          />
        </Box>
      )}
      {snapshot.staleAccountRegions.length > 0 && (
        <WarningPanel
          severity="warning"
          title={`Data from ${snapshot.staleAccountRegions.join(
            ', ',
          )} is stale: the last collection failed there`}
        />
      )}
      {snapshot.problems.length > 0 && (
        <WarningPanel severity="error" title="Misconfigured" defaultExpanded>
          <ul>
            {snapshot.problems.map(p => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </WarningPanel>
      )}
      {THEMES.map(({ theme, title }) => {
        const results = snapshot.checks
          .filter(r => themeOf(r) === theme)
          .sort((a, b) => rank(a) - rank(b));
        if (results.length === 0) return null;
        return (
          <Box key={theme} mt={2}>
            <Typography variant="overline" component="h3">
              {title}
            </Typography>
            <Divider />
            {results.map(r => (
              <CheckRow
                key={r.checkId}
                result={r}
                definition={definitions.get(r.checkId)}
              />
            ))}
          </Box>
        );
      })}
    </InfoCard>
  );
};
