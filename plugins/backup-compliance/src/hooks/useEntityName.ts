import { useEntity } from '@backstage/plugin-catalog-react';
import { EntityName } from '../api';

/** The current entity as the API's paths name it. */
export function useEntityName(): EntityName {
  const { entity } = useEntity();
  return {
    namespace: entity.metadata.namespace ?? 'default',
    kind: entity.kind,
    name: entity.metadata.name,
  };
}
