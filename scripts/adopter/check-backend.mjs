#!/usr/bin/env node
// The adopter test's API checks against a running backend of a fresh app:
// health, a completed collection cycle, and one entity's verdict.
//   node scripts/adopter/check-backend.mjs http://localhost:PORT [BACKEND_PID]
// Waits for events (the backend answering, the cycle completing), bounded by a
// generous deadline, never for a fixed time.
const [base, backendPid] = process.argv.slice(2);
const api = `${base}/api/backup-compliance`;
const deadline = Date.now() + 10 * 60_000;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what, probe) {
  let last;
  while (Date.now() < deadline) {
    if (backendPid && !alive(Number(backendPid))) {
      throw new Error(
        `the backend exited while waiting for ${what} (see its log)`,
      );
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    `timed out waiting for ${what}${last ? `: ${last.message}` : ''}`,
  );
}

async function json(url, token) {
  const res = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok)
    throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

const health = await until('/health', () => json(`${api}/health`));
console.log(`health: ${JSON.stringify(health)}`);
if (health.status !== 'ok') throw new Error('health is not ok');

// A guest user's token, as the app's sign-in page gets it.
const token = await until('a guest token', async () => {
  const res = await fetch(`${base}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest sign-in: HTTP ${res.status}`);
  return (await res.json()).backstageIdentity.token;
});

const collection = await until('a completed collection', async () => {
  const c = await json(`${api}/v1/collection`, token);
  if (!c.enabled) throw new Error(`collection is off: ${c.message}`);
  // every configured account × region attempted: one whole cycle is over
  const done =
    c.accountRegions.length === c.accounts.length * c.regions.length &&
    c.accountRegions.every(ar => ar.lastAttemptAt);
  return done ? c : undefined;
});
const failed = collection.accountRegions.filter(ar => ar.stale);
console.log(
  `collection: ${collection.accountRegions.length} account-regions collected, ${failed.length} failed, ${collection.runs.length} runs`,
);
if (failed.length > 0) {
  throw new Error(
    `account-regions failed: ${failed
      .map(ar => `${ar.accountId}/${ar.region}: ${ar.lastError}`)
      .join('; ')}`,
  );
}

const verdict = await until('the verdict of payments-ledger', async () => {
  const res = await fetch(
    `${api}/v1/entities/default/component/payments-ledger`,
    {
      headers: { authorization: `Bearer ${token}` },
    },
  );
  if (res.status === 404) return undefined; // not evaluated yet
  if (!res.ok)
    throw new Error(`verdict: HTTP ${res.status} ${await res.text()}`);
  const v = await res.json();
  return v.level ? v : undefined;
});
console.log(
  `verdict of payments-ledger: ${verdict.level}, score ${
    verdict.score
  }, policy ${verdict.policies.join(', ')}, ${verdict.checks.length} checks, ${
    verdict.resources.length
  } resource(s)`,
);
// The example scenario's story for payments-ledger: one RDS database, every check passed.
if (verdict.level !== 'compliant' || verdict.resources.length !== 1) {
  throw new Error(
    `payments-ledger should be compliant with 1 resource: ${JSON.stringify({
      level: verdict.level,
      problems: verdict.problems,
      resources: verdict.resources.length,
    })}`,
  );
}
