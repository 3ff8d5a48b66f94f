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
    .all({ dep, group }) as Array<{ type: string; minUp: number | null }>;
  const other = sameDep.find((r) => r.type !== m.type);
  if (other) {
    throw new CmdbError(
      'INVALID_REQUEST',
      `Redundancy group "${group}" of ${m.dependentKey} holds ${other.type} relationships, and this one is ${m.type}. A group holds relationships of one type: use another group name.`,
    );
  }
  const set = sameDep.find((r) => r.minUp !== null);
  if (minUp !== null && set && set.minUp !== minUp) {
    throw new CmdbError(
      'INVALID_REQUEST',
      `Redundancy group "${group}" of ${m.dependentKey} has minUp ${set.minUp}, and this one gives ${minUp}. Give the whole group the same minUp, or leave it out.`,
    );
  }
  return group;
}
