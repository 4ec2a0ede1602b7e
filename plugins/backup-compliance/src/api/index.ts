export * from './BackupComplianceApi';
export * from './BackupComplianceClient';
