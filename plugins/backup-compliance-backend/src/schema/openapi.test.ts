import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { spec } from './openapi.generated';

describe('openapi.generated.ts', () => {
  it('is openapi.yaml, regenerated (yarn openapi:generate)', () => {
    const source = parse(
      readFileSync(resolve(__dirname, 'openapi.yaml'), 'utf8'),
    );
    expect(spec).toEqual(source);
  });

  it('documents every route the plugin serves', () => {
    const router = readFileSync(
      resolve(__dirname, '../service/router.ts'),
      'utf8',
    );
    const served = [
      ...router.matchAll(/router\.(get|post)\(\s*'([^']+)'/g),
    ].map(([, method, path]) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    const documented = Object.entries(spec.paths).flatMap(
      ([path, operations]) =>
        Object.keys(operations).map(method => `${method} ${path}`),
    );
    expect(served.sort()).toEqual(documented.sort());
  });
});
