/**
 * The stored form of a group of objects (a resource's recovery points or jobs): a field
 * with the same value in every object is written once, a field with few distinct values
 * once per value, with each object's index, and the rest per object. A bank's recovery
 * points repeat their resource, vault, type, plan, rule and lifecycle: written this way a
 * group is about a third of its JSON array, and read back its repeated values are shared,
 * not copied per point.
 *
 * Times are written as milliseconds since the epoch, with the fields that hold them named
 * once (`times`): `JSON.stringify` writes a number about three times faster than it calls
 * a Date's `toJSON`, and reading a number back into a Date is faster than parsing its text
 * or searching every string for a time.
 *
 * The older forms, a JSON array of the objects and the form without `times` (times as
 * ISO text, revived by the reader), read back the same.
 */
type EncodedGroup = {
  /** Fields with one value in every object. */
  shared: Record<string, unknown>;
  /** Fields with few distinct values: the values, and each object's index (-1: absent). */
  columns: Record<string, { values: unknown[]; of: number[] }>;
  /** Each object's other fields. */
  items: Array<Record<string, unknown>>;
  /**
   * The fields holding times, as milliseconds: `Field`, or `Field.Inner` for a time in an
   * object a field holds. Absent in the older form.
   */
  times?: string[];
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  !(value instanceof Date);

/** Whether a Date is anywhere in `value`. */
function holdsTime(value: unknown): boolean {
  if (value instanceof Date) return true;
  if (Array.isArray(value)) return value.some(holdsTime);
  if (isRecord(value)) return Object.values(value).some(holdsTime);
  return false;
}

/**
 * Where the objects hold times: each field, or field of an object a field holds, that is a
 * Date in some object and absent or a Date in all of them. Undefined when a time is
 * anywhere else (deeper, in an array) or a field mixes times with other values: such a
 * group is written in the older form.
 */
function timesOf(
  items: Array<Record<string, unknown>>,
): Map<string, string[]> | undefined {
  // field -> its inner fields holding times ([] for the field itself)
  const times = new Map<string, string[]>();
  for (const item of items) {
    for (const key of Object.keys(item)) {
      const value = item[key];
      if (value instanceof Date) {
        if (!times.has(key)) times.set(key, []);
      } else if (isRecord(value)) {
        for (const inner of Object.keys(value)) {
          const innerValue = value[inner];
          if (innerValue instanceof Date) {
            const list = times.get(key) ?? [];
            if (!list.includes(inner)) list.push(inner);
            times.set(key, list);
          } else if (holdsTime(innerValue)) return undefined;
        }
      } else if (Array.isArray(value) && holdsTime(value)) return undefined;
    }
  }
  // every value of a time's field a time (or absent)
  for (const [key, inner] of times) {
    for (const item of items) {
      const value = item[key];
      if (value === undefined) continue;
      if (inner.length === 0) {
        if (!(value instanceof Date)) return undefined;
        continue;
      }
      if (!isRecord(value)) return undefined;
      for (const name of inner) {
        const innerValue = value[name];
        if (innerValue !== undefined && !(innerValue instanceof Date)) {
          return undefined;
        }
      }
    }
  }
  return times;
}

/** `value` of field `key` as stored: its times as milliseconds (a copy when it changed). */
function storedValue(value: unknown, inner: string[] | undefined): unknown {
  if (inner === undefined || value === undefined) return value;
  if (inner.length === 0) return (value as Date).getTime();
  const copy = { ...(value as Record<string, unknown>) };
  for (const name of inner) {
    const time = copy[name];
    if (time !== undefined) copy[name] = (time as Date).getTime();
  }
  return copy;
}

/** A stored value of a field with times, read back: its milliseconds as Dates, in place. */
function readValue(value: unknown, inner: string[]): unknown {
  if (value === undefined || value === null) return value;
  if (inner.length === 0) return new Date(value as number);
  const record = value as Record<string, unknown>;
  for (const name of inner) {
    const time = record[name];
    if (time !== undefined) record[name] = new Date(time as number);
  }
  return value;
}

/**
 * What tells two values apart: equal keys, equal JSON (a time and its ISO text aside, which
 * are only written twice).
 */
function identity(value: unknown): string {
  if (typeof value === 'string') return `s${value}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value === null || typeof value !== 'object') return `p${String(value)}`;
  return `j${JSON.stringify(value)}`;
}

/** Objects seen before a field whose values all differ is left per object. */
const PROBE = 4;
/**
 * Distinct values of a field up to which a value is looked up by comparing it with each,
 * without building an identity text: a field alternating between two or three rules'
 * objects would otherwise write one as JSON for every object of the group.
 */
const SCAN = 8;

/** Equal by value, for the values a field repeats, without JSON (times by their instant). */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (a instanceof Date || b instanceof Date) {
    return (
      a instanceof Date && b instanceof Date && a.getTime() === b.getTime()
    );
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
      return false;
    }
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(y, key) || !equal(x[key], y[key])) return false;
  }
  return true;
}

/** `items` as the stored JSON text. */
export function encodeGroup(items: Array<Record<string, unknown>>): string {
  const times = timesOf(items);
  if (!times?.size) {
    return items.length < 2 ? JSON.stringify(items) : factor(items);
  }
  return factor(items, times);
}

/**
 * The encoded group: repeated values factored out when there are two objects or more, and
 * with `times`, the times written as milliseconds.
 */
function factor(
  items: Array<Record<string, unknown>>,
  times?: Map<string, string[]>,
): string {
  const keys = new Set<string>();
  for (const item of items) for (const key of Object.keys(item)) keys.add(key);
  const shared: EncodedGroup['shared'] = {};
  const columns: EncodedGroup['columns'] = {};
  const factored = new Set<string>();
  for (const key of items.length < 2 ? [] : keys) {
    const index = new Map<string, number>();
    const values: unknown[] = [];
    const of: number[] = [];
    let absent = false;
    let last: unknown;
    let lastIndex = -1;
    for (const item of items) {
      const value = item[key];
      if (value === undefined) {
        absent = true;
        of.push(-1);
        continue;
      }
      // a run of the same value (points are sorted by key, so by time): no identity needed
      if (lastIndex >= 0 && equal(value, last)) {
        of.push(lastIndex);
        continue;
      }
      let i: number | undefined;
      if (values.length < SCAN) {
        for (let j = 0; j < values.length; j++) {
          if (equal(values[j], value)) {
            i = j;
            break;
          }
        }
      } else {
        if (index.size === 0)
          values.forEach((v, j) => index.set(identity(v), j));
        i = index.get(identity(value));
      }
      if (i === undefined) {
        i = values.length;
        if (index.size > 0) index.set(identity(value), i);
        values.push(value);
        // a time of each object, say: no use reading on
        if (values.length >= PROBE && values.length === of.length + 1) break;
        if (values.length * 2 > items.length) break;
      }
      last = value;
      lastIndex = i;
      of.push(i);
    }
    if (of.length < items.length) continue;
    const inner = times?.get(key);
    if (values.length === 1 && !absent) {
      shared[key] = storedValue(values[0], inner);
      factored.add(key);
    } else if (values.length * 2 <= items.length) {
      columns[key] = {
        values: inner ? values.map(v => storedValue(v, inner)) : values,
        of,
      };
      factored.add(key);
    }
  }
  if (!times && factored.size === 0) return JSON.stringify(items);
  const rest = items.map(item => {
    const own: Record<string, unknown> = {};
    for (const key in item) {
      if (!factored.has(key))
        own[key] = storedValue(item[key], times?.get(key));
    }
    return own;
  });
  const encoded: EncodedGroup = { shared, columns, items: rest };
  if (times) {
    encoded.times = [...times].flatMap(([key, inner]) =>
      inner.length ? inner.map(name => `${key}.${name}`) : [key],
    );
  }
  return JSON.stringify(encoded);
}

/** The `times` of a stored group, by field: the inner fields ([] for the field itself). */
function timesByField(times: string[]): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const path of times) {
    const dot = path.indexOf('.');
    const key = dot < 0 ? path : path.slice(0, dot);
    const list = byField.get(key) ?? [];
    if (dot >= 0) list.push(path.slice(dot + 1));
    byField.set(key, list);
  }
  return byField;
}

/** Reads back, in place, the times of `fields` (field, inner fields) that `record` holds. */
function readTimes(
  record: Record<string, unknown>,
  fields: Iterable<[string, string[]]>,
) {
  for (const [key, inner] of fields) {
    if (record[key] !== undefined) record[key] = readValue(record[key], inner);
  }
  return record;
}

/**
 * The objects of a stored group, as `encodeGroup` was given them. A group written with
 * `times` has those read back as Dates and nothing else touched; in the older forms
 * (times as the JSON wrote them) `revive` runs once on each stored value, so a shared
 * value is revived once.
 */
export function decodeGroup(
  text: string,
  revive: <T>(value: T) => T = value => value,
): Array<Record<string, any>> {
  const parsed = JSON.parse(text) as EncodedGroup | Array<Record<string, any>>;
  if (Array.isArray(parsed)) return parsed.map(item => revive(item));
  const times = parsed.times ? timesByField(parsed.times) : undefined;
  const shared = times
    ? readTimes(parsed.shared, times)
    : revive(parsed.shared);
  const sharedKeys = Object.keys(shared);
  const columns = Object.entries(parsed.columns).map(
    ([key, { values, of }]) => {
      const inner = times?.get(key);
      let read = values;
      if (!times) read = revive(values);
      else if (inner) read = values.map(v => readValue(v, inner));
      return { key, values: read, of };
    },
  );
  // the time fields each object holds itself
  const owned = times
    ? [...times].filter(
        ([key]) => !(key in parsed.shared) && !(key in parsed.columns),
      )
    : [];
  return parsed.items.map((own, i) => {
    const item = (times ? readTimes(own, owned) : revive(own)) as Record<
      string,
      any
    >;
    for (const key of sharedKeys) item[key] = shared[key];
    for (const { key, values, of } of columns) {
      if (of[i] >= 0) item[key] = values[of[i]];
    }
    return item;
  });
}
