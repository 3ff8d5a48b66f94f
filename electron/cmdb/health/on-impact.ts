/**
 * Health of a change (issue 18): the data-quality findings on the CIs an
 * impact answer names (its listed impacted CIs and every CI on their
 * explanation paths), per rule, per CI, and in sentences for the board: one
 * overall, then one per impacted business service whose explanation path
 * crosses CIs with findings ("The path to Checkout (SVC-checkout) crosses 2
 * CIs without an owner; 1 possible duplicate."), the most important first.
 */
import { formatCount, formatCountOf } from '../../../shared/format.js';
import { ruleCount, severityRank } from '../../../shared/health-phrases.js';
import { type HealthConfig, type HealthRuleId, HEALTH_RULES, type ImpactHealth } from '../../../shared/health.js';
import type { ImpactResult } from '../../../shared/impact.js';
import { ciLabel } from '../../../shared/ci-label.js';

/** Keys named per rule in `byRule` (the count covers all). */
export const HEALTH_KEYS_SHOWN = 10;
/** Business services given a note of their own; the others are counted in one more sentence. */
export const PATH_NOTES_SHOWN = 5;

/** Finds the rules on CIs by key (CIs with none left out). */
export type RulesForKeys = (keys: readonly string[]) => ReadonlyMap<string, readonly HealthRuleId[]>;

/**
 * RulesForKeys from a finder by CI row (HealthService.rulesForCis: the
 * estate report's rules per CI when it is current, else the engine's rules
 * run for just these CIs) and the rows of the CIs the answer names
 * (ImpactAnswer.rows, read with the answer).
 */
export function byRows<R extends { id: number; key: string }>(
  rows: ReadonlyMap<string, R>,
  rulesFor: (rows: R[]) => ReadonlyMap<number, readonly HealthRuleId[]>,
): RulesForKeys {
  return (keys) => {
    const asked: R[] = [];
    for (const k of keys) {
      const row = rows.get(k);
      if (row !== undefined) asked.push(row);
    }
    const keyOf = new Map(asked.map((r) => [r.id, r.key]));
    const out = new Map<string, readonly HealthRuleId[]>();
    for (const [id, rules] of rulesFor(asked)) {
      // A finder may name other CIs of the same findings (a group's members): only the CIs asked about count.
      const key = keyOf.get(id);
      if (key !== undefined) out.set(key, rules);
    }
    return out;
  };
}

/**
 * The keys an answer names: the listed CIs, the most severe first, then the
 * other CIs on their paths (which an equally short path may swap for others).
 */
function keysOf(result: ImpactResult): string[] {
  const keys = new Set<string>(result.impacted.map((ci) => ci.key));
  for (const ci of result.impacted) for (const step of ci.path) keys.add(step.key);
  return [...keys];
}

/** Per rule, the CIs (keys) it fired on among `keys`, in their order. */
function tallyRules(keys: Iterable<string>, byKey: ReadonlyMap<string, readonly HealthRuleId[]>): Map<HealthRuleId, string[]> {
  const out = new Map<HealthRuleId, string[]>();
  for (const key of keys) {
    for (const rule of byKey.get(key) ?? []) {
      let list = out.get(rule);
      if (!list) out.set(rule, (list = []));
      list.push(key);
    }
  }
  return out;
}

/** Rules by severity (per the rules' settings), then by how many CIs, then in HEALTH_RULES order. */
function ranked(tally: Map<HealthRuleId, string[]>, config: HealthConfig): Array<[HealthRuleId, string[]]> {
  return [...tally].sort(
    ([a, ka], [b, kb]) =>
      severityRank(config.severity[b]) - severityRank(config.severity[a]) ||
      kb.length - ka.length ||
      HEALTH_RULES.indexOf(a) - HEALTH_RULES.indexOf(b),
  );
}

const summary = (rows: Array<[HealthRuleId, string[]]>) => rows.map(([rule, keys]) => ruleCount(rule, keys.length)).join('; ');

/** Services named in one sentence before "and N more". */
const SERVICES_NAMED = 3;

/**
 * One sentence per kind of finding on the paths to impacted business
 * services: services whose paths cross the same counts share it ("The paths
 * to Checkout (bs-checkout) and Mobile App (bs-mobile-app) each cross 1 CI
 * without an owner."), the most severe first, then the most findings.
 */
function pathNotes(result: ImpactResult, byKey: ReadonlyMap<string, readonly HealthRuleId[]>, config: HealthConfig): string[] {
  const listed = new Map(result.impacted.map((ci) => [ci.key, ci]));
  const bySummary = new Map<string, { services: string[]; worst: number; count: number; at: number }>();
  result.businessServices.forEach((service, at) => {
    const ci = listed.get(service.key);
    if (!ci) return;
    const onPath = new Set(ci.path.map((s) => s.key));
    onPath.add(ci.key);
    const rows = ranked(tallyRules(onPath, byKey), config);
    if (rows.length === 0) return;
    const text = summary(rows);
    let note = bySummary.get(text);
    if (!note) {
      note = { services: [], worst: severityRank(config.severity[rows[0]![0]]), count: rows.reduce((n, [, k]) => n + k.length, 0), at };
      bySummary.set(text, note);
    }
    note.services.push(`${service.name} (${service.key})`);
  });
  const notes = [...bySummary].sort(([, a], [, b]) => b.worst - a.worst || b.count - a.count || a.at - b.at);
  const shown = notes.slice(0, PATH_NOTES_SHOWN).map(([text, { services }]) => {
    if (services.length === 1) return `The path to ${services[0]} crosses ${text}.`;
    const named = services.slice(0, SERVICES_NAMED);
    const rest = services.length - named.length;
    const list = rest > 0 ? `${named.join(', ')} and ${formatCount(rest)} more` : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
    return `The paths to ${list} each cross ${text}.`;
  });
  const more = notes.slice(PATH_NOTES_SHOWN).reduce((n, [, { services }]) => n + services.length, 0);
  if (more > 0) {
    shown.push(`The paths to ${formatCount(more)} more business ${more === 1 ? 'service cross' : 'services cross'} CIs with findings too.`);
  }
  return shown;
}

