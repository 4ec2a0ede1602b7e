// Writes src/schema/openapi.generated.ts from src/schema/openapi.yaml: the spec
// as a TypeScript constant, from which the router takes its types. Run with
// `yarn workspace @backup-compliance/backstage-plugin-backend openapi:generate`.
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('yaml');

const dir = path.resolve(__dirname, '../src/schema');

function render() {
  const spec = parse(fs.readFileSync(path.join(dir, 'openapi.yaml'), 'utf8'));
  return `// Generated from openapi.yaml by scripts/generate-openapi.js: do not edit.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`;
}

module.exports = { render };

if (require.main === module) {
  fs.writeFileSync(path.join(dir, 'openapi.generated.ts'), render());
}
