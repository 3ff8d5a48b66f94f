/**
 * Text that cannot be stored as given is refused at every door, naming where
 * it is: an unpaired UTF-16 surrogate (stored, it read back as U+FFFD, so a CI
 * created under such a key answered under another and could not be found by
 * the key it showed), and a NUL character (a key, an attribute or a change
 * reference holding one made an export that would not import back). A CSV
 * file's content may hold a NUL: the importer reports it on its row.
 */
import { describe, expect, it } from 'vitest';
import { badTextPath } from '../../shared/well-formed.js';

const illFormedTextPath = (v: unknown): string | null => {
  const bad = badTextPath(v);
  return bad === null ? null : bad.why === 'surrogate' ? bad.path : `nul at ${bad.path}`;
};
import { fails, freshService, ok } from './helpers.js';

describe('unpaired surrogates', () => {
  it('finds the first ill-formed string, or an object name, by path; passes pairs and other text', () => {
    expect(illFormedTextPath({ keys: ['a', 'b\ud800'] })).toBe('keys.1');
    expect(illFormedTextPath({ spec: { center: '\udc00x' } })).toBe('spec.center');
    expect(illFormedTextPath({ fields: { attributes: { 'rack\ud83d': '1' } } })).toBe('fields.attributes.rack\ud83d');
    expect(illFormedTextPath('x\udbff')).toBe('(root)');
    expect(illFormedTextPath({ key: 'ok \ud83d\ude00 é "]\\ %' })).toBeNull();
    expect(illFormedTextPath({ n: 1, b: true, z: null })).toBeNull();
  });

  it('walks a request nested 100,000 levels deep without overflowing the stack, so the answer says what is wrong', async () => {
    let deep: unknown = 'x\ud800';
    for (let i = 0; i < 100_000; i++) deep = i % 2 === 0 ? [deep] : { a: deep };
    expect(illFormedTextPath({ top: deep })).toBe(`top${'.a.0'.repeat(50_000)}`);
    let clean: unknown = 'x';
    for (let i = 0; i < 100_000; i++) clean = { a: clean };
    expect(illFormedTextPath({ top: clean })).toBeNull();
    // Through the service, as a web page's body would arrive: the schema's refusal, not INTERNAL "Maximum call stack size exceeded".
    const refused = await fails(freshService(), 'getCi', { key: clean }, 'web');
    expect(refused).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(refused.message).toContain('key: ');
  });

  it('refuses them before any method runs, and nothing is stored', async () => {
    const svc = freshService();
    const refused = await fails(svc, 'createCi', { key: 'web\ud800', fields: { type: 'server', name: 'Web' } }, 'web');
    expect(refused).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(refused.message).toBe(
      'Invalid request: key: the text has an unpaired UTF-16 surrogate (half of a character such as an emoji), which cannot be stored as given. Send well-formed Unicode text.',
    );
    expect(svc.db.prepare('SELECT count(*) FROM cis').pluck().get()).toBe(0);
    await ok(svc, 'createCi', { key: 'web', fields: { type: 'server', name: 'Web' } });
    expect((await fails(svc, 'saveChange', { ref: 'C1', title: 't', keys: ['web', 'x\udfff'] }, 'web')).message).toContain(
      'Invalid request: keys.1: ',
    );
    const view = { name: 'v', note: null, spec: { center: 'web\ud800', direction: 'both', depth: 1 } };
    expect((await fails(svc, 'saveView', view, 'web')).message).toContain('Invalid request: spec.center: ');
    expect((await fails(svc, 'mergeCis', { keep: 'web', merge: 'web\ud800' }, 'web')).message).toContain('Invalid request: merge: ');
    // A well-formed key with quotes, brackets, a backslash, % and an emoji is stored and found as given.
    const key = 'w"]\\%\ud83d\ude00';
    await ok(svc, 'createCi', { key, fields: { type: 'server', name: 'Odd' } });
    expect((await ok(svc, 'getCi', { key })).ci.key).toBe(key);
  });
});

