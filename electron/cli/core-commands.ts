/** search, show, export: the foundation's commands (import lives in import-commands.ts). */
import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { unknownTypesMessage } from '../../shared/ci-types.js';
import { CmdbError } from '../../shared/errors.js';
import { ciLabel } from '../../shared/ci-label.js';
import { formatCountOf, formatTotal } from '../../shared/format.js';
import type { CiDetail, Related } from '../../shared/domain.js';
import {
  action,
  parseInteger,
  requestMax,
  parseList,
  resolveKeys,
  withService,
  table,
  unwrap,
  withCommon,
  type GlobalOpts,
} from './common.js';
import { printResult } from './terminal.js';
import { refuseOverwrites } from './output-paths.js';
import { changesText } from './import-output.js';

/** One relationship of `cmdb show`: type, the CI at the other end (by name and key), and its redundancy group. */
function relationshipLine(r: Related): string {
  // A min_up left empty is shown as such: the group's largest given one applies (impact reads it so).
  const group = r.redundancyGroup ? `  group ${r.redundancyGroup}${r.minUp !== null ? ` (min_up ${r.minUp})` : ''}` : '';
  return `  ${r.type.padEnd(12)} ${ciLabel(r.other)} [${r.other.type}]${group}`;
}

/** `cmdb show` for a person: the CI's fields and attributes, then its relationships both ways. */
function ciLines(d: CiDetail, history = false): string[] {
  const c = d.ci;
  return [
    `${c.name}  (${c.key})`,
    ...table(
      [
        ['type', c.type],
        ['status', c.status ?? ''],
        ['environment', c.environment ?? ''],
        ['owner', c.owner ?? ''],
        ['criticality', c.criticality ?? ''],
        ['description', c.description ?? ''],
        ...Object.entries(c.attributes).map(([k, v]) => [k, v]),
      ]
        .filter((r) => r[1] !== '')
        .map((r) => [`  ${r[0]}`, r[1] ?? '']),
    ),
    `Depends on / points to (${d.outgoingTotal}):`,
    ...d.outgoing.map(relationshipLine),
    ...shownOf(d.outgoing.length, d.outgoingTotal),
    `Pointed to by (${d.incomingTotal}):`,
    ...d.incoming.map(relationshipLine),
    ...shownOf(d.incoming.length, d.incomingTotal),
    ...(history ? historyLines(d) : []),
  ];
}

/** The CI's history, newest first: when, what, the changes field by field, and who (an import by its number). */
function historyLines(d: CiDetail): string[] {
  const lines = [`History (${d.historyTotal}, newest first):`];
  for (const h of d.history) {
    // An update reads as its changes, field by field (its summary only names the fields).
    const what = h.changes && h.action === 'update' && h.entity === 'ci' ? changesText(h.changes, false) : h.summary;
    const by = h.importId !== null ? `import ${h.importId}` : h.source;
    lines.push(`  ${h.at.slice(0, 19).replace('T', ' ')}  ${h.action.padEnd(6)}  ${what}  (${by})`);
  }
  if (d.history.length < d.historyTotal) lines.push(`  showing ${d.history.length} of ${d.historyTotal} (--history N shows up to 1000)`);
  return lines;
}

/** Where a list stops short of its total, a line saying so and how to see more. */
function shownOf(shown: number, total: number): string[] {
  return shown < total ? [`  showing ${shown} of ${total} (--limit N shows up to 1000 a side)`] : [];
}

/**
 * A filter option's values: comma-separated, `\,` for a comma inside one. A value written with an unescaped
 * comma is also taken whole, as people and teams are often named so ("Müller, Jürgen"): either reading matches.
 */
export function filterValues(v: string | undefined): string[] | undefined {
  if (v === undefined || v === '') return undefined;
  const parts = v.split(/(?<!\\),/).map((s) => s.replace(/\\,/g, ',').trim());
  const whole = v.replace(/\\,/g, ',').trim();
  return parts.length > 1 && !parts.includes(whole) ? [...parts, whole] : parts;
}

