import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A shape of an AWS service model as the `aws-sdk` v2 package ships it (`apis/*.min.json`). */
export type ModelShape = {
  /** Absent for strings: the minified models leave it out. */
  type?: string;
  /** A reference into `shapes`. */
  shape?: string;
  members?: Record<string, ModelShape>;
  member?: ModelShape;
  key?: ModelShape;
  value?: ModelShape;
  required?: string[];
  location?: string;
  locationName?: string;
  timestampFormat?: string;
  payload?: string;
};

export type ServiceModel = {
  metadata: { protocol: string; targetPrefix?: string; signingName?: string };
  operations: Record<
    string,
    {
      http?: { method: string; requestUri: string };
      input?: ModelShape;
      output?: ModelShape;
    }
  >;
  shapes: Record<string, ModelShape>;
};

/** Reads `aws-sdk/apis/<name>.min.json`, e.g. `backup-2018-11-15`. */
export function loadServiceModel(name: string): ServiceModel {
  return JSON.parse(
    readFileSync(require.resolve(`aws-sdk/apis/${name}.min.json`), 'utf8'),
  );
}

/**
 * What the SDK v3 type declarations know: the v2 minified models drop enums,
 * so their values are read from the generated `enums.d.ts` and the members
 * that use them from the interfaces in `models_*.d.ts`, both generated from
 * the same Smithy models.
 */
export type SdkTypes = {
  /** Interface name, then member name, then its declared type (`BackupJob[]`, `BackupJobState`, …). */
  interfaces: Map<string, Map<string, string>>;
  enums: Map<string, string[]>;
};

export function readSdkTypes(packageName: string): SdkTypes {
  const folder = join(
    dirname(require.resolve(`${packageName}/package.json`)),
    'dist-types',
    'models',
  );
  const interfaces = new Map<string, Map<string, string>>();
  const enums = new Map<string, string[]>();
  for (const file of readdirSync(folder).filter(f => f.endsWith('.d.ts'))) {
    const text = readFileSync(join(folder, file), 'utf8');
    for (const [, name, body] of text.matchAll(
      /^export interface (\w+) \{\n([\s\S]*?)^\}/gm,
    )) {
      const members = new Map<string, string>();
      for (const [, member, type] of body.matchAll(
        /^ {4}(\w+)\??: (.+?)(?: \| undefined)?;$/gm,
      )) {
        members.set(member, type);
      }
      interfaces.set(name, members);
    }
    for (const [, name, body] of text.matchAll(
      /^export declare const (\w+): \{\n([\s\S]*?)^\};/gm,
    )) {
      enums.set(
        name,
        [...body.matchAll(/readonly \w+: "([^"]*)";/g)].map(m => m[1]),
      );
    }
  }
  return { interfaces, enums };
}

/** What a list's items or a map's values are declared as, from `X[]` or `Record<string, X>`. */
function elementType(type: string | undefined): string | undefined {
  return (
    type?.match(/^(\w+)\[\]$/)?.[1] ??
    type?.match(/^Record<string, (\w+)>$/)?.[1]
  );
}

export type ContractReport = {
  /** Where the body breaks the model: `ListBackupJobs.BackupJobs[0].State: …`. */
  problems: string[];
  /** Members the v2 model lacks but the newer SDK v3 model declares (not drift: a newer model). */
  newerMembers: Set<string>;
};

/**
 * Validates a JSON response body against an operation's output shape: every
 * member known, of its type (timestamps as epoch seconds), required members
 * present, enum values valid.
 */
export function validateOutput(
  model: ServiceModel,
  operation: string,
  body: unknown,
  sdk?: SdkTypes,
  report: ContractReport = { problems: [], newerMembers: new Set() },
): ContractReport {
  const output = model.operations[operation]?.output;
  if (!output) {
    report.problems.push(`${operation}: no such operation with an output`);
    return report;
  }
  const bodyShape: ModelShape = {
    ...output,
    // Headers and the status code are not in the body.
    members: Object.fromEntries(
      Object.entries(output.members ?? {}).filter(([, m]) => !m.location),
    ),
  };
  check(model, bodyShape, body, operation, `${operation}Output`, sdk, report);
  return report;
}

function resolve(model: ServiceModel, shape: ModelShape): ModelShape {
  return shape.shape ? { ...model.shapes[shape.shape], ...shape } : shape;
}

