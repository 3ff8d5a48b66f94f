/**
 * What the graph's side panel is about: one answer for a node selected by
 * mouse or by keyboard, so a group node always reads as a group (its field,
 * value and count, and how to open it), never as a CI. Pure, so it is
 * unit-tested.
 */
import { ciTypeLabel } from '../../../shared/ci-types.js';
import { oneLine } from './labels.js';
import type { GraphData, NodeEl } from './model.js';

/** A selected group node, in the words the panel shows. */
export interface GroupSelection {
  id: string;
  /** The field the group gathers its CIs by ("owner", "type", …). */
  field: string;
  /** Its value as read ("team-checkout", "Server", "no owner"). */
  value: string;
  /** How many CIs it stands for. */
  count: number;
  /** Its CIs by type, most first. */
  types: Array<{ type: string; count: number }>;
  /** For a group of siblings: the name of the CI they all hang off. */
  parentName: string | null;
}

/** The selected node as a group, or null when it is a CI (or nothing is selected). */
export function selectedGroup(id: string | null, nodes: readonly NodeEl[], data: GraphData): GroupSelection | null {
  if (!id) return null;
  const el = nodes.find((n) => n.data.id === id);
  if (!el) return null;
  const d = el.data;
  if (d.groupBy) {
    const value = d.groupValue == null ? `no ${d.groupBy}` : d.groupBy === 'type' ? ciTypeLabel(d.groupValue) : oneLine(d.groupValue);
    return { id, field: d.groupBy, value, count: d.count ?? 0, types: d.types ?? [], parentName: null };
  }
  if (d.groupOf) {
    const parent = d.parentKey ? (data.nodes.get(d.parentKey)?.name ?? d.parentKey) : null;
    return {
      id,
      field: 'type',
      value: ciTypeLabel(d.type),
      count: d.groupOf.length,
      types: [{ type: d.type, count: d.groupOf.length }],
      parentName: parent === null ? null : oneLine(parent),
    };
  }
  return null;
}
