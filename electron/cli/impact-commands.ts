/** impact, assess, changes: what a change breaks, from a terminal or a deployment pipeline. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CmdbError } from '../../shared/errors.js';
import { type ExportFormat, type ImpactResult, RISK_LEVELS, type RiskLevel } from '../../shared/impact.js';
import { pathText } from '../cmdb/impact/report.js';
import { action, parseInteger, withService, table, unwrap, withCommon, type GlobalOpts } from './common.js';
import { printDocument, printLines, printResult } from './terminal.js';

/** Exit code when --fail-on trips: distinct from errors (1) and bad usage (2). */
export const RISK_EXIT_CODE = 3;

const FORMATS: Record<string, ExportFormat> = { md: 'markdown', markdown: 'markdown', html: 'html', csv: 'csv', json: 'json' };

function parseList(v: string | undefined): string[] | undefined {
  const list = v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list && list.length > 0 ? list : undefined;
}

function parseRisk(v: string | undefined): RiskLevel | undefined {
  if (v === undefined) return undefined;
  const level = v.trim().toLowerCase();
  if (!(RISK_LEVELS as readonly string[]).includes(level)) {
    throw new CmdbError('INVALID_REQUEST', `--fail-on must be one of ${RISK_LEVELS.filter((l) => l !== 'none').join(', ')}, not "${v}".`);
  }
  return level as RiskLevel;
}

/** Whether `level` is `threshold` or above it on the one risk scale. */
function riskAtLeast(level: RiskLevel, threshold: RiskLevel): boolean {
  return RISK_LEVELS.indexOf(level) >= RISK_LEVELS.indexOf(threshold);
}

/** Exits with RISK_EXIT_CODE, saying why, when the risk is at or above the threshold. */
function checkFailOn(result: ImpactResult, threshold: RiskLevel | undefined): void {
  if (!threshold || !riskAtLeast(result.risk.level, threshold)) return;
  printLines(
    [`cmdb: risk ${result.risk.level} is at or above --fail-on ${threshold}:`, ...result.risk.reasons.map((r) => `  - ${r}`)],
    'stderr',
  );
  process.exitCode = RISK_EXIT_CODE;
}

/** The impact answer for a person, one entry per line. */
function summary(r: ImpactResult): string[] {
  const lines: string[] = [];
  const changed = r.changed.map((c) => `${c.key} (${c.name})`).join(', ');
  if (r.direction === 'downstream') {
    lines.push(`Impact of ${changed} going down`);
    lines.push(`Risk: ${r.risk.level.toUpperCase()}`);
    for (const reason of r.risk.reasons) lines.push(`  - ${reason}`);
    lines.push(
      `${r.counts.down} down (changed CIs included), ${r.counts.degraded} degraded, ${r.businessServices.length} business service(s).`,
    );
  } else {
    lines.push(`What ${changed} depend${r.changed.length > 1 ? '' : 's'} on`);
    lines.push(
      `${r.counts.total} CIs: ${r.counts.down} would take it down alone (down), ${r.counts.degraded} behind a soft link or spare redundancy (degraded).`,
    );
  }
  if (r.businessServices.length > 0) {
    lines.push('Business services:');
    for (const b of r.businessServices.slice(0, 20))
      lines.push(`  ${b.state.padEnd(9)} ${b.key}  ${b.name}${b.owner ? `  (${b.owner})` : ''}`);
    if (r.businessServices.length > 20) lines.push(`  ... and ${r.businessServices.length - 20} more`);
  }
  const owners = r.owners.filter((o) => o.owner !== null);
  if (owners.length > 0) {
    lines.push(
      `${r.direction === 'downstream' ? 'Owners to notify' : 'Owners'}: ${owners
        .slice(0, 15)
        .map((o) => `${o.owner} (${o.down} down, ${o.degraded} degraded)`)
        .join(', ')}${owners.length > 15 ? `, and ${owners.length - 15} more` : ''}`,
    );
  }
  if (r.impacted.length > 0) {
    lines.push(
      '',
      ...table([
        ['STATE', 'DEPTH', 'KEY', 'NAME', 'TYPE', 'CRITICALITY', 'PATH'],
        ...r.impacted.map((i) => [
          i.changed ? 'changed' : i.state,
          String(i.depth),
          i.key,
          i.name,
          i.type,
          i.criticality ?? '',
          pathText(i.path),
        ]),
      ]),
    );
    if (r.truncated)
      lines.push(`${r.impacted.length} of ${r.counts.total} shown, the most severe first (--limit N for more, --json for all).`);
  } else if (r.counts.total === 0) {
    lines.push('Nothing else is impacted.');
  }
  return lines;
}

