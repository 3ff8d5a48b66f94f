/**
 * How Cytoscape draws the graph view: the renderer options for a large or a
 * small graph, and the lean form of a stylesheet for large graphs. Pure (no
 * DOM), so the unit tests check it.
 *
 * Cytoscape applies a stylesheet one property at a time to each element, the
 * first time the element is drawn; at 2,000 nodes and 4,500 edges that was
 * half of the first frame. A large graph is drawn unlabelled until zoomed in
 * (see controller.ts), so the node rule's text properties are only needed by
 * the labelled nodes, and properties set to Cytoscape's own default cost a
 * pass each for nothing (setting `curve-style` also makes Cytoscape look up
 * both ends of every edge to check it is allowed).
 */
import type cytoscape from 'cytoscape';

type Rule = { selector: string; style: Record<string, unknown> };

/** Cytoscape's defaults for properties the stylesheets set: a rule setting one of these to this value changes nothing. */
const DEFAULTS: Record<string, unknown> = {
  'curve-style': 'haystack',
  'haystack-radius': 0,
  'border-width': 0,
  label: '',
  opacity: 1,
};

/** Properties that draw nothing without a border: the plain node rule drops them when it leaves nodes without one. */
const BORDER_ONLY = new Set(['border-color', 'border-style', 'border-opacity']);

/** Whether a property only matters when a label is drawn. */
function isTextProperty(name: string): boolean {
  return (
    name === 'color' || name === 'line-height' || name === 'min-zoomed-font-size' || name.startsWith('font-') || name.startsWith('text-')
  );
}

/** The selector of the nodes that show a label: the first node rule that sets one (the plain `node` rule's text then applies to those only). */
function labelledSelector(rules: Rule[]): string | null {
  const r = rules.find(
    (x) => x.selector !== 'node' && x.selector.split(',').every((s) => s.trim().startsWith('node')) && (x.style.label ?? '') !== '',
  );
  return r ? r.selector : null;
}

/**
 * The stylesheet for a large graph: the plain `node` rule's text properties
 * move to a rule for the labelled nodes (the selector of the stylesheet's
 * first rule that gives nodes a label) right after it, so every later rule
 * still overrides them; properties left at Cytoscape's default go, and so
 * does the plain node rule's border colour when it gives nodes no border
 * (the rules that add a border set its colour too). The drawing is the
 * same; fewer properties are applied per element.
 */
export function leanStyle(sheet: cytoscape.StylesheetJson): cytoscape.StylesheetJson {
  const rules = sheet as unknown as Rule[];
  const labelled = labelledSelector(rules);
  const out: Rule[] = [];
  for (const rule of rules) {
    const kept: Record<string, unknown> = {};
    const text: Record<string, unknown> = {};
    const plainNode = rule.selector === 'node' && labelled !== null;
    // Each property applied to a node also walks its edges in Cytoscape (dirtyStyleCache): one fewer per node counts at 2,000 nodes.
    const borderless = rule.selector === 'node' && (rule.style['border-width'] ?? 0) === 0;
    for (const [name, value] of Object.entries(rule.style)) {
      if (rule.selector === 'node' || rule.selector === 'edge') {
        if (name in DEFAULTS && DEFAULTS[name] === value) continue;
      }
      if (borderless && BORDER_ONLY.has(name)) continue;
      if (plainNode && isTextProperty(name)) text[name] = value;
      else kept[name] = value;
    }
    out.push({ selector: rule.selector, style: kept });
    if (labelled && Object.keys(text).length) out.push({ selector: labelled, style: text });
  }
  return out as unknown as cytoscape.StylesheetJson;
}

/** What the renderer is asked for: WebGL or not, and whether the graph is large (drawn the cheap way). */
export interface RenderMode {
  webgl: boolean;
  large: boolean;
}

/**
 * Cytoscape's renderer options. A large graph on the 2D canvas moves a
 * snapshot while the view is panned or zoomed (`textureOnViewport`, redrawn
 * sharp when the motion stops), at one device pixel per CSS pixel; motion
 * blur stays off (it redraws every frame twice).
 */
export function rendererOptions(m: RenderMode): Partial<cytoscape.CytoscapeOptions> & Record<string, unknown> {
  return {
    textureOnViewport: !m.webgl && m.large,
    pixelRatio: m.webgl || m.large ? 1 : 'auto',
    motionBlur: false,
    renderer: m.webgl ? { name: 'canvas', webgl: true, webglTexSize: 4096, webglBatchSize: 4096 } : { name: 'canvas' },
  };
}
