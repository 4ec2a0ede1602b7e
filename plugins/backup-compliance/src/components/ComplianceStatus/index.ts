export { LevelStatus, CheckStatusLabel } from './ComplianceStatus';
