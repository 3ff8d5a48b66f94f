/**
 * The drawn graph as a standalone SVG: node shapes and colours, edges with
 * arrows, labels; positions as drawn. Labels are cut as the canvas cuts them
 * and placed as it places them (labels.ts): beside their node where they
 * overlap no other label and no node, the others left to the node's tooltip.
 */
import type { Core } from 'cytoscape';
import { edgeLabelBox, fitLabel, LABEL_PX, labelBox, labelMaxPx, placeLabels, type Box, type LabelCandidate } from './labels.js';
import type { Palette } from './palette.js';
import { xmlText } from '../../../shared/graph-export.js';

// XML text: escaped, and characters XML cannot hold (a control character in a name) replaced, as the other exports do.
const esc = xmlText;

function polygon(cx: number, cy: number, r: number, sides: number, rot = -Math.PI / 2): string {
  const pts: string[] = [];
  for (let i = 0; i < sides; i++) {
    const a = rot + (i * 2 * Math.PI) / sides;
    pts.push(`${(cx + r * Math.cos(a)).toFixed(1)},${(cy + r * Math.sin(a)).toFixed(1)}`);
  }
  return pts.join(' ');
}

function star(cx: number, cy: number, r: number): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 === 0 ? r : r * 0.45;
    pts.push(`${(cx + rr * Math.cos(a)).toFixed(1)},${(cy + rr * Math.sin(a)).toFixed(1)}`);
  }
  return pts.join(' ');
}

/** One node shape as SVG markup. */
export function shapeSvg(shape: string, cx: number, cy: number, w: number, h: number, attrs: string): string {
  const r = Math.min(w, h) / 2;
  switch (shape) {
    case 'ellipse':
      return `<ellipse cx="${cx}" cy="${cy}" rx="${w / 2}" ry="${h / 2}" ${attrs}/>`;
    case 'rectangle':
      return `<rect x="${cx - w / 2}" y="${cy - h / 2}" width="${w}" height="${h}" ${attrs}/>`;
    case 'round-rectangle':
      return `<rect x="${cx - w / 2}" y="${cy - h / 2}" width="${w}" height="${h}" rx="${r * 0.35}" ${attrs}/>`;
    case 'barrel':
      return `<rect x="${cx - w / 2}" y="${cy - h / 2}" width="${w}" height="${h}" rx="${w * 0.2}" ry="${h * 0.3}" ${attrs}/>`;
    case 'diamond':
      return `<polygon points="${polygon(cx, cy, r, 4)}" ${attrs}/>`;
    case 'triangle':
      return `<polygon points="${polygon(cx, cy + r * 0.15, r, 3)}" ${attrs}/>`;
    case 'pentagon':
      return `<polygon points="${polygon(cx, cy, r, 5)}" ${attrs}/>`;
    case 'hexagon':
      return `<polygon points="${polygon(cx, cy, r, 6, 0)}" ${attrs}/>`;
    case 'octagon':
      return `<polygon points="${polygon(cx, cy, r, 8, Math.PI / 8)}" ${attrs}/>`;
    case 'star':
      return `<polygon points="${star(cx, cy, r)}" ${attrs}/>`;
    case 'tag':
      return `<polygon points="${cx - r},${cy - r} ${cx + r * 0.4},${cy - r} ${cx + r},${cy} ${cx + r * 0.4},${cy + r} ${cx - r},${cy + r}" ${attrs}/>`;
    case 'vee':
      return `<polygon points="${cx - r},${cy - r} ${cx},${cy - r * 0.3} ${cx + r},${cy - r} ${cx},${cy + r}" ${attrs}/>`;
    case 'rhomboid':
      return `<polygon points="${cx - r * 0.6},${cy - r} ${cx + r},${cy - r} ${cx + r * 0.6},${cy + r} ${cx - r},${cy + r}" ${attrs}/>`;
    default:
      return `<ellipse cx="${cx}" cy="${cy}" rx="${w / 2}" ry="${h / 2}" ${attrs}/>`;
  }
}

