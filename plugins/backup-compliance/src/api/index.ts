export * from './BackupComplianceApi';
export * from './BackupComplianceClient';
export type {
  AccountRegionCollectionState,
  CollectionCycle,
  CollectionRefreshRequest,
  CollectionRun,
  CollectionStatus,
  EntityResource,
  EntityResources,
} from '@backup-compliance/backstage-plugin-common';
