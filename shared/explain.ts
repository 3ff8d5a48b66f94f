/**
 * Impact explanations in words and arrows: the one formatter the CLI, the
 * screens and every report use. It renders what the engine decided (each
 * path step's `why`); it computes no rule of its own.
 */
import { ciLabel, type CiNamer, ciNamer, type NamedCi } from './ci-label.js';
import { cutList, formatCount, formatCountOf, SUBJECT_SHOWN } from './format.js';
import { edgeTypeLabel } from './graph-export.js';
import type {
  ChangeDiff,
  ImpactCiState,
  ImpactDirection,
  ImpactResult,
  ImpactState,
  NoContact,
  OtherChange,
  PathStep,
  RedundancyGroup,
  RiskLevel,
  StepWhy,
} from './impact.js';
import { riskCouldReach } from './risk.js';

/** The arrow of one step, the way the relationship runs: `-[depends_on]->` or `<-[depends_on]-`. */
export function stepArrow(step: Pick<PathStep, 'rel' | 'forward'>): string {
  const rel = step.rel ?? '';
  return step.forward === false ? `<-[${rel}]-` : `-[${rel}]->`;
}

/** Every CI an impact answer names with its name: the changed, listed and path CIs, services, single points and a baseline comparison's. */
export function impactNamer(r: ImpactResult, more: Iterable<NamedCi> = []): CiNamer {
  // A baseline comparison's CIs first: the answer's own names win; one deleted since is named by the baseline.
  const c = r.compare;
  const compared: NamedCi[] = c ? [...c.newlyImpacted, ...c.noLongerImpacted, ...c.stateChanged] : [];
  const cis: NamedCi[] = [...compared, ...r.changed, ...r.businessServices, ...(r.singlePoints ?? [])];
  for (const i of r.impacted) cis.push(i, ...i.path);
  return ciNamer([...more, ...cis]);
}

/** The members redundancy groups still have up on these CIs' paths: keys an answer gives without their names. */
export function upMemberKeys(rows: ReadonlyArray<{ path: readonly PathStep[] }>): string[] {
  const keys = new Set<string>();
  for (const i of rows) for (const s of i.path) for (const k of s.why?.group?.up ?? []) keys.add(k);
  return [...keys];
}

/** The keys among `keys` an impact answer does not name (`impactNamer` would read them as keys): to look up. */
export function unnamedKeys(r: ImpactResult, keys: Iterable<string>): string[] {
  const known = new Set([...r.changed, ...r.impacted, ...r.businessServices, ...(r.singlePoints ?? [])].map((c) => c.key));
  return [...new Set(keys)].filter((k) => !known.has(k));
}

/**
 * A path as text, each arrow in its relationship's own direction:
 * `db <-[depends_on]- app <-[depends_on]- svc` reads "app depends on db, svc
 * depends on app"; `node -[member_of]-> cluster` reads "node is a member of
 * cluster". With `why`, each step is followed by its reason in brackets.
 * With `names`, CIs read as a person reads them on a path (`CiNamer.step`);
 * without, by key (CSV).
 */
export function pathText(path: readonly PathStep[], opts: { why?: boolean; direction?: ImpactDirection; names?: CiNamer } = {}): string {
  const ci = (key: string) => opts.names?.step(key) ?? key;
  return path
    .map((s, i) => {
      if (i === 0) return ci(s.key);
      const reason = opts.why && s.why ? ` (${whyText(s.why, opts.direction ?? 'downstream', opts.names)})` : '';
      return `${stepArrow(s)} ${ci(s.key)}${reason}`;
    })
    .join(' ');
}

/** The CIs an answer is about, for a heading: the first few, each by `ciLabel`, then "and N more". */
export function subjectText(cis: readonly NamedCi[]): string {
  return cutList(cis.map(ciLabel));
}

