/**
 * Generates the demo CMDB in assets/demo/ (cis.csv, relationships.csv): the
 * estate of an online retailer (shop.example) with a London data centre, an
 * AWS region and SaaS providers, in production and staging.
 *
 * The estate is data: the tables in assets/demo/source/ (see its README.md)
 * describe it; scripts/demo/estate.ts turns them into the two CSV files.
 * Deterministic: the same output on every run (no clock, no randomness).
 * Run: npx tsx scripts/make-demo.ts [--out DIR] [--source DIR]
 *   (defaults: --out assets/demo, --source assets/demo/source)
 *
 * Before writing, it checks its own output: unique keys, every relationship
 * end exists, no duplicate relationship, and the failure scenarios of
 * assets/demo/source/scenarios.json give the answers an engineer expects,
 * asked of the app's own impact engine on a CMDB imported from the generated
 * CSVs. A failed check exits non-zero and writes nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDemo } from './demo/estate.js';
import { checkScenarios, openDemoCmdb, readScenarios, statesAfterLosing } from './demo/scenarios.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The value of `--name VALUE` on the command line, or `fallback`. */
function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const outDir = option('--out', join(here, '..', 'assets', 'demo'));
const sourceDir = option('--source', join(here, '..', 'assets', 'demo', 'source'));

const estate = buildDemo(sourceDir);
const scenarios = readScenarios(sourceDir);
const problems = await checkScenarios(estate, scenarios);
if (problems.length > 0) {
  process.stderr.write(`impact self-check failed:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
if (process.env.DEMO_EXPLAIN) {
  // Debug aid: DEMO_EXPLAIN=ci-a,ci-b prints what losing them does to the business services.
  const svc = await openDemoCmdb(estate);
  const states = await statesAfterLosing(svc, process.env.DEMO_EXPLAIN.split(','));
  svc.close();
  for (const [id, s] of states) if (id.startsWith('bs-')) process.stdout.write(`${id}: ${s}\n`);
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'cis.csv'), estate.cisCsv);
writeFileSync(join(outDir, 'relationships.csv'), estate.relationshipsCsv);

const byType = new Map<string, number>();
for (const c of estate.cis) byType.set(c.type!, (byType.get(c.type!) ?? 0) + 1);
const checked = scenarios.scenarios.length + scenarios.isolated.length;
process.stdout.write(
  `Wrote ${estate.cis.length} CIs and ${estate.relationships.length} relationships to ${outDir} (${checked} impact scenarios checked).\n` +
    [...byType.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([t, n]) => `  ${t}: ${n}`)
      .join('\n') +
    '\n',
);
