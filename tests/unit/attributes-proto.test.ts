/**
 * An attribute named `__proto__` is an attribute like any other (an import
 * keeps it from attributes_json): an edit through the API keeps it, a new CI
 * or relationship takes it, and a re-import merges it, never setting an
 * object's prototype instead (found by a security review).
 */
import { describe, expect, it } from 'vitest';
import { attributesSchema } from '../../shared/domain.js';
import { parseAttributes } from '../../renderer/src/browse/attributesText.js';
import { freshService, ok } from './helpers.js';

/** The attributes as JSON text would give them: `__proto__` an own key, as JSON.parse makes it. */
const withProto = (): Record<string, string> => JSON.parse('{"__proto__":"kept","rack":"R1"}') as Record<string, string>;

describe('an attribute named __proto__', () => {
  it('is kept by the schema as an own key, the prototype untouched; other values are refused by their path', () => {
    const parsed = attributesSchema.parse(withProto());
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(JSON.stringify(parsed)).toBe('{"__proto__":"kept","rack":"R1"}');
    const bad = attributesSchema.safeParse({ rack: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['rack']);
  });

  it("is kept by the app's edit form, which reads attributes as `name = value` lines", () => {
    const read = parseAttributes('__proto__ = kept\nrack = R1');
    expect(read.ok && JSON.stringify(read.value)).toBe('{"__proto__":"kept","rack":"R1"}');
  });

  it('survives an edit, a new CI, a new relationship and a re-import, in the stored JSON', async () => {
    const svc = freshService();
    const cis = 'id,name,type,attributes_json\nproto2,Proto,server,"{""__proto__"":""kept"",""rack"":""R1""}"\n';
    await ok(svc, 'importCsv', { cis: { name: 'cis.csv', content: cis } });
    const stored = (key: string) => svc.db.prepare('SELECT attributes FROM cis WHERE key = ?').pluck().get(key);
    expect(stored('proto2')).toBe('{"__proto__":"kept","rack":"R1"}');

    await ok(svc, 'updateCi', { key: 'proto2', fields: { description: 'edited', attributes: withProto() } }, 'web');
    expect(stored('proto2')).toBe('{"__proto__":"kept","rack":"R1"}');
    const got = await ok(svc, 'getCi', { key: 'proto2' }, 'web');
    expect(JSON.stringify(got.ci.attributes)).toBe('{"__proto__":"kept","rack":"R1"}');

    await ok(svc, 'createCi', { key: 'proto3', fields: { name: 'P3', type: 'server', attributes: withProto() } }, 'web');
    expect(stored('proto3')).toBe('{"__proto__":"kept","rack":"R1"}');

    const rel = await ok(
      svc,
      'createRelationship',
      { source: 'proto3', target: 'proto2', type: 'depends_on', attributes: withProto() },
      'web',
    );
    expect(JSON.stringify(rel.attributes)).toBe('{"__proto__":"kept","rack":"R1"}');

    // A re-import that changes another attribute merges into the stored ones: __proto__ stays.
    const again = 'id,name,type,attributes_json\nproto2,Proto,server,"{""__proto__"":""kept"",""rack"":""R2""}"\n';
    await ok(svc, 'importCsv', { cis: { name: 'cis.csv', content: again } });
    expect(stored('proto2')).toBe('{"__proto__":"kept","rack":"R2"}');
    // A re-import that adds it to a CI stored without it, too.
    const before = 'id,name,type,attributes_json\nplain,Plain,server,"{""rack"":""R1""}"\n';
    await ok(svc, 'importCsv', { cis: { name: 'cis.csv', content: before } });
    const added = 'id,name,type,attributes_json\nplain,Plain,server,"{""__proto__"":""added"",""rack"":""R1""}"\n';
    await ok(svc, 'importCsv', { cis: { name: 'cis.csv', content: added } });
    expect(stored('plain')).toBe('{"rack":"R1","__proto__":"added"}');

    // Merging a duplicate fills the kept CI's missing attributes from it, that one too; undoing the merge takes it back.
    await ok(svc, 'createCi', { key: 'keeper', fields: { name: 'Keeper', type: 'server', attributes: { rack: 'R9' } } });
    const merge = await ok(svc, 'mergeCis', { keep: 'keeper', merge: 'proto3' });
    expect(stored('keeper')).toBe('{"rack":"R9","__proto__":"kept"}');
    await ok(svc, 'undoMerge', { id: merge.id });
    expect(stored('keeper')).toBe('{"rack":"R9"}');
    svc.close();
  });
});
