/** baseline save|list|delete, diff: named copies of the CMDB and what changed between two points in time. */
import type { Command } from 'commander';
import { type Baseline, baselineNameSchema, type Diff, NOW, pointSchema } from '../../shared/baseline.js';
import { formatBytes, formatCount, formatCountOf } from '../../shared/format.js';
import { CmdbError } from '../../shared/errors.js';
import { diffNamer, diffSummary, provenanceLines, relationshipEnds } from '../cmdb/baselines/diff-export.js';
import { baselinesDir, otherFoldersText } from '../cmdb/baselines/store.js';
import { defaultDbPath } from '../cmdb/paths.js';
import { ciLabel, type NamedCi } from '../../shared/ci-label.js';
import {
  action,
  cmdbCommand,
  namesOf,
  parseInteger,
  requestMax,
  parseList,
  table,
  unwrap,
  withCommon,
  withService,
  type GlobalOpts,
  outFile,
  dataFileFormat,
  emitDataFile,
} from './common.js';
import { printResult, valueText } from './terminal.js';
import { refuseOverwrites } from './output-paths.js';

function baselineLines(b: Baseline): string[] {
  return [
    `Baseline "${b.name}" saved at ${b.createdAt}: ${formatCountOf(b.cis, 'CI', 'CIs')}, ${formatCountOf(b.relationships, 'relationship', 'relationships')}, ${formatBytes(b.bytes)}.`,
  ];
}

function listLines(r: { baselines: Baseline[]; unreadable: string[]; otherFolders: string[] }, opts: GlobalOpts): string[] {
  const others =
    r.otherFolders.length > 0 ? `${otherFoldersText(baselinesDir(opts.db ?? defaultDbPath()), r.otherFolders)} Or save` : 'Save';
  const lines =
    r.baselines.length === 0
      ? [`No baselines saved. ${others} one with: ${cmdbCommand(opts, 'baseline save', 'NAME')}`]
      : table([
          ['NAME', 'SAVED', 'CIS', 'RELATIONSHIPS', 'SIZE', 'NOTE'],
          ...r.baselines.map((b) => [
            b.name,
            b.createdAt,
            formatCount(b.cis),
            formatCount(b.relationships),
            formatBytes(b.bytes),
            b.note ?? '',
          ]),
        ]);
  if (r.unreadable.length > 0)
    lines.push(
      '',
      `Not listed: ${r.unreadable.map((n) => `"${n}"`).join(', ')}: ${r.unreadable.length === 1 ? 'its file cannot' : 'their files cannot'} be read as a baseline (damaged, or not one). Delete ${r.unreadable.length === 1 ? 'it' : 'each'} (${cmdbCommand(opts, 'baseline delete', 'NAME')}) to use the name again.`,
    );
  return lines;
}

/**
 * The diff for a person: the counts, then each list, each changed CI with its
 * fields. Each CI reads by name and key (shared/explain.ts `ciLabel`), a
 * relationship's ends too: by the diff's own CIs and `looked` (names looked up
 * for the other ends, `relationshipEnds`); an end no longer anywhere reads as its key.
 */
export function diffLines(d: Diff, looked: readonly NamedCi[] = []): string[] {
  const names = diffNamer(d, looked);
  const lines = [`From ${d.from} to ${d.to}: ${diffSummary(d)}.`, ...provenanceLines(d).map((l) => `  ${l}`)];
  // Each entry is one line, or more for a changed one (a line per field); "and N more" counts entries, not lines.
  const section = <T>(title: string, total: number, items: T[], text: (item: T) => string[]) => {
    if (total === 0) return;
    lines.push('', `${title} (${formatCount(total)}):`, ...items.flatMap(text).map((r) => `  ${r}`));
    if (items.length < total)
      lines.push(`  ... and ${formatCount(total - items.length)} more (--limit N for more, --json or --format for all)`);
  };
  const fields = (f: Record<string, { from: unknown; to: unknown }>) =>
    Object.entries(f).map(([k, v]) => `    ${k}: ${valueText(v.from)} -> ${valueText(v.to)}`);
  const ci = (c: { key: string; name: string; type: string }) => [`${ciLabel(c)} [${c.type}]`];
  section('CIs added', d.counts.cisAdded, d.cis.added, ci);
  section('CIs removed', d.counts.cisRemoved, d.cis.removed, ci);
  section('CIs changed', d.counts.cisChanged, d.cis.changed, (c) => [...ci(c), ...fields(c.fields)]);
  const rel = (r: { source: string; target: string; type: string }) => [`${names.label(r.source)} ${r.type} ${names.label(r.target)}`];
  section('Relationships added', d.counts.relationshipsAdded, d.relationships.added, rel);
  section('Relationships removed', d.counts.relationshipsRemoved, d.relationships.removed, rel);
  section('Relationships changed', d.counts.relationshipsChanged, d.relationships.changed, (r) => [...rel(r), ...fields(r.fields)]);
  section('Types added', d.types.added.length, d.types.added, (t) => [t]);
  section('Types removed', d.types.removed.length, d.types.removed, (t) => [t]);
  return lines;
}

