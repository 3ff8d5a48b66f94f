/**
 * The import's threads start with every import (and the relationship planner and search-index threads with
 * every big one): what their bundles hold is parsed and run before the first row is read. They must not pull in
 * the API contract's validation library (zod, about 370 KB of source and a schema build at load) through some
 * shared helper, as `ciLabel` in shared/explain.ts once did for the import thread.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** The source files esbuild bundles for an entry (as scripts/build-node.mjs builds it). */
async function bundledInputs(entry: string): Promise<string[]> {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['better-sqlite3', 'electron'],
    write: false,
    metafile: true,
    logLevel: 'error',
    outfile: 'out.js',
  });
  return Object.keys(r.metafile.inputs);
}

describe('the import threads’ bundles', () => {
  for (const entry of [
    'electron/cmdb/import/worker.ts',
    'electron/cmdb/import/bulk/rel-planner-worker.ts',
    'electron/cmdb/import/bulk/search-index-worker.ts',
  ])
    it(`${entry} loads neither zod nor the impact contract`, async () => {
      const inputs = await bundledInputs(entry);
      expect(inputs.length).toBeGreaterThan(1);
      expect(inputs.filter((f) => f.includes('node_modules/zod/'))).toEqual([]);
      expect(inputs).not.toContain('shared/impact.ts');
      expect(inputs).not.toContain('shared/api.ts');
    });

  it('the import contract (shared/import.ts) does not load the impact explainer for a list helper (found by a reviewer)', async () => {
    const inputs = await bundledInputs('shared/import.ts');
    expect(inputs).toContain('shared/format.ts');
    expect(inputs).not.toContain('shared/explain.ts');
  });

  it('the check sees zod where a bundle has it (the CLI program)', async () => {
    const inputs = await bundledInputs('electron/cli/program.ts');
    expect(inputs.some((f) => f.includes('node_modules/zod/'))).toBe(true);
  });
});
