/**
 * Impact reports: Markdown, printable HTML (one self-contained file, inline
 * CSS, no external resource, every value escaped), CSV (one row per impacted
 * CI) and JSON (the whole answer), for a saved change assessment or for an
 * analysis not saved. Both Markdown and HTML are rendered from one list of
 * sections, and every path, reason and state is written by the one
 * explanation formatter (shared/explain.ts), so each format reads the same.
 */
import { escapeBidi } from '../../../shared/bidi.js';
import { htmlText } from '../../../shared/html.js';
import { fileNamed } from '../export-file.js';
import { toCsv, type CsvCell } from '../../../shared/csv.js';
import { assertNever } from '../../../shared/errors.js';
import { ciLabel, type CiNamer, type NamedCi } from '../../../shared/ci-label.js';
import { asSentence, formatCount } from '../../../shared/format.js';
import {
  compareKeys,
  compareText,
  countsText,
  impactNamer,
  noContactText,
  mergedSinceText,
  notRunningSinceText,
  OTHER_CHANGES_HEADING,
  otherChangeText,
  pathText,
  stateText,
  stepArrow,
  subjectText,
  riskHeadline,
  unfollowedDetail,
  unnamedKeys,
  upMemberKeys,
  whyText,
} from '../../../shared/explain.js';
import type {
  ChangeDetail,
  ChangeDiff,
  ChangeSummary,
  ExportFormat,
  ImpactCi,
  ImpactCiState,
  ImpactResult,
  OtherChange,
} from '../../../shared/impact.js';
import { notifyFieldsText } from '../../../shared/impact.js';
import { RULE_INFO } from '../../../shared/health.js';
import { rulesInWords } from '../../../shared/health-phrases.js';
import { RISK_RULE } from '../../../shared/risk.js';

/** Markdown and HTML list at most this many impacted CIs; CSV and JSON list all. */
export const REPORT_ROW_CAP = 2000;
/** CSV rows written per piece when the report is made piece by piece. */
const CSV_ROWS_PER_PIECE = 500;

export interface RenderedReport {
  filename: string;
  mime: string;
  content: string;
}

/**
 * What a report is about: a saved change (its reference, title, window, and
 * what differs since it was saved), or an analysis that was not saved.
 */
export interface ReportSubject {
  change: ChangeSummary | null;
  diff: ChangeDiff | null;
  /** How the answer differs from the same question asked of a baseline, when one was named. */
  compare?: ImpactResult['compare'];
  result: ImpactResult;
  /** What the JSON report holds besides `generatedAt`. */
  json: object;
  /** Names of CIs the result names by key alone (`keysToName`), looked up by the engine; the text reads them by name. */
  names?: readonly NamedCi[] | undefined;
  /** A saved change's other saved changes on the same CIs. */
  others?: readonly OtherChange[] | undefined;
  /**
   * A change reported on the CMDB it was just saved on (nothing changed since): its result is the one saved, so
   * the report says when it was saved and not what changed since (`diff` null).
   */
  asSaved?: boolean;
}

/**
 * A saved change's report, re-evaluated now (with getChange's `compare`: against that baseline too). `asSaved`: the
 * CMDB has not changed since it was saved (ReportSubject.asSaved).
 */
export function changeSubject(d: ChangeDetail, asSaved = false): ReportSubject {
  const subject = { change: d.change, diff: d.diff, compare: d.compare, result: d.current, json: d, others: d.others };
  return asSaved ? { ...subject, diff: null, asSaved } : subject;
}

/** The report of an analysis not saved as a change: titled by the CIs it is about. */
export function analysisSubject(result: ImpactResult): ReportSubject {
  return { change: null, diff: null, compare: result.compare, result, json: result };
}

/** A saved change's report as one file. */
export function renderReport(d: ChangeDetail, format: ExportFormat, generatedAt: string): RenderedReport {
  return renderSubject(changeSubject(d), format, generatedAt);
}

