#!/usr/bin/env node
// What `yarn pack` puts in each of our packages: what npm users need, nothing else.
// Run after the packages are built (yarn release:local runs it before publishing).
//   node scripts/check-packs.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const common = [
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'dist/index.d.ts',
];
const packages = {
  'backup-compliance-common': [
    ...common,
    'dist/index.cjs.js',
    'dist/index.esm.js',
  ],
  'backup-compliance-node': [...common, 'dist/index.cjs.js'],
  'backup-compliance-backend-module-notifications': [
    ...common,
    'dist/index.cjs.js',
  ],
  'backup-compliance-backend-module-tech-insights': [
    ...common,
    'dist/index.cjs.js',
  ],
  'backup-compliance-backend': [
    ...common,
    'dist/index.cjs.js',
    'config.schema.json',
    ...fs
      .readdirSync(
        path.join(root, 'plugins/backup-compliance-backend/migrations'),
      )
      .map(f => `migrations/${f}`),
  ],
  'backup-compliance': [
    ...common,
    'dist/index.esm.js',
    'dist/alpha.esm.js',
    'dist/alpha.d.ts',
  ],
};
// Sources, tests, dev setups, API reports and build state stay in the repository.
const forbidden = [
  /^src\//,
  /^dev\//,
  /^scripts\//,
  /\.test\./,
  /\.api\.md$/,
  /tsconfig/,
  /\.tsbuildinfo$/,
  /node_modules/,
];

let problems = 0;
const fail = msg => {
  problems++;
  console.error(`  ✗ ${msg}`);
};
for (const [dir, required] of Object.entries(packages)) {
  const cwd = path.join(root, 'plugins', dir);
  const out = execFileSync('yarn', ['pack', '--dry-run', '--json'], {
    cwd,
    encoding: 'utf8',
  });
  const files = out
    .split('\n')
    .filter(Boolean)
    .map(l => JSON.parse(l).location)
    .filter(Boolean);
  const name = JSON.parse(
    fs.readFileSync(path.join(cwd, 'package.json'), 'utf8'),
  ).name;
  console.log(`${name}: ${files.length} files`);
  for (const f of required) if (!files.includes(f)) fail(`${name} lacks ${f}`);
  for (const f of files)
    if (forbidden.some(re => re.test(f))) fail(`${name} must not ship ${f}`);
  // npm shows the README on its own: every relative link must point into the package.
  const readme = fs.readFileSync(path.join(cwd, 'README.md'), 'utf8');
  for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^(https?:|mailto:|#)/.test(target)) continue;
    const file = target.replace(/^\.\//, '').replace(/#.*$/, '');
    if (!files.includes(file))
      fail(`${name}'s README links to ${target}, which is not in the package`);
  }
}
if (problems) {
  console.error(`${problems} problem(s) in the packages`);
  process.exit(1);
}
console.log('Every package holds what npm users need and nothing else.');
