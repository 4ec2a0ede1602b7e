import {
  ApiBlueprint,
  PageBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isBackupComplianceAvailable } from '@backup-compliance/backstage-plugin-common';
import BackupIcon from '@material-ui/icons/Backup';
import { BackupComplianceClient, backupComplianceApiRef } from '../api';
import { scorecardRouteRef } from './routes';

export const backupComplianceApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: backupComplianceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new BackupComplianceClient(deps),
    }),
});

export const entityBackupContent = EntityContentBlueprint.make({
  params: {
    path: '/backup',
    title: 'Backup',
    filter: isBackupComplianceAvailable,
    loader: () =>
      import('../components/EntityBackupContent').then(m => (
        <m.EntityBackupContent />
      )),
  },
});

export const scorecardPage = PageBlueprint.make({
  params: {
    path: '/backup-compliance',
    routeRef: scorecardRouteRef,
    title: 'Backup compliance',
    icon: <BackupIcon />,
    loader: () =>
      import('../components/ScorecardPage').then(m => (
        // The app renders this page's header from its title.
        <m.ScorecardPage withHeader={false} />
      )),
  },
});

export const entityBackupCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: isBackupComplianceAvailable,
    type: 'info',
    loader: () =>
      import('../components/EntityBackupComplianceCard').then(m => (
        <m.EntityBackupComplianceCard />
      )),
  },
});
