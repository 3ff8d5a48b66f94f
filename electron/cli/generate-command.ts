/** `cmdb generate`: writes a synthetic, realistic CMDB as CSV files in the default formats. */
import type { Command } from 'commander';
import { generateCmdb, MIN_CIS } from '../cmdb/generate.js';
import { action, parseInteger } from './common.js';
import { printResult } from './terminal.js';

/**
 * A whole number as parseInteger reads one (digits only, at least `min`), and, for generate's sizes alone, with `_`
 * between digits allowed (1_000_000).
 */
function wholeNumber(flag: string, raw: string, min = 0): number {
  return parseInteger(flag, raw.replace(/(\d)_(?=\d)/g, '$1'), min)!;
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('write a synthetic CMDB shaped like a real estate (DIR/cis.csv, DIR/relationships.csv), deterministic from the seed')
    .requiredOption('--cis <n>', `how many CIs (at least ${MIN_CIS}); about 2.85 relationships are written per CI`)
    .requiredOption('--out <dir>', 'the folder to write cis.csv and relationships.csv into (created if missing)')
    .option('--seed <s>', 'the seed: the same seed and size give the same files', '1')
    .option('--json', 'machine-readable JSON on stdout')
    .action(
      action(async (opts: { cis: string; out: string; seed: string; json?: boolean }) => {
        const r = await generateCmdb({
          cis: wholeNumber('--cis', opts.cis, MIN_CIS),
          outDir: opts.out,
          seed: wholeNumber('--seed', opts.seed),
        });
        printResult(opts, r, () => [
          `Wrote ${r.cis} CIs to ${r.cisFile} and ${r.relationships} relationships to ${r.relsFile} (seed ${r.seed}, ${r.durationMs} ms).`,
          `Widely shared CIs: storage ${r.hubs.storage}, core switch ${r.hubs.coreSwitch}, DNS ${r.hubs.dns}, auth ${r.hubs.auth}.`,
        ]);
      }),
    );
}
