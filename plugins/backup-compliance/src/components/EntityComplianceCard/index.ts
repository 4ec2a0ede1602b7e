export { EntityComplianceCard } from './EntityComplianceCard';