/**
 * The keys a Markdown or HTML report would print without a name (the members
 * a redundancy group still has up, CIs no longer impacted since a change was
 * saved): the engine looks their names up into `names`. None for CSV and
 * JSON, which keep keys.
 */
export function keysToName(s: ReportSubject, format: ExportFormat): string[] {
  if (format !== 'markdown' && format !== 'html') return [];
  const d = s.diff;
  const since = d ? [...d.added, ...d.removed, ...d.stateChanged].map((x) => x.key) : [];
  const others = (s.others ?? []).flatMap((o) => [...o.changes, ...o.impacts]);
  return unnamedKeys(s.result, [
    ...upMemberKeys(s.result.impacted.slice(0, REPORT_ROW_CAP)),
    ...since,
    ...compareKeys(s.compare),
    ...others,
  ]);
}

/** A report as one file: its name, its type and its whole content. */
export function renderSubject(s: ReportSubject, format: ExportFormat, generatedAt: string): RenderedReport {
  return { ...reportFile(s, format), content: [...reportPieces(s, format, generatedAt)].join('') };
}

/** The file name and type of a report. */
export function reportFile(s: ReportSubject, format: ExportFormat): { filename: string; mime: string } {
  const base = s.change
    ? `change-${slug(s.change.ref, 'change')}`
    : `impact-${slug(s.result.changed.map((c) => c.key).join('-'), 'impact')}`;
  return fileNamed(base, format);
}

/**
 * A report's content piece by piece: CSV a few hundred rows at a time (a
 * host may send each piece on as it is made, never holding the whole file);
 * the other formats in one piece.
 */
export function* reportPieces(s: ReportSubject, format: ExportFormat, generatedAt: string): Generator<string> {
  switch (format) {
    case 'markdown':
      yield markdown(s, generatedAt);
      return;
    case 'html':
      yield html(s, generatedAt);
      return;
    case 'csv':
      yield* csvPieces(s.result);
      return;
    case 'json':
      yield `${JSON.stringify({ generatedAt, ...s.json }, null, 2)}\n`;
      return;
    default:
      assertNever(format, 'export format');
  }
}

/** A name safe in a file name (letters, digits, . _ -), at most 80 characters; `fallback` when nothing is left. */
export function slug(s: string, fallback: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || fallback
  );
}

/** `data_quality`: the ids of the health rules that fire on the CI (docs/health.md), separated by spaces. */
export const CSV_HEADER = ['key', 'name', 'type', 'owner', 'criticality', 'state', 'depth', 'changed', 'path', 'why', 'data_quality'];

/** One row per impacted CI; `why` is the reason of the step that reached it (each CI on a path has its own row). */
function* csvPieces(r: ImpactResult): Generator<string> {
  yield toCsv([CSV_HEADER], { newline: '\r\n' });
  for (let i = 0; i < r.impacted.length; i += CSV_ROWS_PER_PIECE) {
    const rows: CsvCell[][] = r.impacted.slice(i, i + CSV_ROWS_PER_PIECE).map((c) => {
      const last = c.path[c.path.length - 1];
      return [
        c.key,
        c.name,
        c.type,
        c.owner,
        c.criticality,
        // Upstream, a dependency is no outage: `down` read as one in a file handed on (found by a tester).
        r.direction === 'upstream' ? stateText(c.state, false, r.direction) : c.state,
        c.depth,
        c.changed,
        pathText(c.path),
        last?.why ? whyText(last.why, r.direction) : '',
        (r.health?.byKey[c.key] ?? []).join(' '),
      ];
    });
    yield toCsv(rows, { newline: '\r\n', header: false });
  }
}

/** Text as it reads: escaped by each format. Rich cells give both renderings. */
type Cell = string | number | null | { md: string; html: string };

