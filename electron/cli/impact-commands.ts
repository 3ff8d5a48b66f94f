/** impact, assess, changes: what a change breaks, from a terminal or a deployment pipeline. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CmdbService } from '../cmdb/service.js';
import { PROPAGATING_STRENGTHS } from '../../shared/domain.js';
import { CmdbError } from '../../shared/errors.js';
import {
  type ExportFormat,
  type ImpactDirection,
  type ImpactResult,
  notifyFieldsText,
  type OtherChange,
  RISK_LEVELS,
  type RiskLevel,
  type RollUpEntry,
} from '../../shared/impact.js';
import { ciLabel, type CiNamer, type NamedCi } from '../../shared/ci-label.js';
import {
  compareKeys,
  compareText,
  countsText,
  depthWholeText,
  impactNamer,
  noContactText,
  pathText,
  stateText,
  subjectText,
  riskHeadline,
  sinceSavedText,
  stateCountsText,
  OTHER_CHANGES_HEADING,
  otherChangeText,
  unfollowedText,
  unnamedKeys,
  upMemberKeys,
  withinHops,
} from '../../shared/explain.js';
import { cutList, formatCount } from '../../shared/format.js';
import { riskAtLeast, riskCouldReach, unknownRiskCeiling } from '../../shared/risk.js';
import {
  action,
  COLUMN_MAX,
  namesOf,
  parseInteger,
  requestMax,
  parseList,
  resolveKeys,
  resolveKeysOrKeep,
  withService,
  table,
  unwrap,
  withCommon,
  cmdbCommand,
  outputFormat,
  type OutputFormats,
  type GlobalOpts,
  outFile,
  WHOLE_NUMBER,
} from './common.js';
import { printDocument, printLines, printResult, valueText } from './terminal.js';
import { refuseOverwrites } from './output-paths.js';
import { baselineArg } from './baseline-commands.js';

/** Exit code when --fail-on trips: distinct from errors (1) and bad usage (2). */
export const RISK_EXIT_CODE = 3;

/** The report's formats, as --format and an output file's extension name them (outputFormat). */
const REPORT_FORMATS: OutputFormats<ExportFormat> = {
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  csv: 'csv',
  json: 'json',
};

/** Said when a report file is refused: a PDF is what is often wanted. */
const PDF_NOTE = 'For a PDF, name an .html file: a browser prints it to PDF.';

function parseRisk(v: string | undefined): RiskLevel | undefined {
  if (v === undefined) return undefined;
  const level = v.trim().toLowerCase();
  if (!(RISK_LEVELS as readonly string[]).includes(level)) {
    throw new CmdbError('INVALID_REQUEST', `--fail-on must be one of ${RISK_LEVELS.filter((l) => l !== 'none').join(', ')}, not "${v}".`);
  }
  return level as RiskLevel;
}

/**
 * Exits with RISK_EXIT_CODE, saying why, when the risk is at or above the threshold, or could be: impacted CIs
 * of unknown criticality count at the highest they could bring (unknownRiskCeiling), so a gate fails closed.
 */
function checkFailOn(result: ImpactResult, threshold: RiskLevel | undefined): void {
  if (!threshold) return;
  const { level, reasons, unknown } = result.risk;
  if (riskAtLeast(level, threshold)) {
    printLines([`cmdb: risk ${level} is at or above --fail-on ${threshold}:`, ...reasons.map((r) => `  - ${r}`)], 'stderr');
  } else if (riskAtLeast(unknownRiskCeiling(unknown), threshold)) {
    const n = unknown!.down + unknown!.degraded;
    printLines(
      [
        `cmdb: risk ${level}, but ${formatCount(n)} impacted CI${n === 1 ? ' has' : 's have'} no known criticality and could bring it to ${riskCouldReach(result.risk)}, at or above --fail-on ${threshold}. Give ${n === 1 ? 'it' : 'them'} a criticality (a criticality column, or criticalityValues in the import's mapping) so the risk can be judged:`,
        ...reasons.map((r) => `  - ${r}`),
      ],
      'stderr',
    );
  } else return;
  process.exitCode = RISK_EXIT_CODE;
}

