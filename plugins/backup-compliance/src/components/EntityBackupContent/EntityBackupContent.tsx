import {
  CodeSnippet,
  Content,
  InfoCard,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  BACKUP_ANNOTATIONS_EXAMPLE,
  BACKUP_RESOURCE_TAGS_ANNOTATION,
  BackupAnnotations,
  isBackupComplianceAvailable,
  parseBackupAnnotations,
} from '@backup-compliance/backstage-plugin-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { CollectionStatusCard } from '../CollectionStatus';
import { EntityComplianceCard } from '../EntityComplianceCard';
import { EntityResourcesCard } from '../EntityResourcesCard';
import { EntityScoreTrend, RestoreTestsChart } from '../TrendChart';

function describeOptIn(annotations: BackupAnnotations) {
  return {
    'Resource tags': Object.entries(annotations.resourceTags).map(
      ([key, value]) => `${key}=${value}`,
    ),
    Policy:
      annotations.policy ??
      "from the resources' backup-policy tag, else default",
    Accounts: annotations.accounts ?? 'all configured accounts',
    Regions: annotations.regions ?? 'all configured regions',
    'PII deletion': annotations.piiDeletionDays
      ? `after ${annotations.piiDeletionDays} days`
      : 'not declared',
  };
}

/**
 * The Backup tab of an entity page.
 *
 * @public
 */
export const EntityBackupContent = () => {
  const { entity } = useEntity();

  if (!isBackupComplianceAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={BACKUP_RESOURCE_TAGS_ANNOTATION}
      />
    );
  }

  const parsed = parseBackupAnnotations(entity);
  if (!parsed.ok) {
    return (
      <Content>
        <WarningPanel
          severity="error"
          title="Backup annotations are malformed: this entity is misconfigured"
          defaultExpanded
        >
          <Typography variant="body2" component="div">
            <ul>
              {parsed.problems.map(problem => (
                <li key={`${problem.annotation}:${problem.message}`}>
                  <code>{problem.annotation}</code>: {problem.message}
                </li>
              ))}
            </ul>
            A correct example:
          </Typography>
          <CodeSnippet language="yaml" text={BACKUP_ANNOTATIONS_EXAMPLE} />
        </WarningPanel>
      </Content>
    );
  }

  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={8}>
          <EntityComplianceCard />
        </Grid>
        <Grid item xs={12} md={4}>
          <InfoCard title="Opted in to backup compliance">
            <StructuredMetadataTable
              metadata={describeOptIn(parsed.annotations)}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <EntityResourcesCard />
        </Grid>
        <Grid item xs={12} md={6}>
          <EntityScoreTrend />
        </Grid>
        <Grid item xs={12} md={6}>
          <RestoreTestsChart />
        </Grid>
        <Grid item xs={12}>
          <CollectionStatusCard />
        </Grid>
      </Grid>
    </Content>
  );
};