export function registerCoreCommands(program: Command): void {
  withCommon(program.command('search'))
    .description('search CIs by name, key, type, owner, description or attribute')
    .argument('[query...]', 'words to search for (all must match, as prefixes)')
    .option('--type <types>', 'only these CI types (comma-separated)')
    .option('--status <values>', 'only these statuses (comma-separated)')
    .option('--environment <values>', 'only these environments (comma-separated)')
    .option('--owner <values>', 'only these owners (comma-separated; \\, for a comma in one)')
    .option('--criticality <values>', 'only these criticalities (comma-separated)')
    .option('--limit <n>', 'how many results', '20')
    .option('--offset <n>', 'skip this many results', '0')
    .action(
      action(async (words: string[], opts: GlobalOpts & Record<string, string | undefined>) => {
        // Options are checked before the CMDB is opened: a usage mistake is named first.
        const request = {
          query: words.join(' ') || undefined,
          filters: {
            type: parseList(opts.type),
            status: filterValues(opts.status),
            environment: filterValues(opts.environment),
            owner: filterValues(opts.owner),
            criticality: filterValues(opts.criticality),
          },
          limit: parseInteger('--limit', opts.limit, 1, requestMax('listCis', 'limit')),
          offset: parseInteger('--offset', opts.offset),
        };
        await withService(opts, 'read', async (svc) => {
          // A misspelt type would match nothing and read as "no such CIs".
          const wanted = request.filters.type?.filter((t) => t !== '') ?? [];
          if (wanted.length > 0) {
            const known = (await unwrap(svc.call('getTypes', {}))).ciTypes.map((t) => t.name).sort();
            const refusal = unknownTypesMessage('CI', wanted, known);
            if (refusal) throw new CmdbError('INVALID_REQUEST', refusal);
          }
          printResult(opts, await unwrap(svc.call('listCis', request)), (r) =>
            r.items.length === 0
              ? [
                  r.total > 0
                    ? `None shown: ${formatTotal(r.total, r.totalIsEstimate)} match, and --offset ${request.offset} is past them.`
                    : 'No CIs match.',
                  // Words are matched from their start (the search index holds words, not every part of one).
                  ...(r.total === 0 && words.length > 0
                    ? [
                        'Each word you give must start a word of a CI (key, name, type, owner, description or an attribute): "pay" finds lnx-pay-01, "rich" does not find srv-zurich-01. Give the start of a word.',
                      ]
                    : []),
                ]
              : [
                  ...table([
                    ['KEY', 'NAME', 'TYPE', 'STATUS', 'ENV', 'OWNER', 'CRITICALITY'],
                    ...r.items.map((c) => [c.key, c.name, c.type, c.status ?? '', c.environment ?? '', c.owner ?? '', c.criticality ?? '']),
                  ]),
                  `${r.items.length} of ${formatTotal(r.total, r.totalIsEstimate)} shown.`,
                ],
          );
        });
      }),
    );

  withCommon(program.command('show'))
    .description('show one CI with its relationships in both directions')
    .argument('<ci>', 'the CI: its key, or its name when only one CI has it')
    .option('--limit <n>', 'relationships shown on each side (at most 1000)', '100')
    .option('--history [n]', 'also its history, newest first: the last N entries (default 20, at most 1000)')
    .action(
      action(async (ref: string, opts: GlobalOpts & { limit: string; history?: string | true }) => {
        const relLimit = parseInteger('--limit', opts.limit, 0, requestMax('getCi', 'relLimit'));
        const historyLimit =
          opts.history === undefined
            ? undefined
            : opts.history === true
              ? 20
              : parseInteger('--history', opts.history, 1, requestMax('getCi', 'historyLimit'));
        await withService(opts, 'read', async (svc) => {
          const [key] = await resolveKeys(svc, [ref], opts);
          const d = await unwrap(svc.call('getCi', { key: key!, relLimit, ...(historyLimit !== undefined ? { historyLimit } : {}) }));
          printResult(opts, d, (x) => ciLines(x, historyLimit !== undefined));
        });
      }),
    );

  withCommon(program.command('export'))
    .description('export the CMDB as CSV files in the default formats')
    .option('--out <dir>', 'the folder to write cis.csv and relationships.csv into (created if missing)')
    .option('--cis <file>', 'where to write the CIs CSV (instead of DIR/cis.csv)')
    .option('--relationships <file>', 'where to write the relationships CSV (instead of DIR/relationships.csv)')
    .option('--exact', 'write every cell as stored, with no apostrophe before = + - @ (for re-import, not for spreadsheets)')
    .hook('preAction', (cmd) => {
      const o = cmd.opts<{ out?: string; cis?: string }>();
      if (o.out === undefined && o.cis === undefined) {
        cmd.error('error: say where to write: --out DIR (cis.csv and relationships.csv in it), or --cis FILE', { exitCode: 2 });
      }
      // A folder: a file's name there (as graph and assess take --out) would become a folder of that name.
      if (o.out !== undefined && (o.out === '-' || /\.(csv|tsv|txt|json)$/i.test(o.out))) {
        cmd.error(
          `error: --out names a folder for cis.csv and relationships.csv, not "${o.out}"; to name the files, give --cis FILE and --relationships FILE`,
          {
            exitCode: 2,
          },
        );
      }
    })
    .action(
      action(async (given: GlobalOpts & { out?: string; cis?: string; relationships?: string; exact?: boolean }) => {
        const opts = exportFiles(given);
        const refuse = () =>
          refuseOverwrites(opts.db, [
            ['--cis', opts.cis],
            ['--relationships', opts.relationships],
          ]);
        // --out's folder is made once the CMDB opened (one that is not there leaves no empty folder behind).
        if (given.out === undefined) refuse();
        await withService(opts, 'read', async (svc) => {
          if (given.out !== undefined) {
            mkdirSync(given.out, { recursive: true });
            refuse();
          }
          const r = await unwrap(
            svc.call('exportCsvFiles', { cis: opts.cis, relationships: opts.relationships, exact: opts.exact === true }),
          );
          const summary = {
            cis: { file: opts.cis, rows: r.rows.cis },
            relationships: opts.relationships ? { file: opts.relationships, rows: r.rows.relationships } : null,
          };
          printResult(opts, summary, (w) => [
            `Wrote ${formatCountOf(w.cis.rows, 'CI', 'CIs')} to ${opts.cis}${w.relationships ? ` and ${formatCountOf(w.relationships.rows, 'relationship', 'relationships')} to ${opts.relationships}` : ''}.`,
          ]);
        });
      }),
    );
}

/** The files `cmdb export` writes: --cis and --relationships, or DIR/cis.csv and DIR/relationships.csv of --out. */
function exportFiles<T extends { out?: string; cis?: string; relationships?: string }>(o: T): T & { cis: string } {
  const inOut = (name: string) => (o.out === undefined ? undefined : join(o.out, name));
  return { ...o, cis: o.cis ?? inOut('cis.csv')!, relationships: o.relationships ?? inOut('relationships.csv') };
}