/** How many impacted CIs `cmdb impact` explains step by step, with each step's reason. */
export const EXPLAINED_ROWS = 10;
/** Teams named in "Who to notify", and keys shown per team, before "and N more". */
const NOTIFY_SHOWN = 15;
const NOTIFY_KEYS_PER_TEAM = 8;

function more(total: number, shown: number, what = 'more'): string {
  return total > shown ? ` and ${formatCount(total - shown)} ${what}` : '';
}

/** The roll-ups by environment and by each attribute asked for (--roll-up), one line each. */
function rollUpLines(r: ImpactResult): string[] {
  const line = (label: string, values: RollUpEntry[]) =>
    `By ${label}: ${values
      .slice(0, 10)
      .map((v) => `${valueText(v.value)} ${formatCount(v.changed + v.down + v.degraded)} (${stateCountsText(v, r.direction)})`)
      .join('; ')}${more(values.length, 10)}`;
  const out: string[] = [];
  if (r.counts.byEnvironment?.length) out.push(line('environment', r.counts.byEnvironment));
  for (const a of r.counts.byAttribute ?? []) {
    if (a.attribute === 'environment' && r.counts.byEnvironment?.length) continue; // said just above
    out.push(a.values.length ? line(a.attribute, a.values) : `By ${a.attribute}: no impacted CI has it.`);
  }
  return out;
}

/** Who to notify: each team with the field that names it, its counts and its impacted CIs (owners when the answer has no list). */
function notifyLines(r: ImpactResult, names: CiNamer): string[] {
  if (!r.notify) {
    const owners = r.owners.filter((o) => o.owner !== null);
    return owners.length === 0
      ? []
      : [
          `Owners to notify: ${owners
            .slice(0, NOTIFY_SHOWN)
            .map((o) => `${o.owner} (${stateCountsText(o)})`)
            .join(', ')}${more(owners.length, NOTIFY_SHOWN)}`,
        ];
  }
  // The CIs no contact field names are said, not dropped: nobody would be told about them.
  const nobody = r.noContact ? [`  ${noContactText(r.noContact, NOTIFY_KEYS_PER_TEAM)}`] : [];
  if (r.notify.length === 0) return ['Who to notify: no team is named on the impacted CIs.', ...nobody];
  const lines = ['Who to notify:'];
  for (const n of r.notify.slice(0, NOTIFY_SHOWN)) {
    const total = n.changed + n.down + n.degraded;
    const keys = n.keys.slice(0, NOTIFY_KEYS_PER_TEAM);
    lines.push(
      `  ${n.team} (${notifyFieldsText(n)}): ${stateCountsText(n)}: ${keys.map(names.label).join(', ')}${more(total, keys.length)}`,
    );
  }
  if (r.notify.length > NOTIFY_SHOWN)
    lines.push(
      `  ... and ${r.notify.length - NOTIFY_SHOWN} more teams to notify: every team is in --json and in the report (--export FILE.html or .md); --notify FIELDS narrows the fields`,
    );
  return [...lines, ...nobody];
}

/** The CIs whose paths `impact` explains step by step: answers saved before steps carried their reason have nothing to add. */
function explainedRows(r: ImpactResult): ImpactResult['impacted'] {
  return r.impacted.filter((i) => i.path.some((s) => s.why)).slice(0, EXPLAINED_ROWS);
}

/** The PATH column of the impact table: a path runs through several CIs, so it is cut at three terminal lines, not one. */
const PATH_COLUMN_MAX = 3 * COLUMN_MAX;

