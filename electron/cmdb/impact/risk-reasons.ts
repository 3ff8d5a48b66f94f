/**
 * Why a change's risk is what it is, in words, by the rules of shared/risk.ts:
 * the most critical impacted business services (down before degraded) and
 * the other CIs that bring the level (at least two of them when there are),
 * at most REASONS_SHOWN with "and N more", those that set the level first;
 * and the impacted CIs whose criticality is
 * unknown, counted and the first few named apart (first when every impacted CI is unknown, so a level
 * computed from nothing known never reads as a plain "low").
 */
import { ciLabel } from '../../../shared/ci-label.js';
import { cutList, formatCount } from '../../../shared/format.js';
import { type ImpactResult, RISK_LEVELS } from '../../../shared/impact.js';
import { riskCouldReach } from '../../../shared/risk.js';
import { criticalityRank } from '../../../shared/vocab.js';
import type { CiAttrs } from './ci-attrs.js';
import { type ImpactRun, STATE_DOWN } from './engine.js';
import { cmp, downForRisk, nodeRisk, type Tally } from './rollups.js';

export const REASONS_SHOWN = 8;
/** The CIs of unknown criticality the reason names, before "and N more". */
export const UNKNOWN_SHOWN = 5;
/** Reasons kept for the CIs other than business services that bring the level, however many services are impacted. */
const OTHERS_KEPT = 2;

interface ReasonCi {
  key: string;
  name: string;
  type: string;
  criticality: string | null;
}

/**
 * The CIs the reasons name, before their rows are fetched: business services, then up to REASONS_SHOWN others at
 * the worst level. Ties go to the nearer CI, then the lower SQLite id (`idOf`), so the same question names the same
 * CIs whatever order the search met them in (an index patched after edits numbers its nodes otherwise than a fresh one).
 */
export function reasonNodes(
  run: ImpactRun,
  t: Tally,
  rankOf: (v: number) => number,
  idOf: (v: number) => number,
): { named: number[]; more: number } {
  if (run.direction !== 'downstream' || t.worst === 0) return { named: [], more: 0 };
  const isDown = (v: number) => downForRisk(run, v);
  const nearer = (a: number, b: number) => run.depth[a]! - run.depth[b]! || idOf(a) - idOf(b);
  const services = t.businessNodes.filter((v) => rankOf(v) > 0);
  services.sort((a, b) => rankOf(b) - rankOf(a) || (isDown(a) ? 0 : 1) - (isDown(b) ? 0 : 1) || nearer(a, b));
  // The REASONS_SHOWN nearest of the other CIs at the worst level, kept sorted as they are met.
  const others: number[] = [];
  let otherCount = 0;
  for (let i = 0; i < t.total; i++) {
    if (t.otherRisk[i] !== t.worst) continue;
    otherCount++;
    keepFirst(others, run.order[t.first + i]!, REASONS_SHOWN, nearer);
  }
  // Business services first, leaving room for up to OTHERS_KEPT of the other CIs at the worst level.
  const serviceRoom = REASONS_SHOWN - Math.min(OTHERS_KEPT, others.length);
  const shownServices = services.slice(0, serviceRoom);
  const named = [...shownServices, ...others.slice(0, REASONS_SHOWN - shownServices.length)];
  // The CIs that set the level first (a screen shows the first few reasons): a critical CI down before a
  // critical service degraded, which brings one level less; services first among equals (a stable sort).
  const brings = (v: number) => nodeRisk(run, v, rankOf(v));
  named.sort((a, b) => brings(b) - brings(a));
  return { named, more: services.length + otherCount - named.length };
}

/** Keeps `v` among the first `max` of `kept` (sorted by `before`), as the CIs are met. */
function keepFirst(kept: number[], v: number, max: number, before: (a: number, b: number) => number): void {
  if (kept.length === max && before(v, kept[max - 1]!) >= 0) return;
  let at = Math.min(kept.length, max - 1);
  kept[at] = v;
  while (at > 0 && before(kept[at]!, kept[at - 1]!) < 0) {
    [kept[at - 1], kept[at]] = [kept[at]!, kept[at - 1]!];
    at--;
  }
}

/**
 * The impacted CIs of unknown criticality the reason names (at most UNKNOWN_SHOWN): down before degraded (a changed
 * CI counts as degraded), the nearer first, then the lower SQLite id, whatever order the search met them in.
 */
