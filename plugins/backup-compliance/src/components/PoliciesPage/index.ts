export { PoliciesContent } from './PoliciesPage';
