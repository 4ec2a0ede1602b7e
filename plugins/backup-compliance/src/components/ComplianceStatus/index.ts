export { LevelStatus, CheckStatusLabel, StatusLabel } from './ComplianceStatus';
