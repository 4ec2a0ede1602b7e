export { CollectionNotSetUp } from './CollectionNotSetUp';
