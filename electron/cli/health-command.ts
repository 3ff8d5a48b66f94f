/**
 * `cmdb health`: the CMDB's health score, each rule's counts and the first
 * findings of each, or every finding as JSON; `--fail-on` makes it a gate
 * for scripts (a score below N, or any finding of a rule).
 */
import type { Command } from 'commander';
import { formatCount, formatCountOf } from '../../shared/format.js';
import { CmdbError } from '../../shared/errors.js';
import { findingsText, HEALTH_RULES, type HealthReport, type HealthRuleId } from '../../shared/health.js';
import { readRulesFile } from '../cmdb/health/rules-file.js';
import type { CmdbService } from '../cmdb/service.js';
import {
  action,
  cmdbCommand,
  dataFileFormat,
  emitDataFile,
  parseInteger,
  requestMax,
  shellWord,
  table,
  unwrap,
  withCommon,
  withService,
  type GlobalOpts,
  outFile,
} from './common.js';
import { RISK_EXIT_CODE } from './impact-commands.js';
import { printLines, printResult } from './terminal.js';
import { refuseOverwrites } from './output-paths.js';

/** Exit code when --fail-on trips: the same as `cmdb impact --fail-on` (3), distinct from errors (1) and bad usage (2). */
export const HEALTH_EXIT_CODE = RISK_EXIT_CODE;
/** Findings shown per rule in the text output unless --limit says otherwise. */
export const FINDINGS_PER_RULE = 3;

type FailOn = { score: number } | { rule: HealthRuleId };

const ruleList = () => HEALTH_RULES.join(', ');

function parseRule(option: string, v: string): HealthRuleId {
  const id = v.trim().toLowerCase();
  if (!(HEALTH_RULES as readonly string[]).includes(id))
    throw new CmdbError('INVALID_REQUEST', `${option} must be a rule id (${ruleList()}), not "${v}".`);
  return id as HealthRuleId;
}

/** `--fail-on 80` (a score, 0 to 100) or `--fail-on duplicate` (a rule id). */
export function parseFailOn(v: string | undefined): FailOn | undefined {
  if (v === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(v)) {
    const score = Number(v);
    if (score > 100)
      throw new CmdbError('INVALID_REQUEST', `--fail-on takes a score from 0 to 100 or a rule id (${ruleList()}), not "${v}".`);
    return { score };
  }
  if (!(HEALTH_RULES as readonly string[]).includes(v.trim().toLowerCase()))
    throw new CmdbError('INVALID_REQUEST', `--fail-on takes a score from 0 to 100 or a rule id (${ruleList()}), not "${v}".`);
  return { rule: parseRule('--fail-on', v) };
}

/**
 * Refuses (a usage error, exit 2) --rule or --fail-on naming a rule the rules file turns off: the rule
 * never runs, so it has no findings to list or to fail on, and a gate on it would always pass.
 */
function refuseOffRules(report: HealthReport, named: Array<[option: string, rule: HealthRuleId | undefined]>): void {
  for (const [option, id] of named) {
    if (id === undefined || report.rules.find((r) => r.rule === id)?.enabled !== false) continue;
    const file = report.rulesFile ?? 'the rules file';
    throw new CmdbError(
      'INVALID_REQUEST',
      `${option} ${id}: the rule ${id} is off in ${file} ("${id}": { "enabled": false }), so it never runs and has no findings. ` +
        `Turn it on there ("enabled": true, or remove "enabled"), or leave ${option} out.`,
    );
  }
}

/** Sets the exit code, saying why on stderr, when the gate trips. */
function checkFailOn(report: HealthReport, failOn: FailOn | undefined): void {
  if (!failOn) return;
  let why: string | null = null;
  if ('score' in failOn && report.score < failOn.score) why = `health score ${report.score} is below --fail-on ${failOn.score}`;
  if ('rule' in failOn) {
    const r = report.rules.find((x) => x.rule === failOn.rule);
    if (r && r.findings > 0)
      why = `rule ${r.rule} has ${formatCount(r.findings)} finding${r.findings === 1 ? '' : 's'} (--fail-on ${r.rule})`;
  }
  if (why === null) return;
  printLines([`cmdb: ${why}.`], 'stderr');
  process.exitCode = HEALTH_EXIT_CODE;
}

