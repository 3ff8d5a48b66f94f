/**
 * The Impact screen's choices as data: what an analysis asks (and the key
 * that says whether a result still answers it), the relationship types
 * followed, and the draft a change is saved from.
 */
import type { ChangeSummary, ImpactDirection, ImpactResult } from '../../../shared/impact.js';
import { cutList } from '../../../shared/format.js';
import { parseWindow } from './window.js';

/** What the save dialog edits: a change's reference, title, planned window (two datetime-local values) and description. */
export interface ChangeDraft {
  ref: string;
  title: string;
  start: string;
  end: string;
  /** A saved window the two inputs cannot show (free text, as `cmdb assess --window` takes it): kept unless a start or end is set, or it is cleared. */
  savedWindow: string | null;
  description: string;
}

/** What one analysis asks. */
export interface Params {
  keys: string[];
  direction: ImpactDirection;
  /** null = every type that propagates (the engine's default). */
  types: string[] | null;
  depth: number | null;
}

/** A key equal for two sets of choices exactly when they ask the same analysis (order of keys and types aside). */
export const paramsKey = (p: Params): string =>
  JSON.stringify([[...p.keys].sort(), p.direction, p.types ? [...p.types].sort() : null, p.depth]);

/**
 * How the choices on screen differ from those the open change was saved with (a reopened change is always
 * assessed downstream), a few words each; empty when they do not. What changed since it was saved and the
 * other changes on its CIs are answers to the saved choices, so they are set aside while these differ.
 */
export function choicesChanged(saved: Pick<ChangeSummary, 'keys' | 'types' | 'depth'>, now: Params): string[] {
  const out: string[] = [];
  const was = new Set(saved.keys);
  const is = new Set(now.keys);
  const added = now.keys.filter((k) => !was.has(k)).length;
  const removed = saved.keys.filter((k) => !is.has(k)).length;
  const cis = (n: number) => `${n} changed ${n === 1 ? 'CI' : 'CIs'}`;
  if (added > 0) out.push(`${cis(added)} added`);
  if (removed > 0) out.push(`${cis(removed)} taken out`);
  if (now.direction !== 'downstream') out.push('upstream (what the CIs depend on)');
  const typesKey = (t: readonly string[] | null | undefined) => (t ? [...t].sort().join('\n') : null);
  if (typesKey(saved.types) !== typesKey(now.types)) out.push('other relationship types followed');
  const depth = (d: number | null | undefined) => (d == null ? 'any depth' : `depth ${d}`);
  if ((saved.depth ?? null) !== now.depth) out.push(`${depth(now.depth)} (saved with ${depth(saved.depth)})`);
  return out;
}

/**
 * The types followed after ticking or unticking `t`: null again once the
 * choice is exactly the types that propagate, so the engine's default holds.
 */
export function toggleType(types: string[] | null, propagating: string[], t: string): string[] | null {
  const choice = types ?? propagating;
  const next = choice.includes(t) ? choice.filter((x) => x !== t) : [...choice, t];
  const same = next.length === propagating.length && propagating.every((x) => next.includes(x));
  return same ? null : next;
}

/** What the save dialog starts from: the open change as saved, or a new change titled after the changed CIs. */
export function changeDraft(open: ChangeSummary | null, r: ImpactResult | null): ChangeDraft {
  const w = parseWindow(open?.window ?? null);
  return open
    ? {
        ref: open.ref,
        title: open.title,
        ...w,
        // Saving again from the dialog cleared a window the inputs could not show (found by a tester).
        savedWindow: open.window && !w.start && !w.end ? open.window : null,
        description: open.description ?? '',
      }
    : {
        ref: '',
        title: r
          ? `Outage of ${cutList(
              r.changed.map((c) => c.name),
              3,
            )}`.slice(0, 200)
          : '',
        start: '',
        end: '',
        savedWindow: null,
        description: '',
      };
}
