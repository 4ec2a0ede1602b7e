import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { useEntityName } from '../../hooks/useEntityName';
import { backupComplianceApiRef } from '../../api';
import { LevelStatus } from '../ComplianceStatus';

const HOUR_MS = 3_600_000;

function age(iso: string | undefined, now: number) {
  if (!iso) return 'none';
  const hours = (now - Date.parse(iso)) / HOUR_MS;
  return hours < 48
    ? `${Math.round(hours)} h ago`
    : `${Math.round(hours / 24)} d ago`;
}

/**
 * The overview card: level, score, failing checks, newest backup and last
 * restore test, with a link to the Backup tab.
 *
 * @public
 */
export const EntityBackupComplianceCard = () => {
  const api = useApi(backupComplianceApiRef);
  const { namespace, kind, name } = useEntityName();
  const result = useAsync(async () => {
    const [snapshot, resources, checks] = await Promise.all([
      api.getEntityCompliance({ namespace, kind, name }),
      api.getEntityResources({ namespace, kind, name }),
      api.getChecks(),
    ]);
    return {
      snapshot,
      resources,
      titles: new Map(checks.map(c => [c.id, c.title])),
      // they never change the level or the score: not failures of the service
      informational: new Set(
        checks.filter(c => c.informational).map(c => c.id),
      ),
    };
  }, [api, namespace, kind, name]);

  const tab = `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/backup`;
  const deepLink = { title: 'Backup details', link: tab };
  if (result.loading) return <Progress />;
  if (result.error) {
    return (
      <ResponseErrorPanel
        error={result.error}
        title="Could not load the backup verdict"
      />
    );
  }
  const { snapshot, resources, titles, informational } = result.value!;
  if (!snapshot) {
    return (
      <InfoCard title="Backup compliance" deepLink={deepLink}>
        <Typography>
          Not evaluated yet: nothing has been checked, so nothing has passed
          either.
        </Typography>
      </InfoCard>
    );
  }
  const now = Date.now();
  const newestBackup = resources.resources
    .map(r => r.lastBackupTime)
    .filter((t): t is string => !!t)
    .sort()
    .pop();
  const restoreFact = snapshot.checks
    .find(c => c.checkId === 'restore-tested')
    ?.facts.find(f => f.label === 'Latest test restore');
  const failing = snapshot.checks.filter(
    c => c.status === 'fail' && !informational.has(c.checkId),
  );
  return (
    <InfoCard title="Backup compliance" deepLink={deepLink}>
      <StructuredMetadataTable
        metadata={{
          Level: <LevelStatus level={snapshot.level} />,
          Score: snapshot.score === null ? 'n/a' : `${snapshot.score} %`,
          'Failing checks':
            failing.length === 0
              ? 'none'
              : `${failing.length}: ${failing
                  .map(c => titles.get(c.checkId) ?? c.checkId)
                  .join(', ')}`,
          'Newest backup': age(newestBackup, now),
          'Last restore test': age(
            typeof restoreFact?.value === 'string'
              ? restoreFact.value
              : undefined,
            now,
          ),
        }}
      />
      <Link to={tab}>Open the Backup tab</Link>
    </InfoCard>
  );
};