/** How to have every CI of an answer checked: a report lists (and checks) them all. */
const CHECK_ALL = 'list them, or export the report (it checks them all), to check them';

/** What the answer's CIs are: impacted, or (asked upstream) dependencies (found by a tester: "impacted" read as breakage). */
function answerCis(result: ImpactResult): { one: string; many: string; of: string } {
  return result.direction === 'upstream'
    ? { one: 'dependency', many: 'dependencies', of: 'dependencies' }
    : { one: 'impacted CI', many: 'impacted CIs', of: 'impacted' };
}

/** The overall sentence: how many of the CIs the answer names have findings, and which. */
function overallNote(result: ImpactResult, named: number, flagged: number, rows: Array<[HealthRuleId, string[]]>): string {
  const w = answerCis(result);
  // Not every impacted CI listed (a limit, or a depth: `truncated` says only the limit's): the rest were not checked.
  const partial = result.counts.total > result.impacted.length;
  const of = partial
    ? `the ${formatCountOf(named, 'CI', 'CIs')} listed here and on ${named === 1 ? 'its' : 'their'} paths (of ${formatCount(result.counts.total)} ${w.of})`
    : formatCountOf(named, w.one, w.many);
  const found = `${formatCount(flagged)} of ${of} ${flagged === 1 ? 'has' : 'have'} data-quality findings: ${summary(rows)}.`;
  // The rest were not checked, and the report checks them all: a CAB chair read 50 findings on screen and 11,126 in
  // the report handed round (found by a CAB chair).
  const unchecked = result.counts.total - named;
  return partial && unchecked > 0
    ? `${found} The other ${formatCountOf(unchecked, `${w.one} is`, `${w.many} are`)} not listed, so not checked: ${CHECK_ALL}.`
    : found;
}

/**
 * No finding on the CIs listed, where not every impacted CI is listed (a limit or a depth): those others are not
 * checked, and saying "no findings on the impacted CIs" claimed the whole answer clean (found by a tester).
 */
function unlistedNote(result: ImpactResult): string[] {
  const unlisted = result.counts.total - result.impacted.length;
  if (unlisted <= 0) return [];
  const w = answerCis(result);
  if (result.impacted.length === 0)
    return [`No ${w.one} is listed here, so none of the ${formatCount(unlisted)} was checked for data quality: ${CHECK_ALL}.`];
  return [
    `No findings on the ${formatCountOf(result.impacted.length, 'CI', 'CIs')} listed here or on their paths; the other ${formatCountOf(unlisted, `${w.one} is`, `${w.many} are`)} not listed, so not checked: ${CHECK_ALL}.`,
  ];
}

/**
 * The redundancy group members the answer counts as already down because their status says they are not running
 * (ImpactResult.notRunning), in a sentence: a status wrong in the CMDB makes the answer wrong. None: no sentence.
 */
export function notRunningNotes(result: Pick<ImpactResult, 'notRunning'>): string[] {
  const n = result.notRunning;
  if (!n || n.count === 0) return [];
  const named = n.members.map((m) => `${ciLabel(m)}, ${m.status}`);
  const more = n.count - named.length;
  const one = n.count === 1;
  return [
    `${formatCountOf(n.count, 'redundancy group member counts', 'redundancy group members count')} as already down because ${one ? 'its status says it is' : 'their status says they are'} not running: ${named.join('; ')}${more > 0 ? ` and ${formatCount(more)} more` : ''}.`,
  ];
}

/**
 * The health of an impact answer. `rulesFor` finds the rules on CIs by key
 * (byRows over HealthService.rulesForCis). No findings: empty lists, and no notes but those of the members not running.
 */
export function impactHealth(result: ImpactResult, config: HealthConfig, rulesFor: RulesForKeys): ImpactHealth {
  const keys = keysOf(result);
  const byKey = rulesFor(keys);
  const idle = notRunningNotes(result);
  if (byKey.size === 0) return { byRule: [], notes: [...unlistedNote(result), ...idle], byKey: {} };
  const rows = ranked(tallyRules(keys, byKey), config);
  return {
    byRule: rows.map(([rule, ruleKeys]) => ({
      rule,
      severity: config.severity[rule],
      cis: ruleKeys.length,
      keys: ruleKeys.slice(0, HEALTH_KEYS_SHOWN),
    })),
    notes: [overallNote(result, keys.length, byKey.size, rows), ...idle, ...pathNotes(result, byKey, config)],
    byKey: Object.fromEntries(keys.filter((k) => byKey.has(k)).map((k) => [k, [...byKey.get(k)!]])),
  };
}
