import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

/** What the example backend's conditional policy hides (examplePermissionPolicy.ts). */
export const RESTRICTED_ANNOTATION = 'backup-compliance.example/restricted';

/** One component in this many is restricted, as a bank's restricted namespace is. */
export const RESTRICT_EVERY = 100;

/**
 * Annotates one component in {@link RESTRICT_EVERY} of the synthetic org's catalog as
 * restricted: under `--policy conditional-catalog` every caller then sees all but those,
 * as under a policy that hides a restricted namespace. Answers how many it annotated.
 */
export async function restrictSome(
  work: string,
): Promise<{ restricted: number; message: string }> {
  const file = join(work, 'catalog.yaml');
  const documents = parseAllDocuments(await readFile(file, 'utf8'));
  if (!Array.isArray(documents)) {
    throw new Error(`${file} is not a YAML stream of entities`);
  }
  let components = 0;
  let restricted = 0;
  const entities = documents.map(document => {
    const entity = document.toJS();
    if (entity?.kind === 'Component' && components++ % RESTRICT_EVERY === 0) {
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        [RESTRICTED_ANNOTATION]: 'true',
      };
      restricted++;
    }
    return entity;
  });
  await writeFile(file, entities.map(e => `---\n${stringify(e)}`).join(''));
  return {
    restricted,
    message: `Annotated ${restricted} of ${components} components ${RESTRICTED_ANNOTATION}: the conditional policy hides them from every caller.`,
  };
}