/** The listed CIs as a table, then the first few paths step by step with each step's reason. */
function impactedLines(r: ImpactResult, names: CiNamer): string[] {
  if (r.impacted.length === 0) {
    if (r.counts.total > 0) return [];
    return [r.direction === 'upstream' ? 'It depends on nothing.' : 'Nothing else is impacted.'];
  }
  const lines = [
    '',
    ...table(
      [
        [r.direction === 'upstream' ? 'ROLE' : 'STATE', 'DEPTH', 'KEY', 'NAME', 'TYPE', 'CRITICALITY', 'PATH', 'DATA QUALITY'],
        ...r.impacted.map((i) => [
          stateText(i.state, i.changed, r.direction),
          String(i.depth),
          i.key,
          i.name,
          i.type,
          i.criticality ?? '',
          pathText(i.path, { names }),
          (r.health?.byKey[i.key] ?? []).join(' '),
        ]),
      ],
      { 6: PATH_COLUMN_MAX },
    ),
  ];
  if (r.depthLimit !== null) {
    const within = withinHops(r.depthLimit);
    lines.push(
      `${
        r.truncated
          ? `${formatCount(r.impacted.length)} of the CIs ${within} shown, the most severe first (--limit N for more).`
          : `Listed: the CIs ${within} (--depth).`
      } ${depthWholeText(r.direction)}`,
    );
  } else if (r.truncated)
    lines.push(
      `${formatCount(r.impacted.length)} of ${formatCount(r.counts.total)} shown, the most severe first (--limit N for more, --json for all).`,
    );
  const explained = explainedRows(r);
  if (explained.length > 0) {
    lines.push('', `Why (the first ${explained.length}; each arrow runs the way its relationship does, its reason in brackets):`);
    for (const i of explained) lines.push(`  ${names.label(i.key)}: ${pathText(i.path, { why: true, direction: r.direction, names })}`);
  }
  return lines;
}

/** The data-quality notes: which parts of the answer to doubt (absent in answers saved before they existed). */
function healthLines(r: ImpactResult): string[] {
  if (!r.health) return [];
  if (r.health.notes.length === 0) return ['Data quality: no findings on the impacted CIs or on their paths.'];
  return ['Data quality (parts of this answer to doubt):', ...r.health.notes.map((n) => `  - ${n}`)];
}

/** The CIs asked about; with a baseline, those deleted since too (the baseline answered for them). */
function ciList(r: ImpactResult, names: CiNamer): string {
  const gone = r.compare?.missingNow ?? [];
  if (gone.length === 0) return subjectText(r.changed);
  const goneText = `${cutList(gone.map((k) => names.label(k)))} (not in the CMDB now)`;
  return r.changed.length === 0 ? goneText : `${subjectText(r.changed)} and ${goneText}`;
}

/** The impact answer for a person, one entry per line: what breaks, its risk and who to tell. */
function downstreamLines(r: ImpactResult, names: CiNamer): string[] {
  const lines = [`Impact of ${ciList(r, names)} going down`, `Risk: ${riskHeadline(r.risk)}`];
  // The reasons name the CIs of unknown criticality too (their values, not set or off the scale).
  for (const reason of r.risk.reasons) lines.push(`  - ${reason}`);
  lines.push(`${countsText(r.counts, r.businessServices.length, 'downstream')}.`);
  const unfollowed = unfollowedText(r);
  if (unfollowed) lines.push(unfollowed);
  if (r.businessServices.length > 0) {
    lines.push('Business services:');
    for (const b of r.businessServices.slice(0, 20))
      lines.push(`  ${b.state.padEnd(9)} ${ciLabel(b)}${b.owner ? `, owner ${b.owner}` : ''}`);
    if (r.businessServices.length > 20) lines.push(`  ... and ${formatCount(r.businessServices.length - 20)} more`);
  }
  return [...lines, ...healthLines(r), ...notifyLines(r, names), ...rollUpLines(r), ...impactedLines(r, names)];
}

