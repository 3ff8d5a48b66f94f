/**
 * shared/json-text.ts: a JSON file's syntax error says its line and column,
 * on Node 20 (V8 gives only "at position N") and Node 22 alike.
 */
import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../../shared/json-text.js';

describe('parseJsonText', () => {
  it('gives the line and column of a syntax error', () => {
    const r = parseJsonText('{\n  "cis": {\n    "id": "Asset ID",\n  }\n}\n');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/^line 4, column 3: /);
    expect(!r.ok && r.message).not.toMatch(/position/);
  });

  it('says where a file ends too soon', () => {
    const r = parseJsonText('{\n  "cis": {');
    expect(!r.ok && r.message).toMatch(/^line 2, column 11: \S/);
    const list = parseJsonText('[1,\n 2');
    expect(!list.ok && list.message).toMatch(/^line 2, column 3: \S/);
  });

  it('reads past a byte-order mark', () => {
    expect(parseJsonText('\ufeff{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });
});
