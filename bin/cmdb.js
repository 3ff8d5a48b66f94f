#!/usr/bin/env node
// The `cmdb` command. The TypeScript sources are bundled to dist/ on `npm install`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('cmdb: the CLI is not built yet. Run `npm run build:node` in the project folder, then try again.\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