/** What the CIs asked about depend on: the single points of failure (every one), then the dependencies; nothing about risk. */
function upstreamLines(r: ImpactResult, names: CiNamer): string[] {
  const lines = [`What ${ciList(r, names)} depend${r.changed.length > 1 ? '' : 's'} on`, `${countsText(r.counts, 0, 'upstream')}.`];
  const unfollowed = unfollowedText(r);
  if (unfollowed) lines.push(unfollowed);
  const points = r.singlePoints ?? [];
  if (points.length === 0) lines.push('No single point of failure: no one dependency takes it down alone.');
  else {
    lines.push(`Single points of failure (${points.length}), each takes it down alone:`);
    lines.push(...table(points.map((p) => [`  ${p.key}`, p.name, p.type, p.criticality ?? ''])));
  }
  return [...lines, ...healthLines(r), ...rollUpLines(r), ...impactedLines(r, names)];
}

/** How the answer differs from the same question asked of a baseline (shared compareText), as lines under a blank one. */
export function compareLines(c: ImpactResult['compare'], names: CiNamer, direction: ImpactDirection = 'downstream'): string[] {
  if (!c) return [];
  const { heading, lines } = compareText(c, names, direction);
  return ['', `${heading}:`, ...lines.map((l) => `  ${l}`)];
}

/**
 * `cmdb impact` for a person: downstream what breaks and who to tell,
 * upstream what it depends on, then what --compare found. Each CI reads by
 * name and key (shared/explain.ts `ciLabel`): the answer's own CIs and
 * `looked` (names looked up for the keys it lists without one, `namesToLookUp`).
 */
export function impactSummary(r: ImpactResult, looked: readonly NamedCi[] = []): string[] {
  const names = impactNamer(r, looked);
  return [
    ...(r.direction === 'upstream' ? upstreamLines(r, names) : downstreamLines(r, names)),
    ...compareLines(r.compare, names, r.direction),
  ];
}

/**
 * The keys an answer's text names without their names: the teams' CIs beyond
 * the listed ones, what a baseline comparison found, the members a redundancy
 * group still has up. `namesOf` looks them up.
 */
export function namesToLookUp(r: ImpactResult, compare = r.compare): string[] {
  const keys = upMemberKeys(explainedRows(r));
  for (const n of (r.notify ?? []).slice(0, NOTIFY_SHOWN)) keys.push(...n.keys.slice(0, NOTIFY_KEYS_PER_TEAM));
  keys.push(...compareKeys(compare));
  return unnamedKeys(r, keys);
}

export interface ImpactOpts extends GlobalOpts {
  direction: string;
  types?: string;
  depth?: string;
  limit?: string;
  failOn?: string;
  notify?: string;
  rollUp?: string;
  export?: string;
  compare?: string;
}

/** The report format `impact --export FILE` writes: the one its extension names (outputFormat). */
export function formatOfFile(file: string): ExportFormat {
  return outputFormat(REPORT_FORMATS, { out: file }, { option: '--export', note: PDF_NOTE })!;
}

/**
 * --depth of `impact` and `assess`: a whole number of hops, or null for "any" (no limit; also "", which takes a
 * saved change's depth off as `--window ""` clears its window); undefined when not given.
 */
export function parseDepth(v: string | undefined, { empty = false } = {}): number | null | undefined {
  if (v === undefined) return undefined;
  // `any` is no limit; so is an empty value where it takes a saved depth off (assess), never by a script's unset
  // variable elsewhere (`impact --depth ''` listed everything without a word; found by a reviewer).
  if (/^\s*any\s*$/i.test(v) || (empty && v.trim() === '')) return null;
  if (!WHOLE_NUMBER.test(v))
    throw new CmdbError('INVALID_REQUEST', `--depth must be a whole number of hops or any (no limit), not "${v}".`);
  return parseInteger('--depth', v);
}

