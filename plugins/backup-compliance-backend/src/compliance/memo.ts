/**
 * A function of a text (a schedule expression), remembered: an evaluation asks the same few
 * plans' schedules for hundreds of thousands of recovery points. At most `limit` texts are
 * kept; past that the memory starts again. Results are frozen, as every caller shares them.
 */
export function memoized<R>(
  compute: (text: string | undefined) => R,
  limit = 1000,
): (text: string | undefined) => R {
  const memo = new Map<string | undefined, R>();
  return text => {
    if (memo.has(text)) return memo.get(text)!;
    if (memo.size >= limit) memo.clear();
    const result = compute(text);
    memo.set(
      text,
      result && typeof result === 'object' ? Object.freeze(result) : result,
    );
    return result;
  };
}
