/**
 * The rules of a redundancy group for a relationship created one at a time
 * (the API, the app's form), as an import applies them to a file's rows
 * (import/rel-rows.ts): min_up only with a group; a group of one dependent CI
 * holds relationships of one type, with one min_up.
 */
import { CmdbError } from '../../shared/errors.js';
import type { Db } from './db.js';

export interface NewGroupMember {
  /** The group's label as given: blank means none. */
  group: string | null | undefined;
  minUp: number | null | undefined;
  type: string;
  /** Whether the type's dependent end is its source (rel_types.dependent). */
  dependentIsSource: boolean;
  sourceId: number;
  targetId: number;
  /** The dependent CI's key, for the messages. */
  dependentKey: string;
}

/** The group label to store (a blank one is none), after checking the member against its group's stored members. */
export function checkGroupMember(db: Db, m: NewGroupMember): string | null {
  const group = m.group?.trim() ? m.group : null;
  const minUp = m.minUp ?? null;
  if (group === null) {
    if (minUp !== null) {
      throw new CmdbError(
        'INVALID_REQUEST',
        `minUp ${minUp} only means something with a redundancy group (how many of its members must stay up). Give the group, or leave minUp out.`,
      );
    }
    return null;
  }
  const conflict = groupConflict(db, { ...m, group, minUp });
  if (conflict) throw new CmdbError('INVALID_REQUEST', `${conflict.text} ${conflict.remedy}`);
  return group;
}

/**
 * How a member with these settings would be at odds with its group's stored members (another type, or
 * another min_up), in words without a remedy, and the remedy for one relationship at a time; null when it fits.
 */
export function groupConflict(
  db: Db,
  m: Omit<NewGroupMember, 'group' | 'minUp'> & { group: string; minUp: number | null },
): { text: string; remedy: string } | null {
  const dep = m.dependentIsSource ? m.sourceId : m.targetId;
  // The group's members: relationships under this label whose dependent end is this CI.
  const sameDep = db
    .prepare(
      // Read by each end's index (a hub's relationships, not the table): the dependent is the source or the target, by type.
      `SELECT r.type, r.min_up AS minUp FROM relationships r JOIN rel_types t ON t.name = r.type AND t.dependent = 'source'
       WHERE r.source_id = @dep AND r.redundancy_group = @group
       UNION ALL
       SELECT r.type, r.min_up AS minUp FROM relationships r JOIN rel_types t ON t.name = r.type AND t.dependent != 'source'
       WHERE r.target_id = @dep AND r.redundancy_group = @group`,
    )
    .all({ dep, group: m.group }) as Array<{ type: string; minUp: number | null }>;
  const other = sameDep.find((r) => r.type !== m.type);
  if (other) {
    return {
      text: `Redundancy group "${m.group}" of ${m.dependentKey} holds ${other.type} relationships, and this one is ${m.type}.`,
      remedy: 'A group holds relationships of one type: use another group name.',
    };
  }
  const set = sameDep.find((r) => r.minUp !== null);
  if (m.minUp !== null && set && set.minUp !== m.minUp) {
    return {
      text: `Redundancy group "${m.group}" of ${m.dependentKey} has min_up ${set.minUp}, and this one gives ${m.minUp}.`,
      remedy: 'Give the whole group the same min_up, or leave it out.',
    };
  }
  return null;
}