/** The impact request the options ask for, checked before the CMDB is opened (keys are resolved after). */
export function impactOptions(opts: ImpactOpts) {
  const directions: Record<string, ImpactDirection | undefined> = {
    down: 'downstream',
    downstream: 'downstream',
    up: 'upstream',
    upstream: 'upstream',
  };
  const direction = directions[opts.direction];
  if (!direction) throw new CmdbError('INVALID_REQUEST', `--direction must be "down" or "up", not "${opts.direction}".`);
  return {
    direction,
    types: parseList(opts.types),
    depth: parseDepth(opts.depth) ?? undefined,
    limit: parseInteger('--limit', opts.limit, 0, requestMax('impact', 'limit')) ?? (opts.json ? requestMax('impact', 'limit') : 50),
    contactFields: parseList(opts.notify),
    rollUps: parseList(opts.rollUp),
    compare: opts.compare === undefined ? undefined : baselineArg('--compare', opts.compare, opts, false),
  };
}

export function registerImpactCommands(program: Command): void {
  registerImpact(program);
  registerAssess(program);
  registerChanges(program);
}

/** `cmdb impact`: what the CIs take down (or depend on), explained, optionally exported whole. */
function registerImpact(program: Command): void {
  withCommon(program.command('impact'))
    .description('what goes down or is degraded if these CIs go down (or, with --direction up, what they depend on), and why')
    .argument('<cis...>', 'the changed CIs: keys, or names only one CI has')
    .option('--direction <dir>', 'down: what depends on them (default); up: what they depend on', 'down')
    .option(
      '--types <types>',
      `relationship types that propagate (comma-separated; default every type of strength ${PROPAGATING_STRENGTHS.join(' or ')})`,
    )
    .option(
      '--depth <n>',
      'list only the CIs within N hops, or any (the default: no limit); the counts and the risk are of the whole answer',
    )
    .option('--limit <n>', 'how many impacted CIs to list (default 50; with --json all)')
    .option(
      '--notify <fields>',
      'contact fields for "who to notify" (comma-separated, e.g. owner,support_group; default owner and the usual contact attributes)',
    )
    .option(
      '--roll-up <attributes>',
      'also count the impacted CIs by these attributes or fields (comma-separated, e.g. location,support_group,status)',
    )
    .option('--export <file>', 'also write the report of every impacted CI to FILE (.csv, .md, .html or .json), without saving a change')
    .option('--fail-on <level>', `exit ${RISK_EXIT_CODE} when the risk is at or above this level (low, medium, high, critical)`)
    .option('--compare <baseline>', 'also say how the answer differs from the same question asked of this baseline (cmdb baseline list)')
    .action(
      action(async (refs: string[], opts: ImpactOpts) => {
        const options = impactOptions(opts);
        const failOn = parseRisk(opts.failOn);
        if (failOn && options.direction === 'upstream')
          throw new CmdbError('INVALID_REQUEST', '--fail-on judges what a change breaks: use it without --direction up.');
        // The CMDB named as the output is refused first, whatever its extension.
        refuseOverwrites(opts.db, [['--export', opts.export]]);
        if (opts.export === '-')
          throw new CmdbError(
            'INVALID_REQUEST',
            '--export -: the answer is on standard output already. Name a file (.csv, .md, .html or .json), or use cmdb assess to print a report.',
          );
        const format = opts.export === undefined ? undefined : formatOfFile(opts.export);
        await withService(opts, 'read', async (svc) => {
          // Compared with a baseline, a CI deleted since may be asked about: the baseline has it.
          const { keys, refused } = opts.compare
            ? await resolveKeysOrKeep(svc, refs, opts)
            : { keys: await resolveKeys(svc, refs, opts), refused: null };
          const request = { keys, ...options };
          const answer = await svc.call('impact', request);
          // The baseline has it neither: the refusal names the close matches, as without a baseline.
          if (!answer.ok && refused && answer.error.code === 'NOT_FOUND') throw refused;
          // --json prints the service's answer as it is: each path a list of steps (key, name, type, rel, forward, why).
          const r = await unwrap(Promise.resolve(answer));
          const looked = opts.json ? [] : await namesOf(svc, namesToLookUp(r));
          printResult(opts, r, (x) => impactSummary(x, looked));
          if (opts.export && format) {
            // The report is the answer now: of the CIs the CMDB has.
            const { compare: _compare, ...rest } = request;
            const gone = new Set(r.compare?.missingNow ?? []);
            const reported = { ...rest, keys: rest.keys.filter((k) => !gone.has(k)) };
            if (reported.keys.length === 0) {
              throw new CmdbError(
                'INVALID_REQUEST',
                `No report written to ${opts.export}: none of the CIs asked about is in the CMDB now, and the report is the answer now.`,
              );
            }
            const report = await unwrap(svc.call('exportImpact', { request: reported, format }));
            writeFileSync(opts.export, report.content);
            printLines(
              [`Report of ${r.counts.total === 1 ? 'the 1 CI' : `all ${formatCount(r.counts.total)} CIs`} written to ${opts.export}.`],
              opts.json ? 'stderr' : 'stdout',
            );
          }
          checkFailOn(r, failOn);
        });
      }),
    );
}

