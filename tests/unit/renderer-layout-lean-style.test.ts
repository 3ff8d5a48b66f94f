import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { leanStyle, rendererOptions } from '../../renderer/src/graph/renderOptions.js';

/** The nodes that show a label in a large graph (the controller's classes, the centre, the selection). */
const LABELLED_NODES = 'node.show-label, node[?center], node:selected, node.hover, node.path';

/** A large graph's stylesheet as the graph view writes it: text properties on every node, some properties at Cytoscape's default. */
const SHEET = [
  {
    selector: 'node',
    style: {
      'background-color': 'data(color)',
      shape: 'data(shape)',
      width: 28,
      height: 28,
      label: '',
      color: '#222222',
      'font-size': 10,
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-max-width': '96px',
      'text-wrap': 'wrap',
      'line-height': 1.15,
      'min-zoomed-font-size': 5,
      'border-width': 0,
      'border-color': '#ffffff',
    },
  },
  { selector: LABELLED_NODES, style: { label: 'data(label)', 'text-background-opacity': 0.75 } },
  { selector: 'node[?center]', style: { width: 40, height: 40, 'border-width': 3, 'border-color': '#4460e6', 'font-size': 11 } },
  { selector: 'edge', style: { width: 1, 'line-color': '#999999', 'curve-style': 'haystack', 'haystack-radius': 0 } },
  { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#4460e6' } },
  { selector: '.path', style: { 'line-color': '#d2364b', width: 3.5 } },
  { selector: 'node.path', style: { 'border-width': 4, 'border-color': '#d2364b', 'font-size': 12 } },
  { selector: '.faded', style: { opacity: 0.18 } },
] as unknown as cytoscape.StylesheetJson;

const PROPS = [
  'background-color',
  'shape',
  'width',
  'height',
  'label',
  'color',
  'font-size',
  'text-valign',
  'text-margin-y',
  'text-max-width',
  'text-wrap',
  'line-height',
  'min-zoomed-font-size',
  'border-width',
  'border-color',
  'line-color',
  'curve-style',
  'haystack-radius',
  'opacity',
];

const TEXT = new Set([
  'color',
  'font-size',
  'text-valign',
  'text-margin-y',
  'text-max-width',
  'text-wrap',
  'line-height',
  'min-zoomed-font-size',
]);

/**
 * Every element kind the graph view draws, styled by `sheet`; each element's
 * value of every property above (text properties only where there is a label
 * to draw: without one they draw nothing).
 */
function computed(sheet: cytoscape.StylesheetJson): Record<string, Record<string, unknown>> {
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    style: sheet,
    elements: [
      { data: { id: 'plain', label: 'Plain', color: '#123456', shape: 'round-rectangle' } },
      { data: { id: 'shown', label: 'Shown', color: '#123456', shape: 'ellipse' }, classes: 'show-label' },
      { data: { id: 'centre', label: 'Centre', color: '#654321', shape: 'diamond', center: true } },
      { data: { id: 'picked', label: 'Picked', color: '#654321', shape: 'ellipse' }, selected: true },
      { data: { id: 'onpath', label: 'On path', color: '#654321', shape: 'ellipse' }, classes: 'path' },
      { data: { id: 'dim', label: 'Dim', color: '#654321', shape: 'ellipse' }, classes: 'faded' },
      { data: { id: 'hovered', label: 'Hovered', color: '#654321', shape: 'ellipse' }, classes: 'hover' },
      { data: { id: 'e1', source: 'plain', target: 'shown' } },
      { data: { id: 'e2', source: 'centre', target: 'onpath' }, classes: 'path' },
      { data: { id: 'e3', source: 'plain', target: 'dim' }, classes: 'faded' },
    ],
  });
  const out: Record<string, Record<string, unknown>> = {};
  cy.elements().forEach((el) => {
    const labelled = el.style('label') !== '';
    const props = PROPS.filter((p) => (el.isNode() ? !['line-color', 'curve-style', 'haystack-radius'].includes(p) : true));
    // A border colour draws nothing without a border: compared where there is one.
    const bordered = parseFloat(String(el.style('border-width'))) > 0;
    const drawn = props.filter((p) => (labelled || !TEXT.has(p)) && (bordered || p !== 'border-color'));
    out[el.id()] = Object.fromEntries(drawn.map((p) => [p, el.style(p)]));
  });
  // The labelled kinds really are labelled, so their text properties are compared.
  expect(['shown', 'centre', 'picked', 'onpath', 'hovered'].every((id) => out[id]!.label !== '')).toBe(true);
  cy.destroy();
  return out;
}

describe('leanStyle (a large graph stylesheet)', () => {
  it('styles every kind of element exactly as the full stylesheet does', () => {
    expect(computed(leanStyle(SHEET))).toEqual(computed(SHEET));
  });

  it('applies fewer properties: text only on labelled nodes, nothing left at its default', () => {
    const rules = leanStyle(SHEET) as unknown as Array<{ selector: string; style: Record<string, unknown> }>;
    const node = rules.find((r) => r.selector === 'node')!;
    expect(Object.keys(node.style).sort()).toEqual(['background-color', 'height', 'shape', 'width']);
    // The text properties follow the node rule at once, for the nodes the stylesheet labels, so later rules still override them.
    expect(rules[1]!.selector).toBe(LABELLED_NODES);
    expect(rules[1]!.style['font-size']).toBe(10);
    const edge = rules.find((r) => r.selector === 'edge')!;
    expect(edge.style).toEqual({ width: 1, 'line-color': '#999999' });
    const before = (SHEET as unknown as Array<{ style: object }>).reduce((n, r) => n + Object.keys(r.style).length, 0);
    const after = rules.reduce((n, r) => n + Object.keys(r.style).length, 0);
    expect(after).toBeLessThan(before);
  });

  it('keeps the text on every node when no rule gives nodes a label', () => {
    const sheet = (SHEET as unknown as Array<{ selector: string }>).filter((r) => r.selector !== LABELLED_NODES);
    const lean = leanStyle(sheet as unknown as cytoscape.StylesheetJson) as unknown as Array<{
      selector: string;
      style: Record<string, unknown>;
    }>;
    expect(lean.find((r) => r.selector === 'node')!.style['font-size']).toBe(10);
  });
});

describe('rendererOptions', () => {
  it('moves a snapshot at one pixel ratio for a large 2D graph, and never blurs motion', () => {
    expect(rendererOptions({ webgl: false, large: true })).toMatchObject({ textureOnViewport: true, pixelRatio: 1, motionBlur: false });
    expect(rendererOptions({ webgl: false, large: false })).toMatchObject({ textureOnViewport: false, pixelRatio: 'auto' });
    expect(rendererOptions({ webgl: true, large: true })).toMatchObject({ textureOnViewport: false, renderer: { webgl: true } });
  });
});
