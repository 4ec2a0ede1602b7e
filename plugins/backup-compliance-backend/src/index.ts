export { backupCompliancePlugin as default } from './plugin';
