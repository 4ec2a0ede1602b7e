export { CollectionStatusCard } from './CollectionStatus';