/** A drawn node, as the SVG needs it (model coordinates). */
export interface SvgNode {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  shape: string;
  color: string;
  label: string;
  center: boolean;
  onPath: boolean;
  /** A group node (its label is wider, as on the canvas). */
  group: boolean;
}

/** A drawn edge: its end points as drawn, its label and type. */
export interface SvgEdge {
  id: string;
  source: string;
  target: string;
  from: { x: number; y: number };
  to: { x: number; y: number };
  type: string;
  label: string;
  onPath: boolean;
  implied: boolean;
}

/** Edge labels are drawn only up to this many edges (past it they are noise). */
const EDGE_LABELS_MAX = 400;
/** The size edge labels are drawn at, in the SVG's pixels (node labels: LABEL_PX). */
const EDGE_LABEL_PX = 10;
const PAD = 20;

/** The drawing as read from Cytoscape. */
export function toSvg(cy: Core, p: Palette, _isLight: boolean): string {
  const nodes: SvgNode[] = cy.nodes().map((n) => ({
    id: n.id(),
    x: n.position().x,
    y: n.position().y,
    w: n.width(),
    h: n.height(),
    shape: String(n.data('shape')),
    color: String(n.data('color')),
    label: String(n.data('label') ?? ''),
    center: Boolean(n.data('center')),
    onPath: n.hasClass('path'),
    group: Boolean(n.data('groupBy') || n.data('groupOf')),
  }));
  const edges: SvgEdge[] = cy.edges().map((e) => ({
    id: e.id(),
    source: e.source().id(),
    target: e.target().id(),
    from: e.sourceEndpoint(),
    to: e.targetEndpoint(),
    type: String(e.data('type')),
    label: String(e.data('label') ?? ''),
    onPath: e.hasClass('path'),
    implied: Boolean(e.data('implied')),
  }));
  return sceneSvg(nodes, edges, p);
}

const f1 = (v: number) => v.toFixed(1);

/** A label's text at the centre of its box. */
function labelText(b: Box, text: string, px: number, p: Palette): string {
  return `<text x="${f1((b.x1 + b.x2) / 2)}" y="${f1((b.y1 + b.y2) / 2)}" font-size="${px}" fill="${p.label}" text-anchor="middle" dominant-baseline="central" paint-order="stroke" stroke="${p.bg}" stroke-width="3">${esc(text)}</text>`;
}

/**
 * The SVG of nodes and edges. Node labels are cut to the canvas's widths (fitLabel) and placed
 * by placeLabels below, above, right or left of their node, the centre, the path and groups
 * first, then hubs; edge labels after them, at the edge's midpoint. A label with no free room
 * is not drawn (the node's tooltip has it whole), but a group's always is (it stands for many
 * CIs). The picture's bounds hold every label drawn.
 */