interface Section {
  heading: string;
  paragraphs?: string[];
  bullets?: string[];
  table?: { head: string[]; rows: Cell[][] };
  /** Small print under the section. */
  notes?: string[];
  /** Only HTML prints it (a paragraph kept as typed, line breaks and all). */
  preformatted?: boolean;
}

function titleOf(s: ReportSubject): string {
  if (s.change) return `Change ${s.change.ref}: ${s.change.title}`;
  const cis = subjectText(s.result.changed);
  return s.result.direction === 'upstream' ? `What ${cis} depend${s.result.changed.length > 1 ? '' : 's'} on` : `Impact of ${cis}`;
}

/** The facts at the top of the report, label and value. */
function metaRows(s: ReportSubject, generatedAt: string): Array<[string, string]> {
  const r = s.result;
  const rows: Array<[string, string]> = [];
  if (s.change) rows.push(['Planned window', s.change.window || 'not set']);
  rows.push([r.direction === 'upstream' ? 'CIs asked about' : 'Changed CIs', r.changed.map(ciLabel).join(', ') || 'none']);
  rows.push([r.direction === 'upstream' ? 'Dependencies' : 'Impact', countsText(r.counts, r.businessServices.length, r.direction)]);
  const unfollowed = unfollowedDetail(r);
  if (unfollowed) rows.push(['Not followed', unfollowed]);
  rows.push([
    'Assessed',
    s.change
      ? `saved ${s.change.updatedAt}${s.asSaved ? ' (the CMDB has not changed since)' : `, re-evaluated ${generatedAt}`}`
      : generatedAt,
  ]);
  return rows;
}

function diffLines(x: ChangeDiff, names: CiNamer): string[] {
  const margin = [notRunningSinceText(x), mergedSinceText(x)].flatMap((t) => (t ? [asSentence(t)] : []));
  if (!x.changed) return [`The same CIs are impacted, in the same states, with the same risk (${x.riskTo}).`, ...margin];
  const list = <T>(items: T[], text: (a: T) => string) => `${items.slice(0, 50).map(text).join(', ')}${items.length > 50 ? ', ...' : ''}`;
  const out: string[] = [];
  if (x.riskFrom !== x.riskTo) out.push(`Risk was ${x.riskFrom}, is now ${x.riskTo}.`);
  if (x.missingKeys.length) out.push(`Changed CIs no longer in the CMDB: ${x.missingKeys.join(', ')}.`);
  if (x.added.length)
    out.push(`Newly impacted (${formatCount(x.added.length)}): ${list(x.added, (a) => `${names.label(a.key)}: ${a.state}`)}`);
  if (x.removed.length)
    out.push(`No longer impacted (${formatCount(x.removed.length)}): ${list(x.removed, (a) => `${names.label(a.key)}: was ${a.state}`)}`);
  if (x.stateChanged.length)
    out.push(
      `State changed (${formatCount(x.stateChanged.length)}): ${list(x.stateChanged, (a) => `${names.label(a.key)} ${a.from} -> ${a.to}`)}`,
    );
  return [...out, ...margin];
}

const COUNTS_DOWNSTREAM = ['Changed', 'Down', 'Degraded'];
function downstreamCells(c: { changed?: number | undefined; down: number; degraded: number }): Cell[] {
  return [c.changed ?? 0, c.down, c.degraded];
}

/** A value that may be unset, shown as such. */
function orUnset(v: string | null, unset: string): Cell {
  return v === null ? { md: `_${unset}_`, html: `<i>${esc(unset)}</i>` } : v;
}

/** The path of one impacted CI, each step the way its relationship runs, with its reason; each CI by name (`CiNamer.step`). */
function pathCell(i: ImpactCi, r: ImpactResult, names: CiNamer): Cell {
  const text = pathText(i.path, { why: true, direction: r.direction, names });
  const rich = i.path
    .map((s, n) => {
      if (n === 0) return `<b>${esc(names.step(s.key))}</b>`;
      const why = s.why ? ` <span class="why">(${esc(whyText(s.why, r.direction, names))})</span>` : '';
      return ` <span class="rel">${esc(stepArrow(s))}</span> <b>${esc(names.step(s.key))}</b>${why}`;
    })
    .join('');
  return { md: mdEscape(text), html: rich };
}