function keysText(up: readonly string[], more: number, names: CiNamer | undefined): string {
  if (up.length === 0) return 'none';
  return `${up.map((k) => names?.step(k) ?? k).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/**
 * The members of a group already down before the change by their status, in words: "h3 already down: status
 * non-operational", or for several "already down by status: h3 non-operational, h4 maintenance and 2 more"; null when none.
 */
function notRunningText(g: RedundancyGroup, names: CiNamer | undefined): string | null {
  const list = g.notRunning ?? [];
  if (list.length === 0) return null;
  const name = (k: string) => names?.step(k) ?? k;
  const more = g.notRunningMore ?? 0;
  if (list.length === 1 && more === 0) return `${name(list[0]!.key)} already down: status ${list[0]!.status || 'not running'}`;
  return `already down by status: ${list.map((m) => `${name(m.key)} ${m.status}`).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** A group as a reason names it: `redundancy group "edge"`, or for an implicit one `members of ora-rac-prod`. */
function groupName(g: RedundancyGroup, names: CiNamer | undefined): string {
  return g.implicit ? `members of ${names?.step(g.label) ?? g.label}` : `redundancy group "${g.label}"`;
}

function notRunningSuffix(g: RedundancyGroup, names: CiNamer | undefined): string {
  const idle = notRunningText(g, names);
  return idle ? ` (${idle})` : '';
}

/**
 * Why one step carries impact, in words. Downstream: "redundancy group
 * "edge": lost 1 of 2, needs 1: lb-edge-prod-02 still up". Upstream: what the
 * CI needs of the dependency ("hard dependency, no redundancy: a single point of failure").
 */
export function whyText(why: StepWhy, direction: ImpactDirection = 'downstream', names?: CiNamer): string {
  const g = why.group;
  if (direction === 'upstream') {
    switch (why.kind) {
      case 'hard':
        return 'hard dependency, no redundancy';
      case 'group': {
        if (!g) return 'redundancy group';
        return `${groupName(g, names)}: ${g.members} member${g.members === 1 ? '' : 's'}${notRunningSuffix(g, names)}, needs ${g.minUp}${g.failed ? ', no spare' : ''}`;
      }
      case 'soft':
        return 'soft dependency';
      case 'shared':
        return 'needed through several dependencies at once';
      case 'carried':
        return 'dependency of a dependency';
    }
  }
  switch (why.kind) {
    case 'hard':
      return 'hard dependency, no redundancy';
    case 'group':
      if (!g) return 'redundancy group';
      return `${groupName(g, names)}: lost ${g.lost} of ${g.members}${notRunningSuffix(g, names)}, needs ${g.minUp}: ${
        g.failed
          ? g.up.length
            ? `only ${keysText(g.up, g.upMore, names)} still up`
            : 'none left'
          : `${keysText(g.up, g.upMore, names)} still up`
      }`;
    case 'soft':
      return 'soft dependency: degraded, not down';
    case 'carried':
      return 'degraded because its dependency is degraded';
    case 'shared':
      return 'several of its dependencies fail together';
  }
}

/** The state of an impacted CI in words: downstream changed/down/degraded; upstream what the dependency is to the CI asked about. */
export function stateText(state: ImpactCiState, changed: boolean, direction: ImpactDirection): string {
  if (direction === 'upstream') return state === 'down' ? 'single point of failure' : 'dependency';
  return changed ? 'changed' : state;
}

/** A relationship type's reading in words, as the registry labels it (`depends on`), else its name spelt out. */
export type RelLabel = (rel: string) => string | undefined;

/**
 * One step as a sentence, the way the relationship runs: "Checkout depends
 * on Edge LB 1" when the step's relationship goes from Checkout to the load balancer.
 */
export function stepSentence(prev: Pick<PathStep, 'name'>, cur: Pick<PathStep, 'name' | 'rel' | 'forward'>, label?: RelLabel): string {
  const rel = cur.rel ?? '';
  const words = label?.(rel) ?? rel.replace(/_/g, ' ');
  return cur.forward === false ? `${cur.name} ${words} ${prev.name}` : `${prev.name} ${words} ${cur.name}`;
}

/** A depth limit in words: "within 1 hop", "within 2 hops". */
export function withinHops(depth: number): string {
  return `within ${formatCountOf(depth, 'hop', 'hops')}`;
}

/**
 * What a depth limit leaves whole, in words: it narrows the CIs listed only (docs/impact.md). Upstream has no risk:
 * there the single points of failure stay whole, each one however far away.
 */
export function depthWholeText(direction: ImpactDirection): string {
  return direction === 'upstream'
    ? 'The counts and the single points of failure are of every dependency, at any depth.'
    : "The risk, the counts, the business services and the teams to notify are the whole change's.";
}

/**
 * Counts by state, or (asked upstream) by kind of dependency: "1 changed, 2 down, 3 degraded"; "2 single points
 * of failure, 3 other dependencies" (found by a tester: a dependency read as down).
 */
export function stateCountsText(
  c: { changed?: number | undefined; down: number; degraded: number },
  direction: ImpactDirection = 'downstream',
): string {
  if (direction === 'upstream')
    return `${formatCountOf(c.down, 'single point of failure', 'single points of failure')}, ${formatCountOf(c.degraded, 'other dependency', 'other dependencies')}`;
  return `${formatCount(c.changed ?? 0)} changed, ${formatCount(c.down)} down, ${formatCount(c.degraded)} degraded`;
}

/**
 * An analysis' counts in words, changed apart from down and degraded:
 * "1 changed, 0 down, 12 degraded, 3 business services". Upstream:
 * "14 dependencies: 3 single points of failure, 11 other dependencies".
 */
export function countsText(
  counts: { changed?: number | undefined; down: number; degraded: number; total: number },
  businessServices: number,
  direction: ImpactDirection,
): string {
  if (direction === 'upstream') {
    return `${formatCountOf(counts.total, 'dependency', 'dependencies')}: ${stateCountsText(counts, 'upstream')}`;
  }
  return `${stateCountsText(counts)}, ${formatCountOf(businessServices, 'business service', 'business services')}`;
}

/**
 * The impacted CIs whose risk is not known, in words: "risk unknown for 2 down
 * and 5 degraded CIs: criticality not set (4), "Tier 1" (3)".
 */
export function unknownRiskText(u: {
  down: number;
  degraded: number;
  values: ReadonlyArray<{ value: string | null; count: number }>;
}): string {
  const values = u.values.map((v) => `${v.value === null ? 'criticality not set' : `"${v.value}"`} (${v.count})`).join(', ');
  return `risk unknown for ${u.down} down and ${u.degraded} degraded CI${u.down + u.degraded === 1 ? '' : 's'}: ${values || 'criticality not on the scale'}`;
}

/**
 * The impacted CIs no contact field names, in a sentence: "Nobody to notify for 1 impacted CI (0 changed, 1 down,
 * 0 degraded), no owner set on it: HR Portal (app-hr-portal)". The first `shown` CIs by name and key, then "and N more".
 */
export function noContactText(u: NoContact, shown = u.cis.length): string {
  const total = u.changed + u.down + u.degraded;
  const one = total === 1;
  const fields = u.fields.length === 1 ? `no ${u.fields[0]}` : `none of ${u.fields.join(', ')}`;
  const cis = cutList(u.cis.map(ciLabel), shown, total);
  return `Nobody to notify for ${formatCountOf(total, 'impacted CI', 'impacted CIs')} (${stateCountsText(u)}), ${fields} set on ${one ? 'it' : 'them'}: ${cis}`;
}

/**
 * What a reopened change found since it was saved, in one sentence: "the same CIs are impacted, in the same
 * states (risk high as before)", or the risk and how many CIs differ; then, when it differs, how many redundancy
 * group members were counted as already down by their status then and now (notRunningSinceText).
 */
export function sinceSavedText(d: ChangeDiff): string {
  const risk = d.riskFrom === d.riskTo ? `${d.riskTo} as before` : `${d.riskFrom} -> ${d.riskTo}`;
  const same = d.added.length + d.removed.length + d.stateChanged.length + d.missingKeys.length === 0;
  const cis = same
    ? `the same CIs are impacted, in the same states (risk ${risk})`
    : `risk ${risk}, ${d.added.length} newly impacted, ${d.removed.length} no longer impacted, ${d.stateChanged.length} changed state${
        d.missingKeys.length ? `; no longer in the CMDB: ${subjectText(d.missingKeys.map((key) => ({ key })))}` : ''
      }`;
  const idle = notRunningSinceText(d);
  const merged = mergedSinceText(d);
  return `${cis}${idle ? `; ${idle}` : ''}${merged ? `; ${merged}` : ''}`;
}

/** The CIs of the saved answer a merge took since, each read as the CI kept: "merged since it was saved: web-04 into web-03"; else null. */
export function mergedSinceText(d: Pick<ChangeDiff, 'merged'>): string | null {
  if (!d.merged?.length) return null;
  return `merged since it was saved (compared as the CI kept): ${cutList(
    d.merged.map((m) => `${m.from} into ${m.to}`),
    5,
  )}`;
}

/** The heading over the other saved changes on the same CIs (ChangeDetail.others). */
export const OTHER_CHANGES_HEADING = 'Other saved changes on the same CIs (compare their windows)';

/**
 * Another saved change on the same CIs, in a sentence: `CHG1005 "Patch web tier" (window 2026-12-09 02:00-05:00):
 * it changes web-01 and web-02, which this change changes or impacts; it impacts esx-01, which this change changes`.
 */
export function otherChangeText(o: OtherChange, names?: CiNamer): string {
  return `${o.ref} ${otherChangeDetail(o, names)}`;
}

/** otherChangeText without the reference (the app shows it as a link before it). */
export function otherChangeDetail(o: OtherChange, names?: CiNamer): string {
  const list = (keys: readonly string[], total: number) =>
    cutList(
      keys.map((k) => names?.step(k) ?? k),
      keys.length,
      total,
    );
  const parts = [
    ...(o.changesCount > 0 ? [`it changes ${list(o.changes, o.changesCount)}, which this change changes or impacts`] : []),
    ...(o.impactsCount > 0 ? [`it impacts ${list(o.impacts, o.impactsCount)}, which this change changes`] : []),
  ];
  return `"${o.title}" (${o.window ? `window ${o.window}` : 'no window given'}): ${parts.join('; ')}`;
}

/** How many redundancy group members were counted as already down by their status when saved and now, when that differs; else null. */
export function notRunningSinceText(d: Pick<ChangeDiff, 'notRunning'>): string | null {
  if (!d.notRunning) return null;
  const { from, to } = d.notRunning;
  const spares = to > from ? 'a group may have fewer spares left' : 'a group may have more spares';
  return `redundancy group members already down by their status: ${formatCount(from)} when saved, ${formatCount(to)} now (${spares})`;
}

/**
 * What an answer did not follow, in a sentence: "Not followed: 12 relationships of the changed CI, connects to
 * (12, strength none: never carries impact). ..." Null when it followed every relationship the changed CIs
 * (the CIs asked about, upstream) have.
 */
export function unfollowedText(r: Pick<ImpactResult, 'unfollowed' | 'changed' | 'direction'>): string | null {
  const detail = unfollowedDetail(r);
  return detail === null ? null : `Not followed: ${detail}`;
}

/** unfollowedText without its "Not followed: " (a report's row has that as its label). */
export function unfollowedDetail(r: Pick<ImpactResult, 'unfollowed' | 'changed' | 'direction'>): string | null {
  const u = r.unfollowed ?? [];
  if (u.length === 0) return null;
  const total = u.reduce((n, x) => n + x.count, 0);
  const parts = u.map(
    (x) =>
      `${edgeTypeLabel(x.type)} (${x.count}, ${x.strengthNone ? 'strength none: never carries impact' : 'not among the types asked for'})`,
  );
  const one = r.changed.length === 1;
  const of = r.direction === 'upstream' ? (one ? 'the CI asked about' : 'the CIs asked about') : one ? 'the changed CI' : 'the changed CIs';
  // Each kind its own advice: a type left out of those asked for is followed by asking for it; only a type that
  // never carries impact needs importing as another (found by a change manager: --types got the import advice).
  const left = u.filter((x) => !x.strengthNone).map((x) => x.type);
  const ask = left.length
    ? ` To follow ${left.join(', ')} too, add ${left.length === 1 ? 'it' : 'them'} to the types asked for (--types), or leave the types out: every type that carries impact is followed then.`
    : '';
  const fix = u.some((x) => x.strengthNone)
    ? ` Where ${left.length ? 'a link of strength none' : 'such a link'} is a dependency, import it as depends_on (relTypeValues in a mapping) to have it followed.`
    : '';
  return `${total} relationship${total === 1 ? '' : 's'} of ${of}, ${parts.join(', ')}.${ask}${fix}`;
}

/**
 * The risk level as a headline reads it: "LOW", or, when impacted CIs of unknown criticality could bring more,
 * "LOW, up to CRITICAL (3 impacted CIs of unknown criticality)".
 */
export function riskHeadline(risk: { level: RiskLevel; unknown?: { down: number; degraded: number } | undefined }): string {
  const above = riskCouldReach(risk);
  if (!above) return risk.level.toUpperCase();
  const n = risk.unknown!.down + risk.unknown!.degraded;
  return `${risk.level.toUpperCase()}, up to ${above.toUpperCase()} (${formatCountOf(n, 'impacted CI', 'impacted CIs')} of unknown criticality)`;
}

/**
 * How an answer differs from the same question asked of a baseline, as the CLI and the reports say it: a heading,
 * then one line per list (its first SUBJECT_SHOWN CIs by `names`, and its count). Upstream, the answer is what the
 * CIs depend on: new dependencies and changed roles.
 */
export function compareText(
  c: NonNullable<ImpactResult['compare']>,
  names: CiNamer,
  direction: ImpactDirection = 'downstream',
): { heading: string; lines: string[] } {
  const heading = `Compared with baseline "${c.baseline}" (saved ${c.baselineAt})`;
  const keys = (xs: Array<{ key: string }>) => cutList(xs.map((x) => names.label(x.key)));
  const up = direction === 'upstream';
  if (c.newlyImpacted.length + c.noLongerImpacted.length + c.stateChanged.length + c.missingKeys.length + c.missingNow.length === 0)
    return { heading, lines: [up ? 'the same dependencies, in the same roles.' : 'the same CIs are impacted, in the same states.'] };
  const lines: string[] = [];
  if (c.newlyImpacted.length)
    lines.push(`${up ? 'new dependencies' : 'newly impacted'} (${c.newlyImpacted.length}): ${keys(c.newlyImpacted)}`);
  if (c.noLongerImpacted.length)
    lines.push(`${up ? 'no longer dependencies' : 'no longer impacted'} (${c.noLongerImpacted.length}): ${keys(c.noLongerImpacted)}`);
  if (c.stateChanged.length) {
    const state = (st: ImpactState) => (up ? stateText(st, false, direction) : st);
    lines.push(
      `${up ? 'changed role' : 'changed state'} (${c.stateChanged.length}): ${cutList(c.stateChanged.map((x) => `${names.label(x.key)} ${state(x.from)} -> ${state(x.to)}`))}`,
    );
  }
  if (c.missingKeys.length) lines.push(`not in the baseline (${c.missingKeys.length}): ${keys(c.missingKeys.map((key) => ({ key })))}`);
  if (c.missingNow.length)
    lines.push(
      `not in the CMDB now, answered by the baseline only (${c.missingNow.length}): ${keys(c.missingNow.map((key) => ({ key })))}`,
    );
  return { heading, lines };
}

/** The CIs compareText names by key (the first of each list), for their names to be looked up. */
export function compareKeys(c: ImpactResult['compare']): string[] {
  if (!c) return [];
  return [c.newlyImpacted, c.noLongerImpacted, c.stateChanged].flatMap((l) => l.slice(0, SUBJECT_SHOWN).map((x) => x.key));
}