export function registerBaselineCommands(program: Command): void {
  const baseline = program
    .command('baseline')
    .description('named, read-only copies of the whole CMDB at one moment (kept in <cmdb file>.baselines/)');

  withCommon(baseline.command('save'))
    .description('save the CMDB as it is now under NAME')
    .argument('<name>', 'letters A to Z, digits, spaces, dot, dash and underscore')
    .option('--note <text>', 'why it was saved, e.g. "approved at CAB 2026-12-01"')
    .action(
      action(async (name: string, opts: GlobalOpts & { note?: string }) => {
        // A name the contract refuses is named in the CLI's words before the CMDB is opened.
        const bad = baselineNameSchema.safeParse(name).error?.issues[0];
        if (bad) throw new CmdbError('INVALID_REQUEST', `The baseline name ${JSON.stringify(name)} cannot be used: ${bad.message}.`);
        // Reading the CMDB is enough: the baseline is a new file beside it.
        await withService(opts, 'read', async (svc) => {
          printResult(opts, await unwrap(svc.call('saveBaseline', { name, note: opts.note ?? null })), baselineLines);
        });
      }),
    );

  withCommon(baseline.command('list'))
    .description('list the saved baselines, oldest first')
    .action(
      action(async (opts: GlobalOpts) => {
        await withService(opts, 'read', async (svc) =>
          printResult(opts, await unwrap(svc.call('listBaselines', {})), (r) => listLines(r, opts)),
        );
      }),
    );

  withCommon(baseline.command('delete'))
    .description('delete the baseline NAME')
    .argument('<name>')
    .action(
      action(async (name: string, opts: GlobalOpts) => {
        await withService(opts, 'read', async (svc) =>
          printResult(opts, await unwrap(svc.call('deleteBaseline', { name })), () => [`Baseline "${name}" deleted.`]),
        );
      }),
    );

  registerDiff(program);
}

/**
 * A baseline named on the command line (`what`: FROM, TO, --compare), refused in the CLI's words when it
 * can name none (the contract's would read "from: Too small"): empty, or longer than a baseline name.
 * `now`: whether "now" (the CMDB as it is) may be given instead.
 */
export function baselineArg(what: string, v: string, opts: GlobalOpts, now: boolean): string {
  const orNow = now ? ` or "${NOW}" for the CMDB as it is` : '';
  if (v.trim() === '')
    throw new CmdbError('INVALID_REQUEST', `${what} is empty: name a baseline (${cmdbCommand(opts, 'baseline list')} lists them)${orNow}.`);
  if (!pointSchema.safeParse(v).success)
    throw new CmdbError('INVALID_REQUEST', `${what} is ${v.trim().length} characters long: a baseline name is at most 100 characters.`);
  return v;
}

/** `cmdb diff FROM [TO]`: what changed between two baselines, or a baseline and now. */
function registerDiff(program: Command): void {
  withCommon(program.command('diff'))
    .description(`what changed between two points in time: baseline names, or "${NOW}" for the CMDB as it is`)
    .argument('<from>', `a baseline name (or "${NOW}")`)
    .argument('[to]', `a baseline name, or "${NOW}" (the default)`, NOW)
    .option('--types <types>', 'only CIs of these types, and relationships with an end of these types (comma-separated)')
    .option('--limit <n>', 'how many entries to list per kind of change (default 50; with --json all)')
    .option('--format <format>', 'write every change as csv, md (Markdown) or json instead of the summary')
    .option(
      '--out <file>',
      'write every change to this file (.csv, .md or .json: the extension picks the format); - or none: standard output',
    )
    .action(
      action(async (from: string, to: string, given: GlobalOpts & { types?: string; limit?: string; format?: string; out?: string }) => {
        const opts = { ...given, out: outFile(given.out) };
        baselineArg('FROM', from, opts, true);
        baselineArg('TO', to, opts, true);
        const types = parseList(opts.types);
        // The CMDB named as the output is refused first, whatever its extension.
        refuseOverwrites(opts.db, [['--out', opts.out]]);
        const format = dataFileFormat(opts);
        const limit = parseInteger('--limit', opts.limit, 0, requestMax('diff', 'limit')) ?? (opts.json ? requestMax('diff', 'limit') : 50);
        await withService(opts, 'read', async (svc) => {
          if (format) {
            const file = await unwrap(svc.call('exportDiff', { from, to, types, format }));
            return emitDataFile(opts.out, file.content, `Diff from ${from} to ${to}`);
          }
          const d = await unwrap(svc.call('diff', { from, to, types, limit }));
          const looked = opts.json ? [] : await namesOf(svc, relationshipEnds(d));
          printResult(opts, d, (x) => diffLines(x, looked));
        });
      }),
    );
}
