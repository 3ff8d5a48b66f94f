/** One colour and one shape per CI type, shared by the table, the detail panel, the graph and its legend. */

import { criticalityOf, statusOf } from '../../shared/vocab.js';

export type NodeShape =
  | 'round-rectangle'
  | 'ellipse'
  | 'diamond'
  | 'hexagon'
  | 'barrel'
  | 'triangle'
  | 'octagon'
  | 'rectangle'
  | 'tag'
  | 'vee'
  | 'star'
  | 'pentagon'
  | 'rhomboid';

export interface TypeStyle {
  color: string;
  shape: NodeShape;
}

const KNOWN: Record<string, TypeStyle> = {
  business_service: { color: '#8b5cf6', shape: 'star' },
  service: { color: '#6366f1', shape: 'round-rectangle' },
  application: { color: '#3b82f6', shape: 'round-rectangle' },
  database: { color: '#f59e0b', shape: 'barrel' },
  message_queue: { color: '#ec4899', shape: 'tag' },
  cache: { color: '#f97316', shape: 'barrel' },
  server: { color: '#64748b', shape: 'rectangle' },
  virtual_machine: { color: '#0ea5e9', shape: 'rectangle' },
  hypervisor: { color: '#475569', shape: 'octagon' },
  container: { color: '#14b8a6', shape: 'hexagon' },
  kubernetes_cluster: { color: '#2563eb', shape: 'hexagon' },
  kubernetes_node: { color: '#0891b2', shape: 'hexagon' },
  cluster: { color: '#7c3aed', shape: 'octagon' },
  load_balancer: { color: '#10b981', shape: 'diamond' },
  network_device: { color: '#22c55e', shape: 'triangle' },
  storage: { color: '#a16207', shape: 'barrel' },
  dns: { color: '#84cc16', shape: 'pentagon' },
  cloud_resource: { color: '#06b6d4', shape: 'ellipse' },
  saas: { color: '#d946ef', shape: 'ellipse' },
};

const FALLBACK_SHAPES: NodeShape[] = ['ellipse', 'round-rectangle', 'diamond', 'hexagon', 'pentagon', 'rhomboid', 'vee'];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The style of a CI type: a fixed one for the seeded types, a stable derived one for types an import added. */
export function typeStyle(type: string): TypeStyle {
  const known = KNOWN[type];
  if (known) return known;
  const h = hash(type);
  return { color: `hsl(${h % 360} 55% 52%)`, shape: FALLBACK_SHAPES[h % FALLBACK_SHAPES.length]! };
}

const CRITICALITY_TONE = { critical: 'danger', high: 'warn', medium: 'warn', low: 'ok' } as const;
const STATUS_TONE = {
  operational: 'ok',
  'non-operational': 'warn',
  maintenance: 'warn',
  standby: 'warn',
  planned: 'warn',
  retired: 'danger',
} as const;

/** How a status or criticality value is coloured: read on the registry's scales (shared/vocab.ts), so ServiceNow's words colour too. */
export function tone(value: string | null | undefined): '' | 'ok' | 'warn' | 'danger' {
  const c = criticalityOf(value);
  if (c) return CRITICALITY_TONE[c];
  const s = statusOf(value);
  return s ? STATUS_TONE[s] : '';
}
