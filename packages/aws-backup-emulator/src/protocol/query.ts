import { invalidParameter } from './errors';

/** Typed reads of an AWS query string, failing the way AWS validation does. */
export class Query {
  constructor(private readonly params: URLSearchParams) {}

  string(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  /** A filter the service model declares as an enum: any other value (`BOGUS`, lower-case `completed`) is refused. */
  oneOf(name: string, allowed: readonly string[]): string | undefined {
    const value = this.string(name);
    if (value !== undefined && !allowed.includes(value)) {
      throw invalidParameter(
        `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(
          ', ',
        )}]`,
      );
    }
    return value;
  }

  /** A filter the service model constrains by a pattern. */
  matching(name: string, pattern: RegExp): string | undefined {
    const value = this.string(name);
    if (value !== undefined && !pattern.test(value)) {
      throw invalidParameter(
        `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`,
      );
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') {
      throw invalidParameter(`${name} must be true or false, got "${value}"`);
    }
    return value === 'true';
  }

  date(name: string): Date | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const time = Date.parse(value);
    if (Number.isNaN(time)) {
      throw invalidParameter(
        `${name} must be an ISO-8601 timestamp, got "${value}"`,
      );
    }
    return new Date(time);
  }

  /** MaxResults as AWS validates it: an integer from 1 to `max`. */
  maxResults(name: string, max = 1000): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw invalidParameter(
        `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must have value between 1 and ${max}`,
      );
    }
    return n;
  }

  /** Every parameter except paging ones, to bind page tokens to their filters. */
  filters(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of this.params) {
      if (!/^(nextToken|NextToken|maxResults|MaxResults)$/.test(key)) {
        out[key] = value;
      }
    }
    return out;
  }
}