/**
 * The report format `assess` writes, by outputFormat: --format's, else that of --out's extension (an .html file of
 * Markdown read as raw text, found by a tester), else JSON with --json (the report is what it prints), else Markdown.
 */
function assessFormat(opts: { format?: string; json?: boolean; out?: string }): ExportFormat {
  const format = outputFormat(REPORT_FORMATS, opts, { fallback: opts.json ? 'json' : 'markdown', note: PDF_NOTE })!;
  if (opts.json && format !== 'json' && !opts.out) {
    throw new CmdbError(
      'INVALID_REQUEST',
      `--json prints the report as JSON, and --format ${opts.format} asks for ${opts.format}: drop one of them, or write the ${opts.format} report to a file with --out FILE.`,
    );
  }
  return format;
}

/** What `assess` is asked to change in a saved change, besides its CIs. */
type ChangeOpts = { ref: string; title?: string; window?: string; description?: string; types?: string; depth?: string };

/** Whether `assess` was given any of a change's fields (without CIs: to edit a saved change). */
const editsChange = (o: ChangeOpts) => [o.title, o.window, o.description, o.types, o.depth].some((v) => v !== undefined);

/** An option's text as a change's field: null when given empty (`--window ""` clears it), undefined when not given. */
const fieldText = (v: string | undefined) => (v === undefined ? undefined : v.trim() || null);

/**
 * The change to save: the options given, and for a change saved already (its reference, case aside, as the engine
 * finds it) its saved title, window, description, CIs, types and depth where an option is left out (saving again
 * used to clear its window and description, found by a tester). Also the fields kept, for the note. Null when no
 * CI is given and no change has the reference (the reopen then says so).
 */
async function changeToSave(svc: CmdbService, keys: string[], opts: ChangeOpts & GlobalOpts) {
  // Found as the engine finds it, its summary only: no analysis to read its saved fields.
  const prior = (await unwrap(svc.call('listChanges', { ref: opts.ref, offset: 0, limit: 1 }))).items[0] ?? null;
  if (keys.length === 0 && prior === null) return null;
  const kept: string[] = [];
  const keep = <T>(given: T | undefined, saved: T, name: string): T => {
    if (given !== undefined || prior === null) return given as T;
    if (saved !== null) kept.push(name);
    return saved;
  };
  const title = keep(opts.title, prior?.title, 'title');
  if (!title) throw new CmdbError('INVALID_REQUEST', 'give --title "what the change is" to save a change assessment.');
  const request = {
    ref: prior?.ref ?? opts.ref,
    title,
    window: keep(fieldText(opts.window), prior?.window ?? null, 'window') ?? null,
    description: keep(fieldText(opts.description), prior?.description ?? null, 'description') ?? null,
    keys: keys.length > 0 ? await resolveKeys(svc, keys, opts) : prior!.keys,
    // --types "" asks for every type again.
    types: keep(opts.types === undefined ? undefined : (parseList(opts.types) ?? null), prior?.types ?? null, 'types') ?? undefined,
    depth: keep(parseDepth(opts.depth, { empty: true }), prior?.depth ?? null, 'depth') ?? undefined,
  };
  return { request, kept };
}

