/** `cmdb merge KEEP DUPLICATE`, `cmdb undo-merge ID`, `cmdb merges`: merging duplicate CIs from a terminal, as the Health screen does. */
import type { Command } from 'commander';
import type { MergeRecord } from '../../shared/health.js';
import { mergeOutcome } from '../../shared/merge-text.js';
import { type CiNamer, ciNamer } from '../../shared/ci-label.js';
import type { CmdbService } from '../cmdb/service.js';
import {
  action,
  cmdbCommand,
  namesOf,
  parseInteger,
  requestMax,
  resolveKeys,
  table,
  unwrap,
  withCommon,
  withService,
  type GlobalOpts,
} from './common.js';
import { printResult } from './terminal.js';

/**
 * How merge records name their CIs (shared/explain.ts `ciLabel`): the merged
 * one by the name it had, the kept one by its name now (looked up; a kept CI
 * deleted since reads as its key).
 */
async function mergeNamer(svc: CmdbService, records: readonly MergeRecord[], json: boolean | undefined): Promise<CiNamer> {
  const merged = records.map((m) => ({ key: m.mergedKey, name: m.mergedName }));
  const kept = json ? [] : await namesOf(svc, [...new Set(records.map((m) => m.keptKey))]);
  return ciNamer([...merged, ...kept]);
}

function mergedLines(m: MergeRecord, names: CiNamer, opts: GlobalOpts): string[] {
  return [
    `Merged ${names.label(m.mergedKey)} into ${names.label(m.keptKey)}: ${mergeOutcome(m)}.`,
    `Merge #${m.id}; undo it with: ${cmdbCommand(opts, 'undo-merge', String(m.id))}`,
  ];
}

function undoneLines(m: MergeRecord, names: CiNamer): string[] {
  return [`Undid merge #${m.id}: ${names.label(m.mergedKey)} is back with its relationships; ${names.label(m.keptKey)} is as it was.`];
}

function listLines(r: { items: MergeRecord[] }, names: CiNamer, opts: GlobalOpts): string[] {
  if (r.items.length === 0) return [`No merges yet. Merge a duplicate with: ${cmdbCommand(opts, 'merge', 'KEEP', 'DUPLICATE')}`];
  return table([
    ['ID', 'AT', 'MERGED', 'INTO', 'OUTCOME', 'UNDONE'],
    ...r.items.map((m) => [String(m.id), m.at, names.label(m.mergedKey), names.label(m.keptKey), mergeOutcome(m), m.undoneAt ?? '']),
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
          const [keep, merge] = await resolveKeys(svc, [keepRef, duplicateRef], opts);
          const m = await unwrap(svc.call('mergeCis', { keep: keep!, merge: merge! }));
          const names = await mergeNamer(svc, [m], opts.json);
          printResult(opts, m, (x) => mergedLines(x, names, opts));
        });
      }),
    );

  withCommon(program.command('undo-merge'))
    .description('undo merge ID: the duplicate comes back with its key, fields and relationships; the kept CI as it was')
    .argument('<id>', 'the merge, as `cmdb merges` lists it')
    .action(
      action(async (id: string, opts: GlobalOpts) => {
        const n = parseInteger('ID', id, 1)!;
        await withService(opts, 'write', async (svc) => {
          const m = await unwrap(svc.call('undoMerge', { id: n }));
          const names = await mergeNamer(svc, [m], opts.json);
          printResult(opts, m, (x) => undoneLines(x, names));
        });
      }),
    );

  withCommon(program.command('merges'))
    .description('the merges made, newest first')
    .option('--limit <n>', 'how many (default 50)')
    .action(
      action(async (opts: GlobalOpts & { limit?: string }) => {
        const limit = parseInteger('--limit', opts.limit, 1, requestMax('listMerges', 'limit')) ?? 50;
        await withService(opts, 'read', async (svc) => {
          const r = await unwrap(svc.call('listMerges', { limit }));
          const names = await mergeNamer(svc, r.items, opts.json);
          printResult(opts, r, (x) => listLines(x, names, opts));
        });
      }),
    );
}
