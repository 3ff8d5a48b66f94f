/** import, search, show, export: the foundation's commands. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CmdbError } from '../../shared/errors.js';
import { action, openService, printJson, readCsvFile, table, unwrap, withCommon, type GlobalOpts } from './common.js';

export function registerCoreCommands(program: Command): void {
  withCommon(program.command('import'))
    .description('import CIs and/or relationships from CSV files in the default formats')
    .option(
      '--cis <file>',
      'CIs CSV: id, name, type, status, environment, owner, criticality, description, any other column kept as an attribute',
    )
    .option('--relationships <file>', 'relationships CSV: source, target, type, redundancy_group, min_up')
    .option('--dry-run', 'report what would change and write nothing')
    .action(
      action(async (opts: GlobalOpts & { cis?: string; relationships?: string; dryRun?: boolean }) => {
        if (!opts.cis && !opts.relationships) throw new CmdbError('INVALID_REQUEST', 'give --cis FILE, --relationships FILE, or both.');
        const cis = opts.cis ? readCsvFile(opts.cis) : undefined;
        const relationships = opts.relationships ? readCsvFile(opts.relationships) : undefined;
        const svc = openService(opts, true);
        try {
          const r = await unwrap(svc.call('importCsv', { cis, relationships, dryRun: opts.dryRun ?? false }));
          if (opts.json) return printJson(r);
          const c = r.counts;
          process.stdout.write(
            `${r.dryRun ? 'Dry run (nothing written): would import' : `Import ${r.importId}:`} CIs ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged; ` +
              `relationships ${c.relationshipsCreated} created, ${c.relationshipsUpdated} updated, ${c.relationshipsUnchanged} unchanged (${r.durationMs} ms).\n`,
          );
          if (r.createdTypes.length + r.createdRelTypes.length > 0) {
            process.stdout.write(
              `New types added to the registry and flagged for review: ${[...r.createdTypes, ...r.createdRelTypes].join(', ')}\n`,
            );
          }
        } finally {
          svc.close();
        }
      }),
    );

  withCommon(program.command('search'))
    .description('search CIs by name, key, type, owner, description or attribute')
    .argument('[query...]', 'words to search for (all must match, as prefixes)')
    .option('--type <types>', 'only these CI types (comma-separated)')
    .option('--status <values>', 'only these statuses (comma-separated)')
    .option('--environment <values>', 'only these environments (comma-separated)')
    .option('--owner <values>', 'only these owners (comma-separated)')
    .option('--criticality <values>', 'only these criticalities (comma-separated)')
    .option('--limit <n>', 'how many results', '20')
    .option('--offset <n>', 'skip this many results', '0')
    .action(
      action(async (words: string[], opts: GlobalOpts & Record<string, string | undefined>) => {
        const svc = openService(opts);
        try {
          const list = (v?: string) => (v ? v.split(',').map((s) => s.trim()) : undefined);
          const r = await unwrap(
            svc.call('listCis', {
              query: words.join(' ') || undefined,
              filters: {
                type: list(opts.type),
                status: list(opts.status),
                environment: list(opts.environment),
                owner: list(opts.owner),
                criticality: list(opts.criticality),
              },
              limit: Number(opts.limit),
              offset: Number(opts.offset),
            }),
          );
          if (opts.json) return printJson(r);
          if (r.items.length === 0) {
            process.stdout.write('No CIs match.\n');
            return;
          }
          process.stdout.write(
            `${table([
              ['KEY', 'NAME', 'TYPE', 'STATUS', 'ENV', 'OWNER', 'CRITICALITY'],
              ...r.items.map((c) => [c.key, c.name, c.type, c.status ?? '', c.environment ?? '', c.owner ?? '', c.criticality ?? '']),
            ])}\n${r.items.length} of ${r.total} shown.\n`,
          );
        } finally {
          svc.close();
        }
      }),
    );

  withCommon(program.command('show'))
    .description('show one CI with its relationships in both directions')
    .argument('<key>', 'the CI key')
    .action(
      action(async (key: string, opts: GlobalOpts) => {
        const svc = openService(opts);
        try {
          const d = await unwrap(svc.call('getCi', { key }));
          if (opts.json) return printJson(d);
          const c = d.ci;
          const lines = [
            `${c.name}  (${c.key})`,
            table(
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
            `Depends on / points to (${d.outgoing.length}):`,
            ...d.outgoing.map(
              (r) =>
                `  ${r.type.padEnd(12)} ${r.other.key}  ${r.other.name} [${r.other.type}]${r.redundancyGroup ? `  group ${r.redundancyGroup} (min_up ${r.minUp ?? 1})` : ''}`,
            ),
            `Pointed to by (${d.incoming.length}):`,
            ...d.incoming.map(
              (r) =>
                `  ${r.type.padEnd(12)} ${r.other.key}  ${r.other.name} [${r.other.type}]${r.redundancyGroup ? `  group ${r.redundancyGroup} (min_up ${r.minUp ?? 1})` : ''}`,
            ),
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
        } finally {
          svc.close();
        }
      }),
    );

  withCommon(program.command('export'))
    .description('export the CMDB as CSV files in the default formats')
    .requiredOption('--cis <file>', 'where to write the CIs CSV')
    .option('--relationships <file>', 'where to write the relationships CSV')
    .action(
      action(async (opts: GlobalOpts & { cis: string; relationships?: string }) => {
        const svc = openService(opts);
        try {
          const r = await unwrap(svc.call('exportCsv', {}));
          writeFileSync(opts.cis, r.cis);
          if (opts.relationships) writeFileSync(opts.relationships, r.relationships);
          const n = (s: string) => Math.max(0, s.split('\n').filter(Boolean).length - 1);
          const summary = {
            cis: { file: opts.cis, rows: n(r.cis) },
            relationships: opts.relationships ? { file: opts.relationships, rows: n(r.relationships) } : null,
          };
          if (opts.json) return printJson(summary);
          process.stdout.write(
            `Wrote ${summary.cis.rows} CIs to ${opts.cis}${summary.relationships ? ` and ${summary.relationships.rows} relationships to ${opts.relationships}` : ''}.\n`,
          );
        } finally {
          svc.close();
        }
      }),
    );
}
