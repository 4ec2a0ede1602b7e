#!/usr/bin/env node
// Our plugins must not bring a second copy of any @backstage package into an app:
// every @backstage package that one of our four packages depends on must resolve to a
// single version in the app's yarn.lock.
//   node scripts/adopter/check-duplicates.mjs APP_DIR
import fs from 'node:fs';
import path from 'node:path';

const app = process.argv[2];
const lock = fs.readFileSync(path.join(app, 'yarn.lock'), 'utf8');
const versions = new Map();
for (const m of lock.matchAll(
  /^ {2}resolution: "(@backstage\/[^@"]+)@npm:([^"]+)"$/gm,
)) {
  if (!versions.has(m[1])) versions.set(m[1], new Set());
  versions.get(m[1]).add(m[2]);
}

const ours = fs
  .readdirSync(path.join(app, 'node_modules/@backup-compliance'))
  .map(dir =>
    JSON.parse(
      fs.readFileSync(
        path.join(app, 'node_modules/@backup-compliance', dir, 'package.json'),
        'utf8',
      ),
    ),
  );
if (ours.length !== 4)
  throw new Error(
    `expected our 4 packages in node_modules, found ${ours.length}`,
  );

const used = new Map();
for (const pkg of ours) {
  for (const [name, range] of Object.entries({
    ...pkg.dependencies,
    ...pkg.peerDependencies,
  })) {
    if (name.startsWith('@backstage/'))
      used.set(name, [
        ...(used.get(name) ?? []),
        `${pkg.name}@${pkg.version} wants ${range}`,
      ]);
  }
}

let bad = 0;
for (const [name, wants] of [...used].sort()) {
  const found = [...(versions.get(name) ?? [])];
  const ok = found.length === 1;
  if (!ok) bad++;
  console.log(
    `${ok ? 'ok  ' : 'DUPE'} ${name}: ${found.join(', ') || 'not installed'}${
      ok ? '' : `  (${wants.join('; ')})`
    }`,
  );
}
const others = [...versions].filter(([n, v]) => v.size > 1 && !used.has(n));
if (others.length) {
  console.log(
    `Not ours (the app's own dependencies bring them): ${others
      .map(([n, v]) => `${n} ${[...v].join('/')}`)
      .join(', ')}`,
  );
}
if (bad) {
  console.error(
    `${bad} @backstage package(s) our plugins use are installed more than once`,
  );
  process.exit(1);
}
console.log(`${used.size} @backstage packages our plugins use: one copy each`);
