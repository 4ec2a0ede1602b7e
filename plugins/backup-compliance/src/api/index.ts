export * from './BackupComplianceApi';
export * from './BackupComplianceClient';
export type {
  AccountRegionCollectionState,
  BackupComplianceHealth,
  CollectionCycle,
  CollectionRefreshRequest,
  CollectionRun,
  CollectionStatus,
  EntityHistoryPoint,
  EntityResource,
  EntityResources,
  PoliciesResponse,
  RestoreTest,
  Scorecard,
  ScorecardGroup,
  ScorecardHistoryDay,
  ScorecardRow,
} from '@backup-compliance/backstage-plugin-common';