export function unknownNodes(run: ImpactRun, t: Tally, rankOf: (v: number) => number, idOf: (v: number) => number): number[] {
  if (run.direction !== 'downstream' || t.unknownDown + t.unknownDegraded === 0) return [];
  const isDown = (v: number) => downForRisk(run, v);
  const before = (a: number, b: number) => (isDown(a) ? 0 : 1) - (isDown(b) ? 0 : 1) || run.depth[a]! - run.depth[b]! || idOf(a) - idOf(b);
  const kept: number[] = [];
  for (let i = 0; i < t.total; i++) {
    const v = run.order[t.first + i]!;
    if (rankOf(v) === 0) keepFirst(kept, v, UNKNOWN_SHOWN, before);
  }
  return kept;
}

/** The unknown-criticality figures of the answer, or undefined when every impacted CI's criticality is known. */
export function unknownOf(t: Tally, attrs: CiAttrs): NonNullable<ImpactResult['risk']['unknown']> | undefined {
  if (t.unknownDown + t.unknownDegraded === 0) return undefined;
  const n = attrs.criticality.values.length;
  const values: Array<{ value: string | null; count: number }> = [];
  for (let c = 0; c <= n; c++) {
    const count = t.unknownByCrit[c]!;
    if (count > 0) values.push({ value: c < n ? attrs.criticality.values[c]! : null, count });
  }
  values.sort((a, b) => b.count - a.count || cmp(a.value ?? '', b.value ?? ''));
  return { down: t.unknownDown, degraded: t.unknownDegraded, values };
}

/** The unknown-criticality reason, naming its first CIs (`cis`, from unknownNodes) by name and key. */
function unknownText(u: NonNullable<ImpactResult['risk']['unknown']>, cis: readonly ReasonCi[]): string {
  const n = u.down + u.degraded;
  const notSet = u.values.find((v) => v.value === null)?.count ?? 0;
  const odd = u.values.filter((v) => v.value !== null && criticalityRank(v.value) === 0);
  const parts: string[] = [];
  if (notSet > 0) parts.push(`${notSet} not set`);
  if (odd.length > 0) parts.push(`not on the scale: ${odd.map((v) => `"${v.value}" (${v.count})`).join(', ')}`);
  const named = cis.length > 0 ? ` The CI${n === 1 ? '' : 's, down first'}: ${cutList(cis.map(ciLabel), UNKNOWN_SHOWN, n)}.` : '';
  return `${n} impacted CI${n === 1 ? ' has' : 's have'} no known criticality (${u.down} down), so ${n === 1 ? 'its' : 'their'} risk is not assessed: ${parts.join('; ')}.${named}`;
}

/** The reasons in words. */
export function riskReasons(
  run: ImpactRun,
  t: Tally,
  named: readonly number[],
  more: number,
  unknown: ReturnType<typeof unknownOf>,
  ciOf: (v: number) => ReasonCi,
  unknownNamed: readonly number[] = [],
): string[] {
  if (run.direction === 'upstream') return ['Risk is assessed for downstream analyses (what a change breaks), not for dependencies.'];
  if (t.worst === 0) return ['Nothing is impacted.'];
  const reasons: string[] = [];
  for (const v of named) {
    const ci = ciOf(v);
    const verb =
      run.depth[v] === 0 ? 'is changed (its planned outage counts as degraded)' : run.state[v] === STATE_DOWN ? 'goes down' : 'is degraded';
    // Named as everywhere a person reads a CI (ciLabel): opaque keys (sys_ids, ARNs) after the name.
    reasons.push(`${ciLabel(ci)} ${verb}: ${ci.type}, criticality ${ci.criticality ?? 'not set'}`);
  }
  // Who the rest are: business services and CIs at the worst level, as those named (not every impacted CI).
  if (more > 0) reasons.push(`and ${formatCount(more)} more impacted CI${more === 1 ? '' : 's'} that raise the risk`);
  if (unknown) {
    // First when it is all there is, or when those CIs could raise the level (the screen shows the first few reasons).
    const text = unknownText(unknown, unknownNamed.map(ciOf));
    const allUnknown = unknown.down + unknown.degraded === t.changed + t.down + t.degraded;
    const couldRaise = riskCouldReach({ level: RISK_LEVELS[t.worst]!, unknown }) !== null;
    if (allUnknown || couldRaise) reasons.unshift(text);
    else reasons.push(text);
  }
  if (reasons.length === 0) reasons.push('No impacted CI has a known criticality: the level is the lowest that anything impacted brings.');
  return reasons;
}
