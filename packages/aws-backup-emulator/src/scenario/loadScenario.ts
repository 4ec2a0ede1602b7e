import Ajv, { ErrorObject } from 'ajv';
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { buildScenario, ScenarioProblem } from './buildScenario';
import { parseLargeJson } from './parseLargeJson';
import schema from './scenario.schema.json';
import { Scenario } from './types';

/** A scenario file that cannot be used; the message names the file and every bad field. */
export class ScenarioError extends Error {
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    super(
      `Invalid scenario ${file}:\n${problems.map(p => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

const MAX_REPORTED = 25;

function describe(error: ErrorObject): string {
  const path = error.instancePath || '/';
  switch (error.keyword) {
    case 'additionalProperties':
      return `${path}: unknown field "${
        (error.params as { additionalProperty: string }).additionalProperty
      }"`;
    case 'required':
      return `${path}: missing required field "${
        (error.params as { missingProperty: string }).missingProperty
      }"`;
    case 'enum':
      return `${path}: must be one of ${(
        error.params as { allowedValues: unknown[] }
      ).allowedValues
        .map(v => JSON.stringify(v))
        .join(', ')}`;
    case 'pattern':
      if (error.schemaPath.startsWith('#/definitions/Time')) {
        return `${path}: must be a time: ISO-8601 (2026-01-31T02:00:00Z) or relative (now, -3d, -26h, -7y, +10d)`;
      }
      if (error.schemaPath.startsWith('#/definitions/AccountId')) {
        return `${path}: must be a 12-digit account id in quotes ('111111111111')`;
      }
      return `${path}: must match ${
        (error.params as { pattern: string }).pattern
      }`;
    default:
      return `${path}: ${error.message}`;
  }
}

/** Validates raw scenario data (already parsed) and builds the emulator's world. */
export function parseScenario(
  data: unknown,
  options: { file?: string; now?: Date } = {},
): Scenario {
  const file = options.file ?? '<scenario>';
  if (!validate(data)) {
    // Ajv reports a failed `oneOf`/`$ref` once per branch; keep each message once.
    const problems = [...new Set((validate.errors ?? []).map(describe))];
    throw new ScenarioError(file, truncate(problems));
  }
  const problems: ScenarioProblem[] = [];
  const scenario = buildScenario(
    data as any,
    options.now ?? new Date(),
    problems,
  );
  if (problems.length > 0) {
    throw new ScenarioError(
      file,
      truncate(problems.map(p => `${p.path}: ${p.message}`)),
    );
  }
  return scenario;
}

function truncate(problems: string[]): string[] {
  return problems.length > MAX_REPORTED
    ? [
        ...problems.slice(0, MAX_REPORTED),
        `... and ${problems.length - MAX_REPORTED} more`,
      ]
    : problems;
}

/**
 * Reads a scenario file: YAML (or JSON, which is parsed faster, for large
 * generated scenarios), validated against `scenario.schema.json`.
 */
export async function loadScenario(
  file: string,
  options: { now?: Date } = {},
): Promise<Scenario> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    throw new ScenarioError(file, [
      `cannot be read: ${(error as Error).message}`,
    ]);
  }
  let data: unknown;
  if (file.endsWith('.json')) {
    try {
      // a generated estate can be larger than one string may be
      data = parseLargeJson(content);
    } catch (error) {
      throw new ScenarioError(file, [
        `is not valid JSON: ${(error as Error).message}`,
      ]);
    }
  } else {
    const lineCounter = new LineCounter();
    const document = parseDocument(content.toString('utf8'), { lineCounter });
    if (document.errors.length > 0) {
      throw new ScenarioError(
        file,
        document.errors.map(error => {
          const { line, col } = lineCounter.linePos(error.pos[0]);
          return `line ${line}, column ${col}: ${error.message.split('\n')[0]}`;
        }),
      );
    }
    data = document.toJS();
  }
  return parseScenario(data, { file, now: options.now });
}