export function sceneSvg(nodes: SvgNode[], edges: SvgEdge[], p: Palette): string {
  const degree = new Map<string, number>();
  for (const e of edges) for (const id of [e.source, e.target]) degree.set(id, (degree.get(id) ?? 0) + 1);
  const shown = new Map<string, string>();
  const candidates: LabelCandidate[] = [];
  for (const n of nodes) {
    if (!n.label) continue;
    const text = fitLabel(n.label, labelMaxPx(n.group));
    shown.set(n.id, text);
    candidates.push({
      id: n.id,
      x: n.x,
      y: n.y,
      half: n.h / 2,
      halfW: n.w / 2,
      label: text,
      priority: n.center ? 4 : n.onPath ? 3 : n.group ? 1 : 0,
      degree: degree.get(n.id) ?? 0,
      maxPx: labelMaxPx(n.group),
      // A group stands for many CIs: its label is drawn whatever the room, as on the canvas.
      ...(n.group ? { always: true } : {}),
    });
  }
  const edgeBoxes = new Map<string, Box>();
  if (edges.length <= EDGE_LABELS_MAX) {
    for (const e of edges) {
      if (!e.label) continue;
      const text = fitLabel(e.label, labelMaxPx(false), EDGE_LABEL_PX);
      const { box } = edgeLabelBox({ x: (e.from.x + e.to.x) / 2, y: (e.from.y + e.to.y) / 2 }, text, EDGE_LABEL_PX);
      shown.set(e.id, text);
      edgeBoxes.set(e.id, box);
      candidates.push({ id: e.id, x: 0, y: 0, half: 0, label: text, priority: e.onPath ? 3 : e.implied ? 1.5 : -1, degree: 0, box });
    }
  }
  // A node without a label is still in the way of the others'.
  const bare = nodes.filter((n) => !n.label).map((n) => ({ x1: n.x - n.w / 2, y1: n.y - n.h / 2, x2: n.x + n.w / 2, y2: n.y + n.h / 2 }));
  const placed = placeLabels(candidates, bare);
  const boxOf = new Map<string, Box>();
  for (const c of candidates) {
    const side = placed.get(c.id);
    if (side) boxOf.set(c.id, c.box ?? labelBox(c, side));
  }

  // Bounds: every node, edge end and label drawn.
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  const grow = (b: Box) => {
    x1 = Math.min(x1, b.x1);
    y1 = Math.min(y1, b.y1);
    x2 = Math.max(x2, b.x2);
    y2 = Math.max(y2, b.y2);
  };
  for (const n of nodes) grow({ x1: n.x - n.w / 2, y1: n.y - n.h / 2, x2: n.x + n.w / 2, y2: n.y + n.h / 2 });
  for (const e of edges)
    grow({
      x1: Math.min(e.from.x, e.to.x),
      y1: Math.min(e.from.y, e.to.y),
      x2: Math.max(e.from.x, e.to.x),
      y2: Math.max(e.from.y, e.to.y),
    });
  for (const b of boxOf.values()) grow(b);
  if (!Number.isFinite(x1)) [x1, y1, x2, y2] = [0, 0, 0, 0];
  const x0 = x1 - PAD;
  const y0 = y1 - PAD;
  const w = Math.max(1, x2 - x1 + PAD * 2);
  const h = Math.max(1, y2 - y1 + PAD * 2);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${f1(x0)} ${f1(y0)} ${f1(w)} ${f1(h)}" width="${Math.round(w)}" height="${Math.round(h)}" font-family="Inter, Segoe UI, system-ui, sans-serif">`,
  );
  out.push(
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${p.edge}"/></marker>`,
  );
  out.push(
    `<marker id="arrow-path" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${p.danger}"/></marker></defs>`,
  );
  out.push(`<rect x="${f1(x0)}" y="${f1(y0)}" width="${f1(w)}" height="${f1(h)}" fill="${p.bg}"/>`);
  out.push('<g class="edges">');
  for (const e of edges) {
    const colour = e.onPath ? p.danger : p.edge;
    const dash = e.implied ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<line x1="${f1(e.from.x)}" y1="${f1(e.from.y)}" x2="${f1(e.to.x)}" y2="${f1(e.to.y)}" stroke="${colour}" stroke-width="${e.onPath ? 3 : 1.2}"${dash} marker-end="url(#${e.onPath ? 'arrow-path' : 'arrow'})"><title>${esc(e.label || e.type)}</title></line>`,
    );
  }
  out.push('</g><g class="nodes">');
  for (const n of nodes) {
    const stroke = n.onPath ? p.danger : n.center ? p.accent : p.bg;
    const attrs = `fill="${n.color}" stroke="${stroke}" stroke-width="${n.onPath || n.center ? 3 : 1.5}"`;
    const title = n.label && n.label !== n.id ? `${n.label} (${n.id})` : n.id;
    out.push(`<g data-id="${esc(n.id)}">${shapeSvg(n.shape, n.x, n.y, n.w, n.h, attrs)}<title>${esc(title)}</title></g>`);
  }
  // Labels last, over edges and nodes (placed so they cover none).
  out.push('</g><g class="labels">');
  for (const n of nodes) {
    const b = boxOf.get(n.id);
    if (b) out.push(labelText(b, shown.get(n.id)!, LABEL_PX, p));
  }
  for (const e of edges) {
    const b = boxOf.get(e.id);
    if (b && edgeBoxes.has(e.id)) out.push(labelText(b, shown.get(e.id)!, EDGE_LABEL_PX, p));
  }
  out.push('</g></svg>');
  return out.join('\n');
}
