/** The CI types every CMDB starts with, and how a type's name reads as a label (the app, the CLI and imports alike). */

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

const SEED_LABELS = new Map(CI_TYPE_SEEDS.map((t) => [t.name, t.label]));

/** "virtual_machine" -> "Virtual machine"; a seeded type keeps its own label ("SaaS", "DNS"). */
export function ciTypeLabel(name: string): string {
  const seeded = SEED_LABELS.get(name);
  if (seeded) return seeded;
  const s = name.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The refusal of types a registry does not have (`what`: "CI" or "relationship"), naming those it has, or
 * null when every asked type is known: a misspelt type would otherwise match nothing, and say nothing.
 */
export function unknownTypesMessage(what: string, asked: readonly string[], known: readonly string[]): string | null {
  const unknown = asked.filter((t) => !known.includes(t));
  if (unknown.length === 0) return null;
  return `Unknown ${what} type${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')}. Known ${what} types: ${known.join(', ')}.`;
}
