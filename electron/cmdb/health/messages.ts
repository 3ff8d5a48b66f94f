/**
 * Each rule's finding in words: what is wrong, naming the CIs, and what to
 * do about it. The one place findings are worded (the CLI, the Health screen
 * and impact answers all show these sentences).
 */
import { type HealthRuleId, spellingText, type ValueVariants } from '../../../shared/health.js';
import { formatCountOf } from '../../../shared/format.js';
import { type CiLabel, ciName, ciNameTyped, listed } from './labels.js';

/** What a message needs: the CIs in the finding's order (and their ids), its detail, the stale limit in days for the CI's type. */
export interface MessageInput {
  rule: HealthRuleId;
  cis: CiLabel[];
  /** The CIs' SQLite ids, in the order of `cis`. */
  ids: number[];
  detail: string | undefined;
  /** A value-variants finding's field and spellings. */
  variants?: ValueVariants | undefined;
  staleDays: (type: string) => number;
  now: number;
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * Why a duplicate set's CIs look alike, each reason naming the CIs it holds
 * for when that is not all of them (three CIs, two sharing a serial number,
 * must not read as three sharing it).
 */
function duplicateReason(m: MessageInput): string {
  const keyOf = new Map(m.ids.map((id, i) => [id, m.cis[i]!.key]));
  const reasons = (m.detail ?? 'name').split('\u0001').map((r) => {
    const [why = 'name', held = ''] = r.split('\u0002');
    const keys = held
      .split(',')
      .map((id) => keyOf.get(Number(id)))
      .filter((k): k is string => k !== undefined)
      .sort();
    const whose = keys.length > 0 && keys.length < m.cis.length ? ` (${listed(keys, 6)})` : '';
    if (why === 'name') return `the same name (ignoring case, spaces and punctuation)${whose}`;
    const [attr, value] = why.split('\u0000');
    return `the same ${attr} "${value}"${whose}`;
  });
  return listed(reasons, 3);
}

/** The message of one finding. */
export function findingMessage(m: MessageInput): string {
  const names = m.cis.map(ciName);
  const [first, second] = m.cis;
  const one = first ? ciNameTyped(first) : '?';
  switch (m.rule) {
    case 'duplicate': {
      const types = [...new Set(m.cis.map((c) => c.type))];
      const [reasons, peers] = (m.detail ?? '').split('\u0003');
      const look = `${listed(names, 6)} look like the same ${types.join(' or ')}: ${duplicateReason({ ...m, detail: reasons || undefined })}. `;
      if (peers) {
        // Members of one redundancy group: a redundant pair sharing an address (a virtual IP), or one thing counted twice.
        const [group, label] = peers.split('\u0000');
        return (
          look +
          `They are members of one redundancy group ("${label}" of ${group}): if they are one thing, that group counts it twice, so merge them; ` +
          'if they are two (a redundant pair sharing an address), do not merge them (the group would lose a member): tell them apart (distinct names or values), or exempt their type in the rules file.'
        );
      }
      return (
        look +
        "Merge them on the Health screen or with cmdb merge KEEP DUPLICATE (keep one; the others' relationships move to it), or tell them apart (distinct names or values)."
      );
    }
    case 'orphan':
      return `${one} has no relationship: link it to what it runs on or serves (a relationships import, or on its page), or retire it if it is gone.`;
    case 'missing-owner':
      return `${one} ${m.detail ? `has owner "${m.detail}", which names no team` : 'has no owner'}: set the team responsible for it (the owner column of its import, or edit it on its page), so impact answers know whom to notify.`;
    case 'missing-criticality': {
      const [environment = '', value] = (m.detail ?? '').split('\u0000');
      const what = value === undefined ? 'without a criticality' : `with criticality "${value}", which is not on the scale`;
      return `${one} is in production (environment "${environment}") ${what}: set critical, high, medium or low, so impact answers can rank the risk.`;
    }
    case 'stale': {
      const limit = first ? m.staleDays(first.type) : 0;
      const age = m.detail ? Math.floor((m.now - Date.parse(m.detail)) / 86_400_000) : NaN;
      const when = m.detail ? `last refreshed on ${day(m.detail)} (${age} days ago)` : 'never refreshed';
      return `${one} was ${when}, over the ${limit} days allowed for ${first?.type ?? 'its type'}: re-import it from its source or check it still exists, and retire it if it is gone.`;
    }
    case 'retired-dependency': {
      if (m.detail === undefined)
        return `${names[0]} depends on ${names[1]}, which is retired: point it at what replaced ${second?.name ?? 'that CI'} (or remove the relationship), or retire it too.`;
      // A member of a redundancy group: the group's members left say how close the dependent is to going down.
      const [label = '?', live, members, minUp] = m.detail.split('\u0000').map((x, i) => (i === 0 ? x : Number(x))) as [
        string,
        number,
        number,
        number,
      ];
      const left =
        live < minUp
          ? `so it counts as down whatever stays up`
          : live === minUp
            ? `so it has no spare: losing ${live === 1 ? 'that one' : 'any of them'} takes it down`
            : `${live - minUp} spare${live - minUp === 1 ? '' : 's'}`;
      return (
        `${names[0]} depends on ${names[1]}, which is retired, in its redundancy group "${label}": ${live} of its ${members} members ${live === 1 ? 'is' : 'are'} not retired and it needs ${minUp}, ${left}. ` +
        `Remove the relationship to ${second?.name ?? 'the retired CI'}, and link what replaced it into the group.`
      );
    }
    case 'hard-cycle': {
      const cycle = Number(m.detail ?? names.length);
      if (cycle === 1 && names.length === 1)
        return `${names[0]} hard-depends on itself: remove that relationship (it makes ${names[0]} unable to start).`;
      // A long cycle is shown by its first CIs and its last (the keys list every one).
      const around = cycle <= 8 ? names.slice(0, cycle) : [...names.slice(0, 6), `... (${cycle - 7} more)`, names[cycle - 1]!];
      const path = [...around, names[0]].join(' -> ');
      const rest = names.length - cycle;
      return (
        `${path}: these CIs depend on each other through hard dependencies${rest > 0 ? ` (with ${rest} more CIs in the same loop)` : ''}, ` +
        'so none can start first and one failure takes them all down: remove the wrong relationship or make one soft (uses).'
      );
    }
    case 'unsatisfiable-group': {
      const [label, minUp] = (m.detail ?? '?\u00001').split('\u0000');
      const members = names.slice(1);
      return (
        `${names[0]} needs ${minUp} of its redundancy group "${label}" up, but the group has only ${members.length} ` +
        `(${listed(members)}), so it counts as down whatever stays up: lower min_up to ${members.length} or add the missing members.`
      );
    }
    case 'mixed-group': {
      const [label = '?', types = '', minUps = ''] = (m.detail ?? '').split('\u0000');
      const typeList = types.split(',').filter(Boolean);
      const minUpList = minUps.split(',').filter(Boolean);
      const what = [
        ...(typeList.length > 1 ? [`relationships of ${typeList.length} types (${listed(typeList)})`] : []),
        ...(minUpList.length > 1 ? [`min_up ${listed(minUpList)}`] : []),
      ].join(' and ');
      const fix = [
        ...(typeList.length > 1 ? ['put each type in a group of its own (rename the group on one type)'] : []),
        ...(minUpList.length > 1 ? [`give the whole group one min_up (impact takes the largest, ${minUpList[minUpList.length - 1]})`] : []),
      ].join(', and ');
      return (
        `${names[0]}'s redundancy group "${label}" holds ${what} (members ${listed(names.slice(1))}); ` +
        `an import or edit no longer makes such a group: ${fix}.`
      );
    }
    case 'unreviewed-type':
      return (
        `${names.length === 1 ? '1 CI has' : `${names.length} CIs have`} the type "${m.detail ?? '?'}", which an import created and flagged for review ` +
        `(${listed(names)}): map that column to a known type on the next import (docs/import.md), or turn this rule off in the rules file if the type is meant.`
      );
    case 'unreviewed-rel-type':
      return relTypeMessage(m.detail, names);
    case 'value-variants':
      return variantsMessage(m.variants, names);
  }
}

/** A relationship type flagged for review: how many relationships, what impact reads it as, whose answers rest on it, what to do. */
function relTypeMessage(detail: string | undefined, names: string[]): string {
  const [type = '?', count = '0', strength = 'hard', dependent = 'source'] = (detail ?? '').split('\u0000');
  const n = Number(count);
  const reads =
    strength === 'none'
      ? 'as no dependency (impact does not follow it)'
      : `as a ${strength} dependency of the ${dependent} on the ${dependent === 'source' ? 'target' : 'source'} (the ${dependent} ${
          strength === 'hard' ? 'goes down' : 'is degraded'
        } with it)`;
  return (
    `${formatCountOf(n, 'relationship', 'relationships')} of the type "${type}", which an import created and flagged for review, ` +
    `${n === 1 ? 'is' : 'are'} read ${reads}, so the impact answers of ${listed(names)} rest on that guess: ` +
    `map it to a known type on the next import (in the app, the file card’s “Values to map” box after a dry run; else relTypeValues in a mapping, docs/import.md), or turn this rule off in the rules file if the reading is right.`
  );
}

/**
 * A value spelled several ways: the field, each spelling (quoted, so spaces
 * show) with its CIs, the CIs of the others, and the one step that unifies them.
 */
function variantsMessage(v: ValueVariants | undefined, names: string[]): string {
  if (!v) return `${listed(names)} hold a value other CIs spell another way.`;
  const [top, ...others] = v.spellings;
  const spelled = v.spellings.map(spellingText);
  const moved = others.reduce((n, s) => n + s.cis, 0);
  const to = JSON.stringify(top?.value ?? '');
  return (
    `${v.field} holds one value spelled ${v.spellings.length} ways, ${listed(spelled, 6)}: filters, facet counts and impact's roll-ups ` +
    `count them as ${v.spellings.length} values. Keep one spelling ("Use this spelling" on the Health screen, or cmdb unify-values ${v.field} ${to}: rewrites the ` +
    `${formatCountOf(moved, 'CI', 'CIs')} spelled otherwise (${listed(names)}), recorded in history), then correct the source, whose next import writes its spelling again.`
  );
}
