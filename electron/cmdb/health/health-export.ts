/**
 * The health findings as a file for an audit, or to route the work to the
 * teams: CSV (one row per CI of each finding, with the CI's name, type and
 * owner, so a spreadsheet filters a team's findings), Markdown (the score,
 * the rules' table, then each rule's findings) or JSON (the report with every
 * finding, and the CIs it names). Every finding, whatever the screen or the
 * terminal lists; a rule or a search asked for narrows it, and the file says
 * so. CSV goes through the one CSV writer (shared/csv.ts), with its formula
 * guard; Markdown escapes data as the impact reports do. Found missing by a
 * tester preparing an audit.
 */
import { basename, resolve } from 'node:path';
import type { DataExportFormat } from '../../../shared/domain.js';
import { dataFile } from '../export-file.js';
import { formatCount, formatCountOf } from '../../../shared/format.js';
import { findingsText, type HealthReport, type HealthRuleId, RULE_INFO } from '../../../shared/health.js';
import type { Db } from '../db.js';
import { mdEscape, slug } from '../impact/report.js';

const HEALTH_CSV_HEADER = ['finding', 'rule', 'severity', 'part', 'key', 'name', 'type', 'owner', 'message'];

/** A CI a finding names, as the file shows it. */
export interface FindingCi {
  key: string;
  name: string;
  type: string;
  owner: string | null;
}

/** What the file is of: the CMDB's file, when it was read, and what narrowed it. */
export interface HealthExportInput {
  report: HealthReport;
  cis: ReadonlyMap<string, FindingCi>;
  cmdbFile: string;
  rule?: HealthRuleId | undefined;
  query?: string | undefined;
}

/** The name, type and owner of each CI the findings name, by key. */
export function findingCis(db: Db, report: HealthReport): Map<string, FindingCi> {
  const keys = [...new Set(report.findings.flatMap((f) => f.keys))];
  const out = new Map<string, FindingCi>();
  const read = db.prepare('SELECT key, name, type, owner FROM cis WHERE key IN (SELECT value FROM json_each(?))');
  for (let i = 0; i < keys.length; i += 50_000)
    for (const c of read.all(JSON.stringify(keys.slice(i, i + 50_000))) as FindingCi[]) out.set(c.key, c);
  return out;
}

/** What narrowed the findings, in words; null for every finding. */
function narrowed(x: HealthExportInput): string | null {
  const parts = [x.rule ? `rule ${x.rule}` : null, x.query ? `CIs matching "${x.query}"` : null].filter(Boolean);
  return parts.length > 0 ? `only ${parts.join(', ')}` : null;
}

/** One row per CI of each finding (numbered from 1, in the report's order: most severe first). */
function rows(x: HealthExportInput): string[][] {
  const out: string[][] = [];
  x.report.findings.forEach((f, i) => {
    for (const key of f.keys) {
      const c = x.cis.get(key);
      out.push([String(i + 1), f.rule, f.severity, RULE_INFO[f.rule].part, key, c?.name ?? '', c?.type ?? '', c?.owner ?? '', f.message]);
    }
  });
  return out;
}

function markdown(x: HealthExportInput): string {
  const r = x.report;
  const p = r.parts;
  const only = narrowed(x);
  const lines = [
    `# Health of ${mdEscape(basename(x.cmdbFile))}`,
    '',
    mdEscape(
      `Score ${r.score}/100 (completeness ${p.completeness}, correctness ${p.correctness}, compliance ${p.compliance}); ` +
        `findings: ${findingsText(r.rules)}; ${formatCountOf(r.cis, 'CI', 'CIs')}, ${formatCountOf(r.relationships, 'relationship', 'relationships')}.`,
    ),
    '',
    mdEscape(`CMDB ${x.cmdbFile}, read ${r.computedAt}; rules: ${r.rulesFile ?? 'the defaults'}.`),
    ...(only ? ['', mdEscape(`Findings listed: ${only} (${formatCount(r.findings.length)}).`)] : []),
    '',
    '| Rule | Part | Severity | Findings | CIs | What |',
    '| --- | --- | --- | --- | --- | --- |',
    ...r.rules.map(
      (s) =>
        `| ${s.rule} | ${s.part} | ${s.severity} | ${s.enabled ? formatCount(s.findings) : 'off'} | ${s.enabled ? formatCount(s.cis) : '-'} | ${mdEscape(s.label)} |`,
    ),
  ];
  for (const s of r.rules) {
    const of = r.findings.filter((f) => f.rule === s.rule);
    if (of.length === 0) continue;
    lines.push('', `## ${mdEscape(s.label)} (${s.rule}, ${formatCount(of.length)})`, '');
    for (const f of of) lines.push(`- ${mdEscape(f.message)}`);
  }
  if (r.findings.length === 0) lines.push('', only ? `No findings (${mdEscape(only)}).` : 'No findings.');
  return `${lines.join('\n')}\n`;
}

/** The findings as a file's name, type and content. */
export function healthFile(given: HealthExportInput, format: DataExportFormat): { filename: string; mime: string; content: string } {
  // The CMDB named by its whole path: an audit's file says which CMDB it was read from.
  const x = given.cmdbFile === ':memory:' ? given : { ...given, cmdbFile: resolve(given.cmdbFile) };
  const base = `health-${slug(basename(x.cmdbFile).replace(/\.[^.]*$/, ''), 'cmdb')}${x.rule ? `-${x.rule}` : ''}`;
  return dataFile(base, format, {
    csvRows: () => [HEALTH_CSV_HEADER, ...rows(x)],
    markdown: () => markdown(x),
    json: () => ({
      cmdb: x.cmdbFile,
      only: narrowed(x),
      ...x.report,
      cis: Object.fromEntries([...x.cis.values()].map((c) => [c.key, { name: c.name, type: c.type, owner: c.owner }])),
    }),
  });
}