function stateCell(state: ImpactCiState, changed: boolean, r: ImpactResult): Cell {
  const text = stateText(state, changed, r.direction);
  const cls = changed ? 'changed' : state;
  return { md: text, html: `<span class="st st-${htmlText(cls)}">${esc(text)}</span>` };
}

/** The sections about risk and who to tell: downstream only (upstream lists dependencies, nothing breaks). */
function riskSections(s: ReportSubject, names: CiNamer): Section[] {
  const r = s.result;
  // The engine's reasons say once which CIs have no known criticality, naming the first (the report said it three times).
  const out: Section[] = [{ heading: 'Why this risk', bullets: r.risk.reasons, notes: [RISK_RULE] }];
  if (s.diff) out.push({ heading: 'Since it was saved', bullets: diffLines(s.diff, names) });
  if (s.others?.length) out.push({ heading: OTHER_CHANGES_HEADING, bullets: s.others.map((o) => otherChangeText(o, names)) });
  if (s.compare) {
    const { heading, lines } = compareText(s.compare, names, r.direction);
    out.push({ heading, bullets: lines });
  }
  if (r.notify) {
    // The CIs no contact field names are said, not dropped: nobody would be told about them.
    const nobody = r.noContact ? [`${noContactText(r.noContact)}.`] : [];
    out.push({
      heading: 'Who to notify',
      paragraphs: r.notify.length === 0 ? ['No team is named on the impacted CIs.', ...nobody] : nobody,
      table: r.notify.length
        ? {
            head: ['Team', 'Field', ...COUNTS_DOWNSTREAM, 'Impacted CIs'],
            rows: r.notify.map((n) => {
              const total = n.changed + n.down + n.degraded;
              const more = total > n.keys.length ? ` and ${formatCount(total - n.keys.length)} more` : '';
              return [n.team, notifyFieldsText(n), ...downstreamCells(n), `${n.keys.map(names.label).join(', ')}${more}`];
            }),
          }
        : undefined,
    });
  }
  return out;
}

/** The data-quality findings on the impacted CIs and their paths: which parts of the answer to doubt. */
function healthSection(r: ImpactResult, names: CiNamer): Section | null {
  const h = r.health;
  if (!h) return null;
  if (h.byRule.length === 0) {
    return {
      heading: 'Data quality',
      paragraphs: h.notes.length > 0 ? h.notes : ['No data-quality findings on the impacted CIs or on their paths.'],
    };
  }
  return {
    heading: 'Data quality',
    bullets: h.notes,
    table: {
      head: ['Rule', 'Severity', 'CIs', 'First CIs'],
      rows: h.byRule.map((b) => [
        `${RULE_INFO[b.rule].label} (${b.rule})`,
        b.severity,
        b.cis,
        `${b.keys.map(names.label).join(', ')}${b.cis > b.keys.length ? ` and ${b.cis - b.keys.length} more` : ''}`,
      ]),
    },
    notes: [
      'Findings of the CMDB health rules (docs/health.md) on the CIs this report lists and on their paths: parts of the answer to doubt.',
    ],
  };
}

/**
 * The business services, each with the path that takes it down or degrades it: the CIs listed further on are
 * capped (REPORT_ROW_CAP) and ordered by state and criticality, so on a hub not one service's path was in the
 * report (found by a change manager). A service's path is there when the answer lists it (every report does).
 */
