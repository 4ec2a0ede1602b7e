/**
 * Backup compliance facts for Tech Insights: a fact retriever that publishes, for every
 * entity the Backup Compliance backend plugin judges, its level, score, each check's
 * status, how old its backups and test restores are at worst, and when a waiver expires.
 *
 * @packageDocumentation
 */

export { backupComplianceTechInsightsModule as default } from './module';
export {
  BACKUP_COMPLIANCE_FACT_RETRIEVER_ID,
  backupComplianceFactRetriever,
  factsOf,
} from './backupComplianceFactRetriever';
