import { createHash } from 'node:crypto';
import { invalidParameter } from './errors';

export type Page<T> = { items: T[]; nextToken?: string };

/**
 * Cuts one page out of `items`. Tokens are opaque to callers and bound to the
 * operation and its filters: a token from another listing is rejected, as AWS
 * does.
 */
export function paginate<T>(
  items: T[],
  options: {
    operation: string;
    /** The request's filters; a token is only valid for the same ones. */
    filters: Record<string, unknown>;
    maxResults?: number;
    nextToken?: string;
    defaultPageSize: number;
  },
): Page<T> {
  const fingerprint = createHash('sha1')
    .update(options.operation)
    .update(JSON.stringify(options.filters))
    .digest('hex')
    .slice(0, 12);
  let offset = 0;
  if (options.nextToken) {
    const decoded = decodeToken(options.nextToken);
    if (!decoded || decoded.f !== fingerprint) {
      throw invalidParameter(
        `The pagination token is not valid for ${options.operation} with these parameters`,
      );
    }
    offset = decoded.o;
  }
  const size = options.maxResults ?? options.defaultPageSize;
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    nextToken:
      end < items.length ? encodeToken({ o: end, f: fingerprint }) : undefined,
  };
}

function encodeToken(token: { o: number; f: string }): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string): { o: number; f: string } | undefined {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return Number.isInteger(token?.o) &&
      token.o >= 0 &&
      typeof token.f === 'string'
      ? token
      : undefined;
  } catch {
    return undefined;
  }
}