function serviceSection(r: ImpactResult, names: CiNamer): Section {
  const listed = new Map(r.impacted.map((i) => [i.key, i]));
  return {
    heading: 'Business services impacted',
    paragraphs: r.businessServices.length === 0 ? ['None.'] : [],
    table: r.businessServices.length
      ? {
          head: ['Service', 'Key', 'State', 'Owner', 'Criticality', 'Path'],
          rows: r.businessServices.map((b) => {
            const ci = listed.get(b.key);
            return [
              b.name,
              b.key,
              stateCell(b.state, b.state === 'changed', r),
              b.owner,
              b.criticality,
              ci ? pathCell(ci, r, names) : null,
            ];
          }),
        }
      : undefined,
  };
}

function singlePointSection(r: ImpactResult): Section {
  const points = r.singlePoints ?? [];
  return {
    heading: `Single points of failure (${points.length})`,
    paragraphs: [
      points.length === 0 ? 'None: no single dependency takes it down alone.' : 'Each of these takes what was asked about down on its own.',
    ],
    table: points.length
      ? { head: ['Key', 'Name', 'Type', 'Owner', 'Criticality'], rows: points.map((p) => [p.key, p.name, p.type, p.owner, p.criticality]) }
      : undefined,
  };
}

/** Counts by owner, type, criticality, environment and each attribute asked for (upstream: by kind of dependency). */
function rollUpSections(r: ImpactResult): Section[] {
  const up = r.direction === 'upstream';
  const head = up ? ['Single points of failure', 'Other dependencies'] : COUNTS_DOWNSTREAM;
  const cells = up ? (c: { down: number; degraded: number }): Cell[] => [c.down, c.degraded] : downstreamCells;
  const out: Section[] = [
    {
      heading: 'By owner',
      table: { head: ['Owner', ...head], rows: r.owners.map((o) => [orUnset(o.owner, 'no owner'), ...cells(o)]) },
    },
    { heading: 'By type', table: { head: ['Type', ...head], rows: r.counts.byType.map((t) => [t.type, ...cells(t)]) } },
    {
      heading: 'By criticality',
      table: {
        head: ['Criticality', ...head],
        rows: r.counts.byCriticality.map((t) => [orUnset(t.criticality, 'not set'), ...cells(t)]),
      },
    },
  ];
  if (r.counts.byEnvironment?.length)
    out.push({
      heading: 'By environment',
      table: {
        head: ['Environment', ...head],
        rows: r.counts.byEnvironment.map((e) => [orUnset(e.value, 'not set'), ...cells(e)]),
      },
    });
  for (const a of r.counts.byAttribute ?? [])
    out.push({
      heading: `By ${a.attribute}`,
      table: { head: [a.attribute, ...head], rows: a.values.map((e) => [orUnset(e.value, 'not set'), ...cells(e)]) },
    });
  return out;
}

function impactedSection(r: ImpactResult, names: CiNamer): Section {
  const rows = r.impacted.slice(0, REPORT_ROW_CAP);
  const notes: string[] = [];
  if (r.counts.total > rows.length)
    notes.push(
      `${formatCount(r.counts.total - rows.length)} more ${r.direction === 'upstream' ? 'dependencies' : 'impacted CIs'} are not listed here; export as CSV for all of them.`,
    );
  notes.push(
    'Each step of a path is written the way its relationship runs: "a <-[depends_on]- b" reads "b depends on a"; the reason the step carries impact follows it in brackets.',
    `Relationship types followed: ${r.types.join(', ')}${r.depthLimit !== null ? `; depth limit ${r.depthLimit}` : ''}.`,
  );
  return {
    heading: `${r.direction === 'upstream' ? 'Dependencies' : 'Impacted CIs'} (${formatCount(r.counts.total)})`,
    table: {
      head: [r.direction === 'upstream' ? 'Role' : 'State', 'Key', 'Name', 'Type', 'Owner', 'Criticality', 'Depth', 'Path', 'Data quality'],
      rows: rows.map((i) => [
        stateCell(i.state, i.changed, r),
        i.key,
        i.name,
        i.type,
        i.owner,
        i.criticality,
        i.depth,
        pathCell(i, r, names),
        rulesInWords(r.health?.byKey[i.key] ?? []),
      ]),
    },
    notes,
  };
}

