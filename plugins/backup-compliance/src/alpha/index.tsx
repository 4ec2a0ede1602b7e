import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  backupComplianceApi,
  entityBackupCard,
  entityBackupContent,
  scorecardPage,
} from './extensions';
import { scorecardRouteRef } from './routes';
import BackupIcon from '@material-ui/icons/Backup';

/**
 * The Backup Compliance frontend plugin for the New Frontend System: the
 * Backup entity tab (on entities with `aws.amazon.com/backup-resource-tags`)
 * and the Backup compliance page (scorecard and policies tabs) with its
 * sidebar item.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'backup-compliance',
  title: 'Backup compliance',
  icon: <BackupIcon />,
  routes: { root: scorecardRouteRef },
  info: { packageJson: () => import('../../package.json') },
  extensions: [
    backupComplianceApi,
    entityBackupContent,
    entityBackupCard,
    scorecardPage,
  ],
});
