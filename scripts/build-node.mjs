// Bundles the Node side (engine, CLI, Electron main and preload, import, search-index and relationship-planner workers)
// with esbuild. Runs on `npm install` (prepare) so `npx cmdb` works at once.
import { build } from 'esbuild';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Pure-JS packages go into the bundle (one file to load, not hundreds: about 100 ms off every `cmdb` start);
  // the native SQLite binding and Electron stay outside.
  external: ['better-sqlite3', 'electron'],
  sourcemap: true,
  logLevel: 'warning',
};

const esm = [
  ['electron/main.ts', 'dist/electron/main.js'],
  ['electron/cmdb/import/worker.ts', 'dist/import-worker.js'],
  ['electron/cmdb/import/bulk/search-index-worker.ts', 'dist/search-index-worker.js'],
  ['electron/cmdb/import/bulk/rel-planner-worker.ts', 'dist/rel-planner-worker.js'],
  ['electron/engine-worker.ts', 'dist/electron/engine-worker.js'],
].filter(([src]) => existsSync(src));

// The preload needs only the contract's method names, not zod and the schemas:
// read them from the contract at build time and hand the preload a module
// that exports just that list (still derived from shared/api.ts, never by hand).
async function contractMethodNames() {
  const out = await build({ ...common, sourcemap: false, entryPoints: ['shared/api.ts'], format: 'esm', write: false });
  mkdirSync('dist', { recursive: true });
  const tmp = 'dist/.contract-names.mjs';
  writeFileSync(tmp, out.outputFiles[0].text);
  try {
    return (await import(pathToFileURL(tmp).href + `?t=${Date.now()}`)).METHOD_NAMES;
  } finally {
    rmSync(tmp, { force: true });
  }
}

const methodNamesOnly = (names) => ({
  name: 'contract-method-names',
  setup(b) {
    b.onResolve({ filter: /shared\/api\.js$/ }, (args) => ({ path: args.path, namespace: 'contract-method-names' }));
    b.onLoad({ filter: /.*/, namespace: 'contract-method-names' }, () => ({
      contents: `export const METHOD_NAMES = ${JSON.stringify(names)};`,
      loader: 'js',
    }));
  },
});

// Bundled ESM still needs require() for CommonJS deps and __dirname.
const banner = {
  js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
};

// The CLI's entry (dist/cli.js) is small and loads the commands as a chunk (dist/cli/), so an import can start
// its thread before the rest of the CLI is parsed. The chunks' folder is emptied first: their names change with
// their contents.
rmSync('dist/cli', { recursive: true, force: true });

await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'electron/cli.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'cli/[name]-[hash]',
    format: 'esm',
    banner,
  }),
  ...esm.map(([entry, outfile]) =>
    build({
      ...common,
      entryPoints: [entry],
      outfile,
      format: 'esm',
      banner,
    }),
  ),
  // A sandboxed preload must be a single CommonJS file.
  existsSync('electron/preload.ts') &&
    build({
      ...common,
      entryPoints: ['electron/preload.ts'],
      outfile: 'dist/electron/preload.cjs',
      format: 'cjs',
      external: ['electron'],
      packages: undefined,
      plugins: [methodNamesOnly(await contractMethodNames())],
    }),
]);