/** The report for a person: score and parts, a table of the rules, then the first findings of each rule that has any. */
export function healthLines(
  report: HealthReport,
  byRule: Map<HealthRuleId, HealthReport['findings']>,
  opts: HealthOpts,
  only?: HealthRuleId,
): string[] {
  // The command that lists a rule's other findings: on the same CMDB, with the same rules file.
  const rulesFile = opts.rules ? ['--rules', shellWord(opts.rules)] : [];
  const rest = (rule: HealthRuleId) => cmdbCommand(opts, 'health', '--rule', rule, ...rulesFile, '--limit', 'N');
  const p = report.parts;
  const lines = [
    `Health: ${report.score}/100 (completeness ${p.completeness}, correctness ${p.correctness}, compliance ${p.compliance}); ` +
      `findings: ${findingsText(report.rules)}; ` +
      `${formatCountOf(report.cis, 'CI', 'CIs')}, ${formatCountOf(report.relationships, 'relationship', 'relationships')}; rules: ${report.rulesFile ?? 'the defaults'}.`,
    ...report.warnings.map((w) => `Warning: ${report.rulesFile ?? 'the rules'}: ${w}`),
    '',
    ...table([
      ['RULE', 'PART', 'SEVERITY', 'FINDINGS', 'CIS', 'WHAT'],
      ...report.rules.map((r) => [
        r.rule,
        r.part,
        r.severity,
        r.enabled ? formatCount(r.findings) : 'off',
        r.enabled ? formatCount(r.cis) : '-',
        r.label,
      ]),
    ]),
  ];
  // Findings of the rules asked about that --limit 0 left out: said once, not dropped without a word.
  let unlisted = 0;
  for (const r of report.rules) {
    const shown = byRule.get(r.rule) ?? [];
    if (!r.enabled || r.findings === 0) continue;
    if (shown.length === 0) {
      if (byRule.has(r.rule)) unlisted += r.findings;
      continue;
    }
    lines.push('', `${r.rule} (${formatCount(r.findings)}):`);
    for (const f of shown) lines.push(`  - ${f.message}`);
    if (r.findings > shown.length)
      lines.push(`  ... and ${formatCount(r.findings - shown.length)} more: ${rest(r.rule)} (or --json for all)`);
  }
  if (unlisted > 0) {
    const list = cmdbCommand(opts, 'health', ...(only ? ['--rule', only] : []), ...rulesFile, '--limit', 'N');
    lines.push(
      '',
      `${formatCountOf(unlisted, 'finding', 'findings')} not listed (--limit 0): ${list} lists ${only ? 'N' : 'N of each rule'} (or --json for all)`,
    );
  }
  lines.push(...noFindingsLines(report, only));
  return lines;
}

/** "No findings" when the rules asked about found none, naming the rules that are off (they did not run, so found nothing). */
function noFindingsLines(report: HealthReport, only: HealthRuleId | undefined): string[] {
  const asked = report.rules.filter((r) => only === undefined || r.rule === only);
  if (asked.some((r) => r.enabled && r.findings > 0)) return [];
  const off = asked.filter((r) => !r.enabled).map((r) => r.rule);
  if (only !== undefined) return ['', off.length > 0 ? `${only} is off in the rules file: it did not run.` : `No findings of ${only}.`];
  if (off.length === 0) return ['', 'No findings.'];
  return ['', `No findings from the rules that ran (off in the rules file, so not run: ${off.join(', ')}).`];
}

