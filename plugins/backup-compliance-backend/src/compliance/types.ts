// The engine's data types live in -node, so backend modules can write checks against them.
export type {
  CoveringRule,
  EvaluationContext,
  LocatedRecoveryPoint,
  LocatedVault,
  ResourceCheck,
  ResourceEvidence,
  ResourceVerdict,
} from '@backup-compliance/backstage-plugin-node';
