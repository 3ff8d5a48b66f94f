import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { hslHex, typeStyle } from '../../renderer/src/typeStyle.js';

/** Types a CSV import brings that the built-in palette does not know. */
const IMPORTED = [
  'badge_reader',
  'sensor',
  'plc',
  'scada_server',
  'hmi_panel',
  'historian',
  'rtu',
  'edge_gateway',
  'firewall_cluster',
  'print_server',
  'voip_phone',
  'ups',
];

const rgb = (hex: string) => {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16},${(n >> 8) & 255},${n & 255})`;
};

describe('type colours', () => {
  it('an imported type draws in its own colour on the canvas, not in Cytoscape’s grey fallback', () => {
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      style: [{ selector: 'node', style: { 'background-color': 'data(color)' } }],
      elements: IMPORTED.map((t) => ({ data: { id: t, color: typeStyle(t).color } })),
    });
    for (const t of IMPORTED) {
      const drawn = String(cy.getElementById(t).style('background-color')).replace(/\s/g, '');
      expect(drawn, t).toBe(rgb(typeStyle(t).color));
      expect(drawn, t).not.toBe('rgb(153,153,153)');
    }
    cy.destroy();
  });

  it('twelve imported types get twelve different colours, the same each time they are asked for', () => {
    const colours = IMPORTED.map((t) => typeStyle(t).color);
    expect(new Set(colours).size).toBe(IMPORTED.length);
    for (const c of colours) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    expect(IMPORTED.map((t) => typeStyle(t).color)).toEqual(colours);
    // Different enough to tell apart on a small node: no two closer than hues 30° apart in one tone.
    const channels = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    for (let i = 0; i < colours.length; i++)
      for (let j = i + 1; j < colours.length; j++) {
        const [a, b] = [channels(colours[i]!), channels(colours[j]!)];
        expect(Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!), `${IMPORTED[i]} / ${IMPORTED[j]}`).toBeGreaterThan(45);
      }
  });

  it('two names that hash to one colour still get two', () => {
    const many = Array.from({ length: 20 }, (_, i) => `imported_type_${i}`);
    expect(new Set(many.map((t) => typeStyle(t).color)).size).toBe(many.length);
  });

  it('the built-in types keep their palette colours', () => {
    expect(typeStyle('database').color).toBe('#f59e0b');
  });

  it('hslHex converts as CSS does', () => {
    expect(hslHex(0, 1, 0.5)).toBe('#ff0000');
    expect(hslHex(120, 1, 0.25)).toBe('#008000');
    expect(hslHex(210, 0.6, 0.45)).toBe('#2e73b8');
  });

  it("a type named like an object's own property (constructor, toString) gets a colour of its own, not undefined", () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const st = typeStyle(type);
      expect([type, st.color]).toEqual([type, expect.stringMatching(/^#[0-9a-f]{6}$/i)]);
      expect(typeof st.shape).toBe('string');
    }
  });
});
