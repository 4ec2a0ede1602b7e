export { EntityResourcesCard } from './EntityResourcesCard';