function check(
  model: ServiceModel,
  rawShape: ModelShape,
  value: unknown,
  path: string,
  sdkType: string | undefined,
  sdk: SdkTypes | undefined,
  report: ContractReport,
) {
  const shape = resolve(model, rawShape);
  const type = shape.type ?? 'string';
  const fail = (expected: string) =>
    report.problems.push(
      `${path}: expected ${expected}, got ${JSON.stringify(value)}`,
    );
  if (value === null) {
    fail(`a ${type} (AWS leaves an empty member out rather than send null)`);
    return;
  }
  switch (type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        fail('a structure (object)');
        return;
      }
      const members = shape.members ?? {};
      const byWireName = new Map(
        Object.entries(members).map(([name, member]) => [
          member.locationName ?? name,
          name,
        ]),
      );
      const sdkMembers = sdkType ? sdk?.interfaces.get(sdkType) : undefined;
      for (const [key, field] of Object.entries(value)) {
        const name = byWireName.get(key);
        if (name === undefined) {
          if (sdkMembers?.has(key)) {
            report.newerMembers.add(`${sdkType}.${key}`);
            checkSdkScalar(
              field,
              sdkMembers.get(key)!,
              `${path}.${key}`,
              sdk!,
              report,
            );
          } else {
            report.problems.push(`${path}.${key}: not a member of the model`);
          }
          continue;
        }
        check(
          model,
          members[name],
          field,
          `${path}.${key}`,
          sdkMembers?.get(name),
          sdk,
          report,
        );
      }
      for (const name of shape.required ?? []) {
        const key = members[name]?.locationName ?? name;
        if ((value as Record<string, unknown>)[key] === undefined) {
          report.problems.push(`${path}.${key}: required member missing`);
        }
      }
      return;
    }
    case 'list':
      if (!Array.isArray(value)) {
        fail('a list (array)');
        return;
      }
      value.forEach((item, i) =>
        check(
          model,
          shape.member ?? {},
          item,
          `${path}[${i}]`,
          elementType(sdkType),
          sdk,
          report,
        ),
      );
      return;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) {
        fail('a map (object)');
        return;
      }
      for (const [key, item] of Object.entries(value)) {
        check(
          model,
          shape.value ?? {},
          item,
          `${path}.${key}`,
          elementType(sdkType),
          sdk,
          report,
        );
      }
      return;
    case 'string': {
      if (typeof value !== 'string') {
        fail('a string');
        return;
      }
      const allowed = sdkType ? sdk?.enums.get(sdkType) : undefined;
      if (allowed && !allowed.includes(value)) {
        fail(`one of ${sdkType} (${allowed.join(', ')})`);
      }
      return;
    }
    case 'integer':
    case 'long':
      if (!Number.isInteger(value)) fail(`an ${type} (whole number)`);
      return;
    case 'float':
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        fail(`a ${type}`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('a boolean');
      return;
    case 'timestamp':
      if (shape.timestampFormat === 'iso8601') {
        if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
          fail('an ISO-8601 timestamp');
        }
        // Epoch seconds: a number of milliseconds would be thousands of years ahead.
      } else if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        Math.abs(value) > 1e11
      ) {
        fail('a timestamp in epoch seconds (number)');
      }
      return;
    case 'blob':
      if (typeof value !== 'string') fail('a blob (base64 string)');
      return;
    default:
      report.problems.push(`${path}: model type ${type} is not checked`);
  }
}

/** A member only the newer SDK v3 model knows: checked by its declared scalar type, if it has one. */
function checkSdkScalar(
  value: unknown,
  type: string,
  path: string,
  sdk: SdkTypes,
  report: ContractReport,
) {
  const allowed = sdk.enums.get(type);
  const checks: Record<string, (v: unknown) => boolean> = {
    string: v => typeof v === 'string',
    boolean: v => typeof v === 'boolean',
    number: v => typeof v === 'number',
    Date: v => typeof v === 'number' && Math.abs(v) <= 1e11,
  };
  let ok = true; // a structure or list: without its v2 model, nothing to check it by
  if (checks[type]) ok = checks[type](value);
  else if (allowed) ok = allowed.includes(value as string);
  if (!ok) {
    report.problems.push(
      `${path}: expected ${type}${
        allowed ? ` (${allowed.join(', ')})` : ''
      }, got ${JSON.stringify(value)}`,
    );
  }
}

/** The path and query of a REST request, built from the model's URI template and input bindings. */
export function restRequest(
  model: ServiceModel,
  operation: string,
  input: Record<string, string | number | boolean | undefined>,
): { method: string; path: string } {
  const op = model.operations[operation];
  if (!op?.http) throw new Error(`${operation} is not a REST operation`);
  const members = op.input?.members ?? {};
  const query = new URLSearchParams();
  let path = op.http.requestUri;
  for (const [name, value] of Object.entries(input)) {
    const member = members[name];
    if (!member) throw new Error(`${operation} has no input member ${name}`);
    if (value === undefined) continue;
    const wire = member.locationName ?? name;
    if (member.location === 'uri') {
      path = path.replace(
        new RegExp(`\\{${wire}\\+?\\}`),
        encodeURIComponent(String(value)),
      );
    } else if (member.location === 'querystring') {
      query.set(wire, String(value));
    } else {
      throw new Error(`${operation}.${name} is not bound to the URI or query`);
    }
  }
  const search = query.toString();
  return { method: op.http.method, path: search ? `${path}?${search}` : path };
}