/** Every section after the top facts, in reading order: the data quality right after the risk it qualifies. */
function sections(s: ReportSubject): Section[] {
  const r = s.result;
  const out: Section[] = [];
  if (s.change?.description) out.push({ heading: 'Description', paragraphs: [s.change.description], preformatted: true });
  const names = impactNamer(r, s.names);
  const health = healthSection(r, names);
  const quality = health ? [health] : [];
  if (r.direction === 'upstream')
    return [...out, ...quality, singlePointSection(r), impactedSection(r, names), ...rollUpSections(r).slice(1)];
  const [why, ...rest] = riskSections(s, names);
  return [...out, why!, ...quality, ...rest, serviceSection(r, names), ...rollUpSections(r), impactedSection(r, names)];
}

/**
 * Text as Markdown that stays text: no emphasis, links, HTML, character references (`&#x202e;` is a bidi override
 * to a renderer; found by a tester) or table cells from the data, and no block from its
 * start (a heading, quote, list item or setext underline), as where it starts a line (a description's line after
 * a hard break: "# not a heading" became one, found by a change manager), and no reordering (bidi controls escaped).
 */
export function mdEscape(s: string | null | undefined): string {
  // Enough to keep data from becoming markup (emphasis, links, HTML, table cells); the rest reads as typed. Bidi
  // controls read `\u202e` (after the backslashes are escaped, so theirs stays single): one would reorder the names after it.
  return escapeBidi(
    (s ?? '')
      .replace(/[\\`*_{}[\]<|~&]/g, (c) => `\\${c}`)
      .replace(/\r?\n/g, ' ')
      .replace(/^(\s*)([#>+=-])/, '$1\\$2')
      .replace(/^(\s*\d{1,9})([.)])/, '$1\\$2'),
  );
}

function mdCell(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'number') return String(c);
  return typeof c === 'string' ? mdEscape(c) : c.md;
}

function markdown(s: ReportSubject, generatedAt: string): string {
  const r = s.result;
  const lines: string[] = [`# ${mdEscape(titleOf(s))}`, ''];
  if (r.direction === 'downstream') lines.push(`- **Risk:** ${riskHeadline(r.risk)}`);
  for (const [label, value] of metaRows(s, generatedAt)) lines.push(`- **${label}:** ${mdEscape(value)}`);
  lines.push('');
  for (const sec of sections(s)) {
    lines.push(`## ${mdEscape(sec.heading)}`, '');
    // A preformatted paragraph (a change's description: its rollback plan's steps) keeps its lines, as hard breaks.
    for (const p of sec.paragraphs ?? []) lines.push(sec.preformatted ? p.split(/\r?\n/).map(mdEscape).join('  \n') : mdEscape(p), '');
    if (sec.bullets) lines.push(...sec.bullets.map((b) => `- ${mdEscape(b)}`), '');
    if (sec.table?.rows.length === 0) lines.push('None.', '');
    else if (sec.table) {
      lines.push(`| ${sec.table.head.map(mdEscape).join(' | ')} |`, `|${' --- |'.repeat(sec.table.head.length)}`);
      for (const row of sec.table.rows) lines.push(`| ${row.map(mdCell).join(' | ')} |`);
      lines.push('');
    }
    for (const n of sec.notes ?? []) lines.push(`_${mdEscape(n)}_`, '');
  }
  return lines.join('\n');
}

/** A run of more than 40 characters without a space (a 20,000-character name, a long URL) may break anywhere. */
const LONG_RUN = /(\S{41,})/;

/**
 * Text in an element of the page, escaped (htmlText), each long run without a space in a span that may break
 * anywhere (`.run`): it wraps inside its table cell, so the table stays as wide as the page (a printed report ran
 * off it). Only those runs: `overflow-wrap: anywhere` on every cell lets a table squeeze its columns until their
 * words break ("Ch|an|ged"), and `break-word` leaves a table as wide as its longest word.
 */
function esc(s: string | number | null | undefined): string {
  return String(s ?? '')
    .split(LONG_RUN)
    .map((part, i) => (i % 2 === 0 ? htmlText(part) : `<span class="run">${htmlText(part)}</span>`))
    .join('');
}

function htmlCell(c: Cell): string {
  return c !== null && typeof c === 'object' ? c.html : esc(c);
}

const RISK_COLOURS: Record<string, string> = {
  none: '#4b5563',
  low: '#166534',
  medium: '#92400e',
  high: '#b45309',
  critical: '#b91c1c',
};

function htmlSection(sec: Section): string {
  const parts = [`<h2>${esc(sec.heading)}</h2>`];
  for (const p of sec.paragraphs ?? []) parts.push(`<p${sec.preformatted ? ' class="desc"' : ''}>${esc(p)}</p>`);
  if (sec.bullets) parts.push(`<ul>${sec.bullets.map((b) => `<li>${esc(b)}</li>`).join('')}</ul>`);
  // A table of no rows (nothing impacted, say) reads as a header with nothing under it.
  if (sec.table?.rows.length === 0) parts.push('<p>None.</p>');
  else if (sec.table)
    parts.push(
      `<table><thead><tr>${sec.table.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${sec.table.rows
        .map((row) => `<tr>${row.map((x) => `<td>${htmlCell(x)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`,
    );
  for (const n of sec.notes ?? []) parts.push(`<p class="note">${esc(n)}</p>`);
  return parts.join('\n');
}

function html(s: ReportSubject, generatedAt: string): string {
  const r = s.result;
  const title = titleOf(s);
  // Upstream lists dependencies: nothing breaks, so no risk badge.
  const riskStyle =
    r.direction === 'downstream'
      ? `  .risk { display: inline-block; padding: 4px 12px; color: #fff; font-weight: 700; border-radius: 4px; letter-spacing: .05em; -webkit-print-color-adjust: exact; print-color-adjust: exact; background: ${RISK_COLOURS[r.risk.level]}; }\n`
      : '';
  const risk = r.direction === 'downstream' ? `<p><span class="risk">RISK: ${esc(riskHeadline(r.risk))}</span></p>\n` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${htmlText(title)}</title>
<style>
  body { font: 13px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #111827; margin: 24px; }
  h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 22px 0 6px; border-bottom: 1px solid #d1d5db; padding-bottom: 2px; }
  .meta { color: #374151; } .meta td { padding: 1px 12px 1px 0; border: 0; }
${riskStyle}  table { border-collapse: collapse; width: 100%; margin: 4px 0; } th, td { border: 1px solid #d1d5db; padding: 3px 6px; text-align: left; vertical-align: top; }
  th { background: #f3f4f6; } tr { page-break-inside: avoid; }
  .st { font-weight: 600; } .st-down { color: #b91c1c; } .st-degraded { color: #b45309; } .st-changed { color: #1d4ed8; }
  .rel { color: #6b7280; font-size: 11px; white-space: nowrap; } .why { color: #4b5563; font-size: 11px; } .note { color: #4b5563; font-size: 12px; }
  .desc { white-space: pre-wrap; } .run { white-space: normal; overflow-wrap: anywhere; }
  @media print { body { margin: 10mm; } h2 { page-break-after: avoid; } thead { display: table-header-group; } }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
${risk}<table class="meta"><tbody>
${metaRows(s, generatedAt)
  .map(([label, value]) => `<tr><td>${esc(label)}</td><td>${esc(value)}</td></tr>`)
  .join('\n')}
</tbody></table>
${sections(s).map(htmlSection).join('\n')}
<p class="note">Generated by CMDB Explorer.</p>
</body>
</html>
`;
}
