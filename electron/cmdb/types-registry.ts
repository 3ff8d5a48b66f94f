import type { Strength } from '../../shared/domain.js';

export { CI_TYPE_SEEDS } from '../../shared/ci-types.js';

export interface RelTypeSeed {
  name: string;
  label: string;
  reverseLabel: string;
  /** Which end is impacted when the other fails. */
  dependent: 'source' | 'target';
  strength: Strength;
}

/**
 * Relationship types every CMDB starts with. `A depends_on B`: A depends on B
 * (source is the dependent). `A member_of B`: the cluster B depends on its
 * member A (target is the dependent).
 */
export const REL_TYPE_SEEDS: readonly RelTypeSeed[] = [
  { name: 'depends_on', label: 'depends on', reverseLabel: 'used by', dependent: 'source', strength: 'hard' },
  { name: 'runs_on', label: 'runs on', reverseLabel: 'runs', dependent: 'source', strength: 'hard' },
  { name: 'hosted_on', label: 'hosted on', reverseLabel: 'hosts', dependent: 'source', strength: 'hard' },
  { name: 'member_of', label: 'member of', reverseLabel: 'has member', dependent: 'target', strength: 'hard' },
  { name: 'uses', label: 'uses', reverseLabel: 'used by', dependent: 'source', strength: 'soft' },
  { name: 'connects_to', label: 'connects to', reverseLabel: 'connected from', dependent: 'source', strength: 'none' },
  { name: 'backup_of', label: 'backup of', reverseLabel: 'backed up by', dependent: 'source', strength: 'none' },
];

/** The registry entry for a relationship type the registry lacked: a hard "depends on". */
export function unknownRelType(name: string): RelTypeSeed {
  return {
    name,
    label: name.replace(/_/g, ' '),
    reverseLabel: `${name.replace(/_/g, ' ')} (reverse)`,
    dependent: 'source',
    strength: 'hard',
  };
}

/** Normalises a type name from a CSV: `Virtual Machine` -> `virtual_machine`. */
export function normaliseTypeName(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}
