import { createHash } from 'node:crypto';
import { AwsError, invalidParameter } from './errors';

export type Page<T> = { items: T[]; nextToken?: string };

/**
 * Decides whether one page is cut short: given how many items a full page
 * would hold, answers how many it holds instead (0 for an empty page), or
 * `undefined` to leave it full.
 */
export type ShortPage = (fullPage: number) => number | undefined;

type Token = {
  /** Offset of the next page. */
  o: number;
  /** Fingerprint of the operation and its filters. */
  f: string;
  /** Set when the page that issued the token was empty. */
  e?: 1;
  /** Issue time (epoch ms), for listings whose tokens expire. */
  t?: number;
};

/**
 * Cuts one page out of `items`. Tokens are opaque to callers and bound to the
 * operation and its filters: a token from another listing is rejected, as AWS
 * does. With `shortPage`, a page may hold fewer items than asked for, none at
 * all, or the last items with a token to an empty page, as AWS's pages do:
 * only an absent token ends a listing.
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
    shortPage?: ShortPage;
    /** How a token that cannot be used is refused (default InvalidParameterValueException). */
    invalidToken?: (message: string) => AwsError;
    /** Tokens older than this are refused; `now` is the current time (epoch ms). */
    tokenLifetime?: { ms: number; now: number };
  },
): Page<T> {
  const fingerprint = createHash('sha1')
    .update(options.operation)
    .update(JSON.stringify(options.filters))
    .digest('hex')
    .slice(0, 12);
  const refuse = options.invalidToken ?? invalidParameter;
  let offset = 0;
  let afterEmptyPage = false;
  if (options.nextToken) {
    const decoded = decodeToken(options.nextToken);
    if (!decoded || decoded.f !== fingerprint) {
      throw refuse(
        `The pagination token is not valid for ${options.operation} with these parameters`,
      );
    }
    const lifetime = options.tokenLifetime;
    if (
      lifetime &&
      (decoded.t === undefined || lifetime.now - decoded.t > lifetime.ms)
    ) {
      throw refuse(
        `The pagination token has expired: tokens of ${
          options.operation
        } are valid for ${lifetime.ms / 60_000} minutes`,
      );
    }
    offset = decoded.o;
    afterEmptyPage = decoded.e === 1;
  }
  const size = options.maxResults ?? options.defaultPageSize;
  const full = Math.max(0, Math.min(size, items.length - offset));
  // An empty page is never followed by another, so a listing always ends.
  const cut =
    full > 0 && !afterEmptyPage ? options.shortPage?.(full) : undefined;
  const count = cut ?? full;
  const end = offset + count;
  const more = end < items.length || cut !== undefined;
  return {
    items: items.slice(offset, end),
    nextToken: more
      ? encodeToken({
          o: end,
          f: fingerprint,
          ...(count === 0 ? { e: 1 as const } : {}),
          ...(options.tokenLifetime ? { t: options.tokenLifetime.now } : {}),
        })
      : undefined,
  };
}

function encodeToken(token: Token): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string): Token | undefined {
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
