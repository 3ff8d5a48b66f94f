/**
 * `cmdb health`: the CMDB's health score, each rule's counts and the first
 * findings of each, or every finding as JSON; `--fail-on` makes it a gate
 * for scripts (a score below N, or any finding of a rule).
 */
import type { Command } from 'commander';
import { formatCount, formatCountOf } from '../../shared/format.js';
import { CmdbError } from '../../shared/errors.js';
import { HEALTH_RULES, type HealthReport, type HealthRuleId } from '../../shared/health.js';
import { readRulesFile } from '../cmdb/health/rules-file.js';
import type { CmdbService } from '../cmdb/service.js';
import { action, cmdbCommand, parseInteger, shellWord, table, unwrap, withCommon, withService, type GlobalOpts } from './common.js';
import { RISK_EXIT_CODE } from './impact-commands.js';
import { printLines, printResult } from './terminal.js';

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
  const rest = (rule: HealthRuleId) =>
    cmdbCommand(opts, 'health', '--rule', rule, ...(opts.rules ? ['--rules', shellWord(opts.rules)] : []), '--limit', 'N');
  const p = report.parts;
  const lines = [
    `Health: ${report.score}/100 (completeness ${p.completeness}, correctness ${p.correctness}, compliance ${p.compliance}); ` +
      `${formatCountOf(report.cis, 'CI', 'CIs')}, ${formatCountOf(report.relationships, 'relationship', 'relationships')}; rules: ${report.rulesFile ?? 'the defaults'}.`,
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
  for (const r of report.rules) {
    const shown = byRule.get(r.rule) ?? [];
    if (!r.enabled || r.findings === 0 || shown.length === 0) continue;
    lines.push('', `${r.rule} (${formatCount(r.findings)}):`);
    for (const f of shown) lines.push(`  - ${f.message}`);
    if (r.findings > shown.length)
      lines.push(`  ... and ${formatCount(r.findings - shown.length)} more: ${rest(r.rule)} (or --json for all)`);
  }
  if (report.rules.every((r) => r.findings === 0)) lines.push('', 'No findings.');
  else if (only && byRule.size === 0) lines.push('', `No findings of ${only}.`);
  return lines;
}

interface HealthOpts extends GlobalOpts {
  rules?: string;
  failOn?: string;
  rule?: string;
  limit?: string;
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
    .action(
      action(async (opts: HealthOpts) => {
        const failOn = parseFailOn(opts.failOn);
        const rule = opts.rule === undefined ? undefined : parseRule('--rule', opts.rule);
        const limit = parseInteger('--limit', opts.limit);
        const rules = opts.rules === undefined ? undefined : readRulesFile(opts.rules);
        await withService(opts, 'read', async (svc) => {
          const req = { ...(rules ? { rules } : {}), ...(rule ? { rule } : {}) };
          const perRule = limit ?? FINDINGS_PER_RULE;
          const fetched = opts.json
            ? { report: await unwrap(svc.call('health', { ...req, limit: limit ?? 1_000_000 })), byRule: new Map() }
            : await fetchReport(svc, req, perRule);
          const report = withFile(fetched.report, opts.rules);
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