/**
 * A change assessed again on its saved CIs (--types or --depth given without CIs) of which some are no longer in the
 * CMDB: said as that, with what to do, rather than as CIs to search for by name.
 */
function savedCisGone(err: unknown, ref: string): unknown {
  const gone = err instanceof CmdbError && err.code === 'NOT_FOUND' ? (err.details as { keys?: string[] } | undefined)?.keys : undefined;
  if (!gone?.length) return err;
  return new CmdbError(
    'NOT_FOUND',
    `${ref} changes ${gone.join(', ')}, no longer in the CMDB: give the CIs to assess it on (cmdb assess --ref ${ref} CI...), or edit only its title, window or description.`,
    { keys: gone },
  );
}

/** `cmdb assess`: save a change assessment (or reopen one) and print or write its report. */
function registerAssess(program: Command): void {
  withCommon(program.command('assess'))
    .description('save a change assessment (reference, title, window, changed CIs) with its impact, and export its report')
    .argument(
      '[cis...]',
      'the changed CIs (keys, or names only one CI has); none: reopen the saved change REF, re-evaluated now (or update the fields given)',
    )
    .requiredOption(
      '--ref <ref>',
      'the change reference, e.g. CHG0012345 (saving it again updates it; options left out keep their saved values)',
    )
    .option('--title <title>', 'what the change is (required when saving)')
    .option('--window <window>', 'the planned window, e.g. "2026-12-01 22:00-23:00 UTC" ("" clears it)')
    .option('--description <text>', 'what will be done, rollback plan')
    .option('--types <types>', 'relationship types that propagate (comma-separated)')
    .option(
      '--depth <n>',
      "list only the CIs within N hops, or any: no limit (left out: a saved change's depth); the counts and the risk are of the whole answer",
    )
    .option('--format <format>', 'report format: md, html, csv or json (default: md; json with --json)')
    .option('--out <file>', 'write the report to this file; - or none: standard output')
    .option('--fail-on <level>', `exit ${RISK_EXIT_CODE} when the risk is at or above this level`)
    .option('--compare <baseline>', "also say how the change's blast radius now differs from the same change asked of this baseline")
    .action(
      action(
        async (
          keys: string[],
          given: GlobalOpts & {
            ref: string;
            title?: string;
            window?: string;
            description?: string;
            types?: string;
            depth?: string;
            format?: string;
            out?: string;
            failOn?: string;
            compare?: string;
          },
        ) => {
          const opts = { ...given, out: outFile(given.out) };
          // The CMDB named as the output is refused first, whatever its extension.
          refuseOverwrites(opts.db, [['--out', opts.out]]);
          const format = assessFormat(opts);
          if (opts.compare !== undefined) baselineArg('--compare', opts.compare, opts, false);
          const failOn = parseRisk(opts.failOn);
          // Saving (keys or fields given) writes the change; reopening re-evaluates it and only reads.
          const saving = keys.length > 0 || editsChange(opts);
          // Only its title, window or description: edited, its assessment kept (re-saving hid what changed since it was made).
          const fieldsOnly = keys.length === 0 && opts.types === undefined && opts.depth === undefined && editsChange(opts);
          await withService(opts, saving ? 'write' : 'read', async (svc) => {
            let result: ImpactResult;
            let note: string;
            let since = '';
            let others: OtherChange[];
            if (fieldsOnly) {
              const edit = { ref: opts.ref, title: opts.title, window: fieldText(opts.window), description: fieldText(opts.description) };
              await unwrap(svc.call('editChange', edit));
            }
            const toSave = saving && !fieldsOnly ? await changeToSave(svc, keys, opts) : null;
            if (toSave) {
              const saved = await unwrap(svc.call('saveChange', toSave.request)).catch((err: unknown) => {
                throw keys.length === 0 ? savedCisGone(err, opts.ref) : err;
              });
              result = saved.result;
              others = saved.others ?? [];
              const kept = toSave.kept.length > 0 ? `; ${toSave.kept.join(', ')} as saved` : '';
              note = `${saved.created ? 'Saved' : 'Updated'} change ${saved.change.ref} (id ${saved.change.id}${kept})`;
            } else {
              const detail = await unwrap(svc.call('getChange', { ref: opts.ref, limit: 0 }));
              result = detail.current;
              others = detail.others ?? [];
              const edited = fieldsOnly
                ? [opts.title && 'title', opts.window !== undefined && 'window', opts.description !== undefined && 'description'].filter(
                    Boolean,
                  )
                : [];
              note =
                edited.length > 0
                  ? `Updated the ${edited.join(', ')} of change ${detail.change.ref} (id ${detail.change.id}), its assessment of ${detail.change.updatedAt} kept; re-evaluated now`
                  : `Reopened change ${detail.change.ref} (id ${detail.change.id})`;
              // Exact: the same CIs in the same states, and (from what was saved) a group's margin that changed.
              since = ` Since it was saved: ${sinceSavedText(detail.diff)}.`;
            }
            // With --compare the report says how the change differs from the baseline (an unknown baseline fails
            // the command before anything is written).
            const report = await unwrap(svc.call('exportChange', { ref: opts.ref, format, compare: opts.compare }));
            if (opts.out) writeFileSync(opts.out, report.content);
            else printDocument(report.content);
            const upTo = riskCouldReach(result.risk);
            const line = `${note}: risk ${result.risk.level}${upTo ? `, up to ${upTo}` : ''}, ${countsText(result.counts, result.businessServices.length, 'downstream')}.${since}${opts.out ? ` Report written to ${opts.out}.` : ''}`;
            // The note goes where it does not mix into the report (or the JSON) on stdout.
            // Other changes on the same CIs, to run apart: their windows beside each other (found by a change manager).
            const overlaps = others.length > 0 ? [`${OTHER_CHANGES_HEADING}:`, ...others.map((o) => `  - ${otherChangeText(o)}`)] : [];
            printLines([line, ...overlaps], opts.out && !opts.json ? 'stdout' : 'stderr');
            checkFailOn(result, failOn);
          });
        },
      ),
    );
}

