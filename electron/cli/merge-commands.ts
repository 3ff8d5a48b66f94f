/** `cmdb merge KEEP DUPLICATE`, `cmdb undo-merge ID`, `cmdb merges`: merging duplicate CIs from a terminal, as the Health screen does. */
import type { Command } from 'commander';
import type { MergeRecord } from '../../shared/health.js';
import { mergeOutcome } from '../../shared/merge-text.js';
import { action, parseInteger, resolveKeys, table, unwrap, withCommon, withService, type GlobalOpts } from './common.js';
import { printResult } from './terminal.js';

function mergedLines(m: MergeRecord): string[] {
  return [
    `Merged ${m.mergedKey} (${m.mergedName}) into ${m.keptKey}: ${mergeOutcome(m)}.`,
    `Merge #${m.id}; undo it with: cmdb undo-merge ${m.id}`,
  ];
}

function undoneLines(m: MergeRecord): string[] {
  return [`Undid merge #${m.id}: ${m.mergedKey} is back with its relationships; ${m.keptKey} is as it was.`];
}

function listLines(r: { items: MergeRecord[] }): string[] {
  if (r.items.length === 0) return ['No merges yet. Merge a duplicate with: cmdb merge KEEP DUPLICATE'];
  return table([
    ['ID', 'AT', 'MERGED', 'INTO', 'OUTCOME', 'UNDONE'],
    ...r.items.map((m) => [String(m.id), m.at, m.mergedKey, m.keptKey, mergeOutcome(m), m.undoneAt ?? '']),
  ]);
}

export function registerMergeCommands(program: Command): void {
  withCommon(program.command('merge'))
    .description(
      'merge DUPLICATE into KEEP: its relationships move to KEEP (one KEEP has already, or one between the two, is dropped), its fields and attributes fill what KEEP lacks (never overwriting), and it is deleted; recorded in history, undoable',
    )
    .argument('<keep>', 'the CI to keep: its key, or a name only it has')
    .argument('<duplicate>', 'the duplicate that goes away: its key, or a name only it has')
    .action(
      action(async (keepRef: string, duplicateRef: string, opts: GlobalOpts) => {
        await withService(opts, 'write', async (svc) => {
          // Named as every other command names a CI; duplicates often share a name, which is refused listing their keys.
          const [keep, merge] = await resolveKeys(svc, [keepRef, duplicateRef]);
          printResult(opts, await unwrap(svc.call('mergeCis', { keep: keep!, merge: merge! })), mergedLines);
        });
      }),
    );

  withCommon(program.command('undo-merge'))
    .description('undo merge ID: the duplicate comes back with its key, fields and relationships; the kept CI as it was')
    .argument('<id>', 'the merge, as `cmdb merges` lists it')
    .action(
      action(async (id: string, opts: GlobalOpts) => {
        const n = parseInteger('ID', id, 1)!;
        await withService(opts, 'write', async (svc) => printResult(opts, await unwrap(svc.call('undoMerge', { id: n })), undoneLines));
      }),
    );

  withCommon(program.command('merges'))
    .description('the merges made, newest first')
    .option('--limit <n>', 'how many (default 50)')
    .action(
      action(async (opts: GlobalOpts & { limit?: string }) => {
        const limit = parseInteger('--limit', opts.limit, 1, 1000) ?? 50;
        await withService(opts, 'read', async (svc) => printResult(opts, await unwrap(svc.call('listMerges', { limit })), listLines));
      }),
    );
}
