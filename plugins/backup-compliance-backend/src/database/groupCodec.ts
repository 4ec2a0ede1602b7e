/**
 * The stored form of a group of objects (a resource's recovery points or jobs): a field
 * with the same value in every object is written once, a field with few distinct values
 * once per value, with each object's index, and the rest per object. A bank's recovery
 * points repeat their resource, vault, type, plan, rule and lifecycle: written this way a
 * group is about a third of its JSON array, and read back its repeated values are shared,
 * not copied per point.
 *
 * The older form, a JSON array of the objects, reads back the same.
 */
type EncodedGroup = {
  /** Fields with one value in every object. */
  shared: Record<string, unknown>;
  /** Fields with few distinct values: the values, and each object's index (-1: absent). */
  columns: Record<string, { values: unknown[]; of: number[] }>;
  /** Each object's other fields. */
  items: Array<Record<string, unknown>>;
};

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

/** Equal by value, for the values a field repeats: one object's fields compared, no JSON. */
function same(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (a instanceof Date || b instanceof Date) {
    return (
      a instanceof Date && b instanceof Date && a.getTime() === b.getTime()
    );
  }
  if (depth > 1 || Array.isArray(a) || Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const key of keys) {
    if (!same(x[key], y[key], depth + 1)) return false;
  }
  return true;
}

/** Objects seen before a field whose values all differ is left per object. */
const PROBE = 4;

/** `items` as the stored JSON text. */
export function encodeGroup(items: Array<Record<string, unknown>>): string {
  if (items.length < 2) return JSON.stringify(items);
  const keys = new Set<string>();
  for (const item of items) for (const key of Object.keys(item)) keys.add(key);
  const shared: EncodedGroup['shared'] = {};
  const columns: EncodedGroup['columns'] = {};
  const factored = new Set<string>();
  for (const key of keys) {
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
      if (lastIndex >= 0 && same(value, last)) {
        of.push(lastIndex);
        continue;
      }
      const id = identity(value);
      let i = index.get(id);
      if (i === undefined) {
        i = values.length;
        index.set(id, i);
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
    if (values.length === 1 && !absent) {
      shared[key] = values[0];
      factored.add(key);
    } else if (values.length * 2 <= items.length) {
      columns[key] = { values, of };
      factored.add(key);
    }
  }
  if (factored.size === 0) return JSON.stringify(items);
  const rest = items.map(item => {
    const own: Record<string, unknown> = {};
    for (const key in item) {
      if (!factored.has(key)) own[key] = item[key];
    }
    return own;
  });
  const encoded: EncodedGroup = { shared, columns, items: rest };
  return JSON.stringify(encoded);
}

/**
 * The objects of a stored group, as `encodeGroup` was given them (times as the JSON
 * wrote them). `revive` runs once on each stored value, so a shared value is revived once.
 */
export function decodeGroup(
  text: string,
  revive: <T>(value: T) => T = value => value,
): Array<Record<string, any>> {
  const parsed = JSON.parse(text) as EncodedGroup | Array<Record<string, any>>;
  if (Array.isArray(parsed)) return parsed.map(item => revive(item));
  const shared = revive(parsed.shared);
  const sharedKeys = Object.keys(shared);
  const columns = Object.entries(parsed.columns).map(
    ([key, { values, of }]) => ({ key, values: revive(values), of }),
  );
  return parsed.items.map((own, i) => {
    const item = revive(own) as Record<string, any>;
    for (const key of sharedKeys) item[key] = shared[key];
    for (const { key, values, of } of columns) {
      if (of[i] >= 0) item[key] = values[of[i]];
    }
    return item;
  });
}
