#!/usr/bin/env node
// Applies the README's install section to a fresh Backstage app, literally: every code
// block that follows a `<!-- adopter:KEY -->` marker in README.md is used as written.
//
//   node scripts/adopter/apply-readme.mjs print KEY
//       prints the block (the shell runs the `yarn add` commands itself)
//   node scripts/adopter/apply-readme.mjs backend APP_DIR EMULATOR_URL
//       backend.add(...) into packages/backend/src/index.ts, and the emulator
//       configuration into APP_DIR/app-config.backup-compliance.yaml
//   node scripts/adopter/apply-readme.mjs legacy LEGACY_APP_DIR
//       the legacy snippets into EntityPage.tsx, App.tsx and Root.tsx
//
// A snippet whose anchor is not found in the app is an error: the README and the app
// templates have drifted apart, and the test must say so rather than skip a step.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

function block(key) {
  const marker = `<!-- adopter:${key} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const fence = /```[a-z]*\n([\s\S]*?)\n```/.exec(
    readme.slice(at + marker.length),
  );
  if (!fence) throw new Error(`README.md: no code block after ${marker}`);
  // A leading `// file, where` line says where the snippet goes; it is not code.
  return fence[1].replace(/^(\/\/[^\n]*\n)+/, '');
}

function edit(file, change) {
  const before = fs.readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`${file}: nothing changed`);
  fs.writeFileSync(file, after);
  console.log(`applied to ${file}`);
}

function insertBefore(
  text,
  anchor,
  snippet,
  { after: from, nested = true } = {},
) {
  const start = from === undefined ? 0 : text.indexOf(from);
  if (start < 0) throw new Error(`anchor not found: ${JSON.stringify(from)}`);
  const at = text.indexOf(anchor, start);
  if (at < 0) throw new Error(`anchor not found: ${JSON.stringify(anchor)}`);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = /^\s*/.exec(text.slice(lineStart))[0] + (nested ? '  ' : '');
  const indented = snippet
    .split('\n')
    .map(l => (l ? indent + l : l))
    .join('\n');
  return `${text.slice(0, lineStart)}${indented}\n${text.slice(lineStart)}`;
}

function addImports(text, imports) {
  // after the last top-level import statement
  const re = /^(import [^;]*?;|} from '[^']+';)$/gm;
  let last = -1;
  for (const m of text.matchAll(re)) last = m.index + m[0].length;
  if (last < 0) throw new Error('no import statement found');
  return `${text.slice(0, last)}\n${imports}${text.slice(last)}`;
}

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case 'print':
    process.stdout.write(`${block(args[0])}\n`);
    break;
  case 'backend': {
    const [appDir, emulatorUrl] = args;
    edit(path.join(appDir, 'packages/backend/src/index.ts'), t =>
      insertBefore(t, 'backend.start();', block('backend-index'), {
        nested: false,
      }),
    );
    const config = block('app-config-emulator').replace(
      'http://localhost:4599',
      emulatorUrl,
    );
    fs.writeFileSync(
      path.join(appDir, 'app-config.backup-compliance.yaml'),
      config,
    );
    console.log(
      `wrote ${path.join(appDir, 'app-config.backup-compliance.yaml')}`,
    );
    break;
  }
  case 'legacy': {
    const [appDir] = args;
    const src = path.join(appDir, 'src');
    edit(path.join(src, 'components/catalog/EntityPage.tsx'), t => {
      let out = addImports(t, block('legacy-entity-page-imports'));
      out = insertBefore(out, '</Grid>\n);', block('legacy-entity-page-card'), {
        after: 'const overviewContent = (',
      });
      out = insertBefore(
        out,
        '</EntityLayout>',
        block('legacy-entity-page-tab'),
        {
          after: 'const serviceEntityPage = (',
        },
      );
      return out;
    });
    edit(path.join(src, 'App.tsx'), t =>
      insertBefore(
        addImports(t, block('legacy-app-imports')),
        '</FlatRoutes>',
        block('legacy-app-route'),
      ),
    );
    edit(path.join(src, 'components/Root/Root.tsx'), t =>
      insertBefore(
        addImports(t, block('legacy-root-imports')),
        '</SidebarGroup>',
        block('legacy-root-item'),
        { after: '<SidebarGroup label="Menu"' },
      ),
    );
    break;
  }
  default:
    console.error(
      'usage: apply-readme.mjs print KEY | backend APP_DIR EMULATOR_URL | legacy APP_DIR',
    );
    process.exit(2);
}
