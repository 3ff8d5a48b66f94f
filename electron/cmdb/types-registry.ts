import type { Strength } from '../../shared/domain.js';

export interface RelTypeSeed {
  name: string;
  label: string;
  reverseLabel: string;
  /** Which end is impacted when the other fails. */
  dependent: 'source' | 'target';
  strength: Strength;
}

/** CI types every CMDB starts with. Imports may add more (flagged for review). */
export const CI_TYPE_SEEDS: ReadonlyArray<{ name: string; label: string }> = [
  { name: 'business_service', label: 'Business service' },
  { name: 'application', label: 'Application' },
  { name: 'service', label: 'Service' },
  { name: 'database', label: 'Database' },
  { name: 'message_queue', label: 'Message queue' },
  { name: 'cache', label: 'Cache' },
  { name: 'server', label: 'Server' },
  { name: 'virtual_machine', label: 'Virtual machine' },
  { name: 'hypervisor', label: 'Hypervisor' },
  { name: 'container', label: 'Container' },
  { name: 'kubernetes_cluster', label: 'Kubernetes cluster' },
  { name: 'kubernetes_node', label: 'Kubernetes node' },
  { name: 'cluster', label: 'Cluster' },
  { name: 'load_balancer', label: 'Load balancer' },
  { name: 'network_device', label: 'Network device' },
  { name: 'storage', label: 'Storage' },
  { name: 'dns', label: 'DNS' },
  { name: 'cloud_resource', label: 'Cloud resource' },
  { name: 'saas', label: 'SaaS' },
];

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

export function labelFor(name: string): string {
  const s = name.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
