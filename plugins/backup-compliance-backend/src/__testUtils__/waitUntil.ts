/**
 * Resolves once `condition` holds, checking every 100 ms: tests wait for an event
 * (a run recorded, a request taken), never for a fixed time. Jest's test timeout
 * bounds it.
 */
export async function waitUntil(condition: () => Promise<boolean>) {
  while (!(await condition())) {
    await new Promise(r => setTimeout(r, 100));
  }
}
