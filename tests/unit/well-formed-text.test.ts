/**
 * Text that cannot be stored as given (an unpaired UTF-16 surrogate) is
 * refused at every door, naming where it is: stored, it read back as U+FFFD,
 * so a CI created under such a key answered under another and could not be
 * found by the key it showed. NUL and other well-formed text go through.
 */
import { describe, expect, it } from 'vitest';
import { illFormedTextPath } from '../../shared/well-formed.js';
import { fails, freshService, ok } from './helpers.js';

describe('unpaired surrogates', () => {
  it('finds the first ill-formed string, or an object name, by path; passes pairs, NUL and other text', () => {
    expect(illFormedTextPath({ keys: ['a', 'b\ud800'] })).toBe('keys.1');
    expect(illFormedTextPath({ spec: { center: '\udc00x' } })).toBe('spec.center');
    expect(illFormedTextPath({ fields: { attributes: { 'rack\ud83d': '1' } } })).toBe('fields.attributes.rack\ud83d');
    expect(illFormedTextPath('x\udbff')).toBe('(root)');
    expect(illFormedTextPath({ key: 'ok \ud83d\ude00 é \u0000 "]\\ %' })).toBeNull();
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
