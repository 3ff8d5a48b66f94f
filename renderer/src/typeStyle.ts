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

/** The built-in CI types' styles. */
export const KNOWN: Readonly<Record<string, TypeStyle>> = {
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

/** The shapes an imported CI type may get. */
export const FALLBACK_SHAPES: readonly NodeShape[] = ['ellipse', 'round-rectangle', 'diamond', 'hexagon', 'pentagon', 'rhomboid', 'vee'];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The shape an imported CI type gets: one of FALLBACK_SHAPES, picked by its name. */
export function fallbackShape(type: string): NodeShape {
  return FALLBACK_SHAPES[hash(type) % FALLBACK_SHAPES.length]!;
}

/**
 * Hues 30° apart (closer ones read as one colour on a small node), each in a
 * dark, a middle and a light tone: the colours of imported types.
 */
const HUES = 12;
const TONES: Array<{ s: number; l: number }> = [
  { s: 0.7, l: 0.5 },
  { s: 0.65, l: 0.34 },
  { s: 0.8, l: 0.68 },
];
const SLOTS = HUES * TONES.length;

/** `#rrggbb` for a hue (degrees), saturation and lightness (0-1): the one colour form every consumer reads (Cytoscape's parser refuses CSS's space-separated hsl). */
export function hslHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

function slotColour(slot: number): string {
  const tone = TONES[Math.floor(slot / HUES) % TONES.length]!;
  return hslHex((slot % HUES) * (360 / HUES), tone.s, tone.l);
}

/**
 * The imported types met so far and their slots. A type takes the slot its
 * name hashes to, or the next free one when another type has it, so two
 * imported types never share a colour (up to SLOTS of them) and each keeps
 * its colour everywhere it is drawn in the session.
 */
const assigned = new Map<string, TypeStyle>();
const taken = new Set<number>();

function importedStyle(type: string): TypeStyle {
  const had = assigned.get(type);
  if (had) return had;
  const h = hash(type);
  let slot = h % SLOTS;
  for (let i = 0; i < SLOTS && taken.has(slot); i++) slot = (slot + 1) % SLOTS;
  taken.add(slot);
  const st: TypeStyle = { color: slotColour(slot), shape: fallbackShape(type) };
  assigned.set(type, st);
  return st;
}

/** The style of a CI type: a fixed one for the seeded types, a stable derived one for types an import added. */
export function typeStyle(type: string): TypeStyle {
  // Its own entry only: a type may be called `constructor` or `toString`.
  return (Object.hasOwn(KNOWN, type) ? KNOWN[type] : undefined) ?? importedStyle(type);
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
