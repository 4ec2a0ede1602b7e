export { EntityBackupComplianceCard } from './EntityBackupComplianceCard';