/** `cmdb changes`: the saved change assessments. */
function registerChanges(program: Command): void {
  withCommon(program.command('changes'))
    .description('list the saved change assessments')
    .argument('[query]', 'only references or titles containing this text')
    .option('--limit <n>', 'how many', '50')
    .action(
      action(async (query: string | undefined, opts: GlobalOpts & { limit: string }) => {
        const limit = parseInteger('--limit', opts.limit, 1, requestMax('listChanges', 'limit')) ?? 50;
        await withService(opts, 'read', async (svc) => {
          printResult(opts, await unwrap(svc.call('listChanges', { query, limit })), (r) =>
            r.items.length === 0
              ? [
                  query
                    ? `No saved change assessment has "${query}" in its reference or title. List them all: ${cmdbCommand(opts, 'changes')}`
                    : 'No change assessments saved.',
                ]
              : [
                  // Each risk as assessed when the change was last saved (ASSESSED): a stale one shows its age.
                  ...table([
                    ['ID', 'REF', 'RISK', 'ASSESSED', 'DOWN', 'DEGRADED', 'WINDOW', 'TITLE'],
                    ...r.items.map((c) => [
                      String(c.id),
                      c.ref,
                      c.riskUpTo ? `${c.risk}, up to ${c.riskUpTo}` : c.risk,
                      c.updatedAt,
                      String(c.down),
                      String(c.degraded),
                      c.window ?? '',
                      c.title,
                    ]),
                  ]),
                  `${formatCount(r.items.length)} of ${formatCount(r.total)} shown${r.total > r.items.length ? ' (--limit N for more)' : ''}. The risk and counts are as assessed then; reopening one re-evaluates it now: ${cmdbCommand(opts, 'assess', '--ref', 'REF')}`,
                ],
          );
        });
      }),
    );
}
