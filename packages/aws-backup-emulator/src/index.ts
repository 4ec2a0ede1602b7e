/**
 * A local AWS Backup and Resource Groups Tagging API, speaking the real wire
 * protocols, for demos, tests and benchmarks.
 *
 * @packageDocumentation
 */

export { emptyRegion, startEmulator } from './server';
export type { Emulator, EmulatorOptions } from './server';
export {
  loadScenario,
  parseScenario,
  ScenarioError,
} from './scenario/loadScenario';
export type * from './scenario/types';
export type { EmulatorStats } from './stats';
export {
  generateSyntheticOrg,
  syntheticOrgAccounts,
  writeSyntheticOrg,
} from './generate/generate';
export type { SyntheticOrgOptions } from './generate/generate';