describe('NUL characters', () => {
  it("finds one in any text or object name, but a CSV file content's, which the importer reports on its row", () => {
    expect(badTextPath({ key: 'nul\u0000key' })).toEqual({ path: 'key', why: 'nul' });
    expect(badTextPath({ fields: { attributes: { 'a\u0000b': 'v' } } })).toEqual({ path: 'fields.attributes.a\u0000b', why: 'nul' });
    expect(badTextPath({ attributes: { a: 'v\u0000w' } })).toEqual({ path: 'attributes.a', why: 'nul' });
    expect(badTextPath({ cis: { name: 'c.csv', content: 'id,name\n1,a\u0000b\n' } })).toBeNull();
    // A search query is read, not stored: its control characters separate words.
    expect(badTextPath({ query: 'alpha\u0000beta' })).toBeNull();
    expect(badTextPath({ file: { name: 'c.csv', content: 'a\u0000' } })).toBeNull();
    // An impact request's group id is read: the groups of no one service start with a NUL (shared/impact.ts SHARED_GROUP).
    expect(badTextPath({ keys: ['db'], within: { by: 'service', id: '\u0000shared' } })).toBeNull();
    // By where it is, not by its name: an attribute named content or query is stored text (found by a reviewer).
    expect(badTextPath({ fields: { attributes: { content: 'x\u0000y' } } })).toEqual({ path: 'fields.attributes.content', why: 'nul' });
    expect(badTextPath({ attributes: { query: 'x\u0000y' } })).toEqual({ path: 'attributes.query', why: 'nul' });
  });

  it("refuses them at every door that stores text, nothing stored; an import reports a file's NUL on its row (found by a security review)", async () => {
    const svc = freshService();
    await ok(svc, 'createCi', { key: 'a', fields: { type: 'server', name: 'A' } });
    await ok(svc, 'createCi', { key: 'b', fields: { type: 'server', name: 'B' } });
    const refusals: Array<[Parameters<typeof fails>[1], unknown, string]> = [
      ['createCi', { key: 'nul\u0000key', fields: { type: 'server', name: 'N' } }, 'key'],
      ['createCi', { key: 'c', fields: { type: 'server', name: 'C', attributes: { 'a\u0000b': 'v' } } }, 'fields.attributes.a\u0000b'],
      ['updateCi', { key: 'a', fields: { attributes: { rack: 'v\u0000w' } } }, 'fields.attributes.rack'],
      ['createRelationship', { source: 'a', target: 'b', type: 'depends_on', redundancyGroup: 'g\u0000' }, 'redundancyGroup'],
      ['createRelationship', { source: 'a', target: 'b', type: 'depends_on', attributes: { port: '\u0000' } }, 'attributes.port'],
      ['saveChange', { ref: 'CHG\u0000X', title: 't', keys: ['a'] }, 'ref'],
      ['saveMappingProfile', { name: 'm\u0000', mapping: {} }, 'name'],
      ['createCi', { key: 'd', fields: { type: 'server', name: 'D', attributes: { content: 'x\u0000y' } } }, 'fields.attributes.content'],
      ['createRelationship', { source: 'a', target: 'b', type: 'depends_on', attributes: { query: '\u0000' } }, 'attributes.query'],
    ];
    for (const [method, req, path] of refusals) {
      const refused = await fails(svc, method, req, 'web');
      expect(refused, `${method} ${path}`).toMatchObject({ code: 'INVALID_REQUEST', details: { path } });
      expect(refused.message).toBe(
        `Invalid request: ${path}: the text holds a NUL character (a zero byte), which the CMDB does not keep in text (an export of it would not import back). Remove it.`,
      );
    }
    expect(svc.db.prepare('SELECT count(*) FROM cis').pluck().get()).toBe(2);
    expect(svc.db.prepare('SELECT count(*) FROM relationships').pluck().get()).toBe(0);
    expect(svc.db.prepare('SELECT count(*) FROM changes').pluck().get()).toBe(0);
    expect((await ok(svc, 'getCi', { key: 'a' })).ci.attributes).toEqual({});
    const imported = await fails(svc, 'importCsv', { cis: { name: 'c.csv', content: 'id,name,type\nc,C\u0000,server\n' } });
    expect(imported.message).toContain('c.csv line 2, column name: a NUL character');
  });
});