interface HealthOpts extends GlobalOpts {
  rules?: string;
  failOn?: string;
  rule?: string;
  limit?: string;
  format?: string;
  out?: string;
}

/** The report and the first `perRule` findings of each rule (or of `rule` only). */
async function fetchReport(
  svc: CmdbService,
  req: { rules?: ReturnType<typeof readRulesFile>; rule?: HealthRuleId },
  perRule: number,
): Promise<{ report: HealthReport; byRule: Map<HealthRuleId, HealthReport['findings']> }> {
  const report = await unwrap(svc.call('health', { ...req, limit: 0 }));
  const byRule = new Map<HealthRuleId, HealthReport['findings']>();
  for (const r of report.rules) {
    if (r.findings === 0 || (req.rule && r.rule !== req.rule)) continue;
    byRule.set(r.rule, (await unwrap(svc.call('health', { ...req, rule: r.rule, limit: perRule }))).findings);
  }
  return { report, byRule };
}

export function registerHealthCommand(program: Command): void {
  withCommon(program.command('health'))
    .description("the CMDB health score, each rule's findings (duplicates, orphans, missing owners, stale CIs, ...) and what to do")
    .option('--rules <file>', 'a JSON rules file (docs/health.md "Rules file"; default: <cmdb file>.health.json when it exists)')
    .option('--fail-on <score|rule>', `exit ${HEALTH_EXIT_CODE} when the score is below SCORE (0-100), or when rule RULE has any finding`)
    .option('--rule <id>', `only this rule's findings (${ruleList()})`)
    .option('--limit <n>', `findings shown per rule (default ${FINDINGS_PER_RULE}); with --json, findings listed (default all)`)
    .option(
      '--format <format>',
      'write every finding as csv (a row per CI of each finding, with its name, type and owner), md (Markdown) or json instead of the report',
    )
    .option(
      '--out <file>',
      'write the findings to this file (.csv, .md or .json: the extension picks the format); - or none: standard output',
    )
    .action(
      action(async (given: HealthOpts) => {
        const opts = { ...given, out: outFile(given.out) };
        const failOn = parseFailOn(opts.failOn);
        const rule = opts.rule === undefined ? undefined : parseRule('--rule', opts.rule);
        const limit = parseInteger('--limit', opts.limit, 0, requestMax('health', 'limit'));
        const rules = opts.rules === undefined ? undefined : readRulesFile(opts.rules);
        // The CMDB named as the output is refused first, whatever its extension.
        refuseOverwrites(opts.db, [['--out', opts.out]]);
        const format = dataFileFormat(opts);
        await withService(opts, 'read', async (svc) => {
          const req = { ...(rules ? { rules } : {}), ...(rule ? { rule } : {}) };
          if (format) {
            const file = await unwrap(svc.call('exportHealth', { ...req, format, ...(opts.rules ? { rulesName: opts.rules } : {}) }));
            emitDataFile(opts.out, file.content, 'Health findings');
            if (failOn) checkFailOn(withFile(await unwrap(svc.call('health', { ...req, limit: 0 })), opts.rules), failOn);
            return;
          }
          const perRule = limit ?? FINDINGS_PER_RULE;
          const fetched = opts.json
            ? { report: await unwrap(svc.call('health', { ...req, limit: limit ?? requestMax('health', 'limit') })), byRule: new Map() }
            : await fetchReport(svc, req, perRule);
          const report = withFile(fetched.report, opts.rules);
          refuseOffRules(report, [
            ['--rule', rule],
            ['--fail-on', failOn && 'rule' in failOn ? failOn.rule : undefined],
          ]);
          printResult(opts, report, (r) => healthLines(r, fetched.byRule, opts, rule));
          checkFailOn(report, failOn);
        });
      }),
    );
}

/** The report naming the rules file given with --rules (the service saw its rules inline). */
function withFile(report: HealthReport, file: string | undefined): HealthReport {
  return file === undefined ? report : { ...report, rulesFile: file };
}
