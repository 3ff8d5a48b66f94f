/**
 * Impact explanations in words and arrows: the one formatter the CLI, the
 * screens and every report use. It renders what the engine decided (each
 * path step's `why`); it computes no rule of its own.
 */
import { formatCount } from './format.js';
import type { ImpactDirection, ImpactState, PathStep, StepWhy } from './impact.js';

/** The arrow of one step, the way the relationship runs: `-[depends_on]->` or `<-[depends_on]-`. */
export function stepArrow(step: Pick<PathStep, 'rel' | 'forward'>): string {
  const rel = step.rel ?? '';
  return step.forward === false ? `<-[${rel}]-` : `-[${rel}]->`;
}

/**
 * A path as text, each arrow in its relationship's own direction:
 * `db <-[depends_on]- app <-[depends_on]- svc` reads "app depends on db, svc
 * depends on app"; `node -[member_of]-> cluster` reads "node is a member of
 * cluster". With `why`, each step is followed by its reason in brackets.
 */
export function pathText(path: readonly PathStep[], opts: { why?: boolean; direction?: ImpactDirection } = {}): string {
  return path
    .map((s, i) => {
      if (i === 0) return s.key;
      const reason = opts.why && s.why ? ` (${whyText(s.why, opts.direction ?? 'downstream')})` : '';
      return `${stepArrow(s)} ${s.key}${reason}`;
    })
    .join(' ');
}

/** How many of an answer's changed CIs a heading names before "and N more" (a change may name thousands). */
export const SUBJECT_SHOWN = 10;

/** The first `shown` of a list, then "and N more": "a, b, c and 2,990 more". */
export function cutList(items: readonly string[], shown = SUBJECT_SHOWN): string {
  const rest = items.length - shown;
  return `${items.slice(0, shown).join(', ')}${rest > 0 ? ` and ${formatCount(rest)} more` : ''}`;
}

/** The CIs an answer is about, for a heading: the first few (with their names when given), then "and N more". */
export function subjectText(cis: ReadonlyArray<{ key: string; name?: string | undefined }>): string {
  return cutList(cis.map((c) => (c.name === undefined ? c.key : `${c.key} (${c.name})`)));
}

function keysText(up: readonly string[], more: number): string {
  if (up.length === 0) return 'none';
  return `${up.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/**
 * Why one step carries impact, in words. Downstream: "redundancy group
 * "edge": lost 1 of 2, needs 1: lb-edge-prod-02 still up". Upstream: what the
 * CI needs of the dependency ("hard dependency, no redundancy: a single point of failure").
 */
export function whyText(why: StepWhy, direction: ImpactDirection = 'downstream'): string {
  const g = why.group;
  if (direction === 'upstream') {
    switch (why.kind) {
      case 'hard':
        return 'hard dependency, no redundancy';
      case 'group':
        return g
          ? `redundancy group "${g.label}": ${g.members} member${g.members === 1 ? '' : 's'}, needs ${g.minUp}${g.failed ? ', no spare' : ''}`
          : 'redundancy group';
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
      return `redundancy group "${g.label}": lost ${g.lost} of ${g.members}, needs ${g.minUp}: ${
        g.failed ? (g.up.length ? `only ${keysText(g.up, g.upMore)} still up` : 'none left') : `${keysText(g.up, g.upMore)} still up`
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
export function stateText(state: ImpactState, changed: boolean, direction: ImpactDirection): string {
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
    return `${plural(counts.total, 'dependency', 'dependencies')}: ${plural(counts.down, 'single point of failure', 'single points of failure')}, ${plural(counts.degraded, 'other dependency', 'other dependencies')}`;
  }
  return `${counts.changed ?? 0} changed, ${counts.down} down, ${counts.degraded} degraded, ${plural(businessServices, 'business service', 'business services')}`;
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

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
