/**
 * Parses JSON held in a Buffer that may be larger than V8's longest string (about 512 MB,
 * a generated scenario of a 20 000-service estate is more): a value whose text fits in
 * `maxChars` is handed to `JSON.parse` whole; a larger object or array is split into its
 * members at the top level (strings and escapes respected) and each member parsed the
 * same way. Invalid JSON throws a SyntaxError naming the byte offset.
 */
export function parseLargeJson(buffer: Buffer, maxChars = 64 * 1024 * 1024) {
  const start = skipSpace(buffer, 0);
  const end = trimEnd(buffer, buffer.length);
  return parseSpan(buffer, start, end, maxChars);
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const [QUOTE, BACKSLASH, COMMA, COLON] = [0x22, 0x5c, 0x2c, 0x3a];
const OPEN = new Set([0x7b, 0x5b]); // { [
const CLOSE = new Set([0x7d, 0x5d]); // } ]

function skipSpace(buffer: Buffer, at: number) {
  let i = at;
  while (i < buffer.length && SPACE.has(buffer[i])) i++;
  return i;
}

function trimEnd(buffer: Buffer, end: number) {
  let i = end;
  while (i > 0 && SPACE.has(buffer[i - 1])) i--;
  return i;
}

function syntaxError(message: string, at: number): never {
  throw new SyntaxError(`${message} at byte ${at}`);
}

/** The end (exclusive) of the value that starts at `at`. */
function valueEnd(buffer: Buffer, at: number): number {
  let depth = 0;
  let i = at;
  while (i < buffer.length) {
    const byte = buffer[i];
    if (byte === QUOTE) {
      i++;
      while (i < buffer.length && buffer[i] !== QUOTE) {
        i += buffer[i] === BACKSLASH ? 2 : 1;
      }
      if (i >= buffer.length) syntaxError('Unterminated string', at);
      i++;
      if (depth === 0) return i;
      continue;
    }
    if (OPEN.has(byte)) depth++;
    else if (CLOSE.has(byte)) {
      depth--;
      if (depth < 0) return i;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && (byte === COMMA || SPACE.has(byte))) {
      return i; // the end of a number, true, false or null
    }
    i++;
  }
  if (depth > 0) syntaxError('Unexpected end of JSON', buffer.length);
  return i;
}

function parseSpan(
  buffer: Buffer,
  start: number,
  end: number,
  maxChars: number,
): unknown {
  if (end - start <= maxChars || !OPEN.has(buffer[start])) {
    const text = buffer.toString('utf8', start, end);
    try {
      return JSON.parse(text);
    } catch (error) {
      return syntaxError((error as Error).message, start);
    }
  }
  const isObject = buffer[start] === 0x7b;
  const closing = isObject ? 0x7d : 0x5d;
  if (buffer[end - 1] !== closing) {
    syntaxError(`Expected "${String.fromCharCode(closing)}"`, end - 1);
  }
  const object: Record<string, unknown> = {};
  const array: unknown[] = [];
  let i = skipSpace(buffer, start + 1);
  while (i < end - 1) {
    let key: string | undefined;
    if (isObject) {
      if (buffer[i] !== QUOTE) syntaxError('Expected a property name', i);
      const keyEnd = valueEnd(buffer, i);
      key = JSON.parse(buffer.toString('utf8', i, keyEnd)) as string;
      i = skipSpace(buffer, keyEnd);
      if (buffer[i] !== COLON) syntaxError('Expected ":"', i);
      i = skipSpace(buffer, i + 1);
    }
    const memberEnd = valueEnd(buffer, i);
    if (memberEnd === i) syntaxError('Expected a value', i);
    const value = parseSpan(buffer, i, trimEnd(buffer, memberEnd), maxChars);
    if (key === undefined) array.push(value);
    else object[key] = value;
    i = skipSpace(buffer, memberEnd);
    if (buffer[i] === COMMA) {
      i = skipSpace(buffer, i + 1);
      if (i >= end - 1) syntaxError('Unexpected ","', i);
    } else if (i < end - 1) {
      syntaxError('Expected "," or the end of the value', i);
    }
  }
  return isObject ? object : array;
}
