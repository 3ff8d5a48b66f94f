/** The drawn graph as a standalone SVG: node shapes and colours, edges with arrows, labels; positions as drawn. */
import type { Core } from 'cytoscape';
import type { Palette } from './palette.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

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

export function toSvg(cy: Core, p: Palette, _isLight: boolean): string {
  const bb = cy.elements().boundingBox({});
  const pad = 20;
  const x0 = (Number.isFinite(bb.x1) ? bb.x1 : 0) - pad;
  const y0 = (Number.isFinite(bb.y1) ? bb.y1 : 0) - pad;
  const w = Math.max(1, (Number.isFinite(bb.w) ? bb.w : 0) + pad * 2);
  const h = Math.max(1, (Number.isFinite(bb.h) ? bb.h : 0) + pad * 2);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x0.toFixed(1)} ${y0.toFixed(1)} ${w.toFixed(1)} ${h.toFixed(1)}" width="${Math.round(w)}" height="${Math.round(h)}" font-family="Inter, Segoe UI, system-ui, sans-serif">`,
  );
  out.push(
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${p.edge}"/></marker>`,
  );
  out.push(
    `<marker id="arrow-path" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${p.danger}"/></marker></defs>`,
  );
  out.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="${p.bg}"/>`);
  out.push('<g class="edges">');
  cy.edges().forEach((e) => {
    const s = e.sourceEndpoint();
    const t = e.targetEndpoint();
    const onPath = e.hasClass('path');
    const colour = onPath ? p.danger : p.edge;
    out.push(
      `<line x1="${s.x.toFixed(1)}" y1="${s.y.toFixed(1)}" x2="${t.x.toFixed(1)}" y2="${t.y.toFixed(1)}" stroke="${colour}" stroke-width="${onPath ? 3 : 1.2}" marker-end="url(#${onPath ? 'arrow-path' : 'arrow'})"><title>${esc(String(e.data('type')))}</title></line>`,
    );
    const label = e.data('label') as string | undefined;
    if (label && cy.edges().length <= 400) {
      out.push(
        `<text x="${((s.x + t.x) / 2).toFixed(1)}" y="${((s.y + t.y) / 2).toFixed(1)}" font-size="8" fill="${p.label}" text-anchor="middle" paint-order="stroke" stroke="${p.bg}" stroke-width="3">${esc(label)}</text>`,
      );
    }
  });
  out.push('</g><g class="nodes">');
  cy.nodes().forEach((n) => {
    const pos = n.position();
    const nw = n.width();
    const nh = n.height();
    const onPath = n.hasClass('path');
    const stroke = onPath ? p.danger : n.data('center') ? p.accent : p.bg;
    out.push(
      `<g data-id="${esc(n.id())}">${shapeSvg(String(n.data('shape')), pos.x, pos.y, nw, nh, `fill="${n.data('color')}" stroke="${stroke}" stroke-width="${onPath || n.data('center') ? 3 : 1.5}"`)}<title>${esc(n.id())}</title>`,
    );
    out.push(
      `<text x="${pos.x.toFixed(1)}" y="${(pos.y + nh / 2 + 12).toFixed(1)}" font-size="10" fill="${p.label}" text-anchor="middle">${esc(String(n.data('label') ?? ''))}</text></g>`,
    );
  });
  out.push('</g></svg>');
  return out.join('\n');
}