export function registerImpactCommands(program: Command): void {
  withCommon(program.command('impact'))
    .description('what goes down or is degraded if these CIs go down (or, with --direction up, what they depend on), and why')
    .argument('<keys...>', 'the changed CIs (keys)')
    .option('--direction <dir>', 'down: what depends on them (default); up: what they depend on', 'down')
    .option('--types <types>', 'relationship types that propagate (comma-separated; default every type of strength hard or soft)')
    .option('--depth <n>', 'only CIs at most N steps away (default: no limit)')
    .option('--limit <n>', 'how many impacted CIs to list (default 50; with --json all)')
    .option('--fail-on <level>', `exit ${RISK_EXIT_CODE} when the risk is at or above this level (low, medium, high, critical)`)
    .action(
      action(
        async (
          keys: string[],
          opts: GlobalOpts & { direction: string; types?: string; depth?: string; limit?: string; failOn?: string },
        ) => {
          const direction = { down: 'downstream', downstream: 'downstream', up: 'upstream', upstream: 'upstream' }[opts.direction];
          if (!direction) throw new CmdbError('INVALID_REQUEST', `--direction must be "down" or "up", not "${opts.direction}".`);
          const failOn = parseRisk(opts.failOn);
          const request = {
            keys,
            direction,
            types: parseList(opts.types),
            depth: parseInteger('--depth', opts.depth),
            limit: parseInteger('--limit', opts.limit) ?? (opts.json ? 1_000_000 : 50),
          };
          await withService(opts, 'read', async (svc) => {
            // --json prints the service's answer as it is: each path a list of steps (key, name, type, rel, forward).
            const r = await unwrap(svc.call('impact', request));
            printResult(opts, r, summary);
            checkFailOn(r, failOn);
          });
        },
      ),
    );

  withCommon(program.command('assess'))
    .description('save a change assessment (reference, title, window, changed CIs) with its impact, and export its report')
    .argument('[keys...]', 'the changed CIs (keys); none: reopen the saved change REF, re-evaluated now')
    .requiredOption('--ref <ref>', 'the change reference, e.g. CHG0012345 (saving it again updates it)')
    .option('--title <title>', 'what the change is (required when saving)')
    .option('--window <window>', 'the planned window, e.g. "2026-12-01 22:00-23:00 UTC"')
    .option('--description <text>', 'what will be done, rollback plan')
    .option('--types <types>', 'relationship types that propagate (comma-separated)')
    .option('--depth <n>', 'only CIs at most N steps away')
    .option('--format <format>', 'report format: md, html, csv or json', 'md')
    .option('--out <file>', 'write the report to this file (default: standard output)')
    .option('--fail-on <level>', `exit ${RISK_EXIT_CODE} when the risk is at or above this level`)
    .action(
      action(
        async (
          keys: string[],
          opts: GlobalOpts & {
            ref: string;
            title?: string;
            window?: string;
            description?: string;
            types?: string;
            depth?: string;
            format: string;
            out?: string;
            failOn?: string;
          },
        ) => {
          const format = FORMATS[opts.format.toLowerCase()];
          if (!format) throw new CmdbError('INVALID_REQUEST', `--format must be md, html, csv or json, not "${opts.format}".`);
          const failOn = parseRisk(opts.failOn);
          // Saving (keys given) writes the change; reopening re-evaluates it and only reads.
          await withService(opts, keys.length > 0 ? 'write' : 'read', async (svc) => {
            let result: ImpactResult;
            let note: string;
            if (keys.length > 0) {
              if (!opts.title) throw new CmdbError('INVALID_REQUEST', 'give --title "what the change is" to save a change assessment.');
              const saved = await unwrap(
                svc.call('saveChange', {
                  ref: opts.ref,
                  title: opts.title,
                  window: opts.window ?? null,
                  description: opts.description ?? null,
                  keys,
                  types: parseList(opts.types),
                  depth: parseInteger('--depth', opts.depth),
                }),
              );
              result = saved.result;
              note = `${saved.created ? 'Saved' : 'Updated'} change ${saved.change.ref} (id ${saved.change.id})`;
            } else {
              const detail = await unwrap(svc.call('getChange', { ref: opts.ref, limit: 0 }));
              result = detail.current;
              const d = detail.diff;
              note = `Reopened change ${detail.change.ref} (id ${detail.change.id}); ${
                d.changed
                  ? `since it was saved: risk ${d.riskFrom} -> ${d.riskTo}, ${d.added.length} newly impacted, ${d.removed.length} no longer impacted, ${d.stateChanged.length} changed state${d.missingKeys.length ? `, missing CIs: ${d.missingKeys.join(', ')}` : ''}`
                  : 'no difference since it was saved'
              }`;
            }
            const report = await unwrap(svc.call('exportChange', { ref: opts.ref, format }));
            if (opts.out) writeFileSync(opts.out, report.content);
            else printDocument(report.content);
            const line = `${note}: risk ${result.risk.level}, ${result.counts.down} down, ${result.counts.degraded} degraded.${opts.out ? ` Report written to ${opts.out}.` : ''}`;
            // The note goes where it does not mix into the report (or the JSON) on stdout.
            printLines([line], opts.out && !opts.json ? 'stdout' : 'stderr');
            checkFailOn(result, failOn);
          });
        },
      ),
    );

  withCommon(program.command('changes'))
    .description('list the saved change assessments')
    .argument('[query]', 'only references or titles containing this text')
    .option('--limit <n>', 'how many', '50')
    .action(
      action(async (query: string | undefined, opts: GlobalOpts & { limit: string }) => {
        const limit = parseInteger('--limit', opts.limit, 1) ?? 50;
        await withService(opts, 'read', async (svc) => {
          printResult(opts, await unwrap(svc.call('listChanges', { query, limit })), (r) =>
            r.items.length === 0
              ? ['No change assessments saved.']
              : [
                  ...table([
                    ['ID', 'REF', 'RISK', 'DOWN', 'DEGRADED', 'WINDOW', 'TITLE'],
                    ...r.items.map((c) => [String(c.id), c.ref, c.risk, String(c.down), String(c.degraded), c.window ?? '', c.title]),
                  ]),
                  `${r.items.length} of ${r.total} shown.`,
                ],
          );
        });
      }),
    );
}
