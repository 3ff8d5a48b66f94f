/**
 * placeLabels' choice (labels.ts) put on a Cytoscape instance, shared by the
 * Graph screen (controller.ts) and the Impact screen's graph: nodes and edges
 * as candidates at their places on screen, the side each label goes on as a
 * class, and the rules that draw it there.
 */
import type cytoscape from 'cytoscape';
import { edgeLabelAngle, edgeLabelBox, type LabelCandidate, type LabelSide } from './labels.js';

/** The classes that put a shown label (`show-label`) on a side other than below its node. */
const SIDE_CLASSES = ['label-above', 'label-right', 'label-left'];

/** A node's label as a candidate, where the node is on screen. */
export function nodeCandidate(n: cytoscape.NodeSingular, priority: number): LabelCandidate {
  const p = n.renderedPosition();
  return {
    id: n.id(),
    x: p.x,
    y: p.y,
    half: n.renderedHeight() / 2,
    halfW: n.renderedWidth() / 2,
    label: String(n.data('label') ?? ''),
    priority,
    degree: n.degree(false),
  };
}

/** An edge's label as a candidate: drawn along the edge (autorotate), its room the turned rectangle at its midpoint; null without a label. */
export function edgeCandidate(e: cytoscape.EdgeSingular, fontPx: number, priority: number, degree: number): LabelCandidate | null {
  const label = String(e.data('label') ?? '');
  if (!label) return null;
  const angle = edgeLabelAngle(e.source().renderedPosition(), e.target().renderedPosition());
  const { box, turned } = edgeLabelBox(e.renderedMidpoint(), label, fontPx, angle);
  return { id: e.id(), x: 0, y: 0, half: 0, label, priority, degree, box, turned };
}

/** Shows the placed labels, each on its side (`show-label`, `label-<side>`), and hides the others. */
export function showPlaced(cy: cytoscape.Core, show: ReadonlyMap<string, LabelSide>): void {
  cy.batch(() => {
    // Only elements whose label changes are touched: each class change restyles its element.
    cy.elements().forEach((el) => {
      const side = show.get(el.id()) ?? null;
      const was = el.hasClass('show-label') ? (SIDE_CLASSES.find((c) => el.hasClass(c))?.slice(6) ?? 'below') : null;
      if (side === was) return;
      el.removeClass('show-label label-above label-right label-left');
      if (side) el.addClass(side === 'below' ? 'show-label' : `show-label label-${side}`);
    });
  });
}

/** The rules that draw a node's label on the side `showPlaced` chose, `gapPx` from the node on screen at zoom `z`. */
export function labelSideRules(z: number, gapPx = 3): Array<{ selector: string; style: Record<string, unknown> }> {
  const gap = gapPx / z;
  return [
    { selector: 'node.label-above', style: { 'text-valign': 'top', 'text-margin-y': -gap } },
    { selector: 'node.label-right', style: { 'text-valign': 'center', 'text-halign': 'right', 'text-margin-x': gap, 'text-margin-y': 0 } },
    { selector: 'node.label-left', style: { 'text-valign': 'center', 'text-halign': 'left', 'text-margin-x': -gap, 'text-margin-y': 0 } },
  ];
}
