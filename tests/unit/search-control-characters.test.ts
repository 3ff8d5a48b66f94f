/**
 * A search query holding NUL or another control character (pasted, or sent by
 * a script) is searched for sensibly through every door: control characters
 * separate words, as they do in the search index, and the answer is never
 * INTERNAL.
 */
import { describe, expect, it } from 'vitest';
import { startWebHost } from '../../electron/web/server.js';
import { toFtsQuery } from '../../electron/cmdb/search.js';
import { freshService, ok, tempDir } from './helpers.js';

async function serviceWithCis() {
  const svc = freshService();
  await ok(svc, 'createCi', { key: 'app-alpha', fields: { type: 'application', name: 'alpha beta' } });
  await ok(svc, 'createCi', { key: 'app-gamma', fields: { type: 'application', name: 'gamma' } });
  return svc;
}

describe('control characters in a search query', () => {
  it('separate words in the FTS query, so no NUL reaches FTS5', () => {
    expect(toFtsQuery('alpha\u0000beta')).toBe('"alpha"* "beta"*');
    expect(toFtsQuery('\u0000\u0001\u001b')).toBeNull();
    expect(toFtsQuery('a\u009bb')).toBe('"a"* "b"*');
  });

  it('the service answers listCis and facets, matching the words on either side', async () => {
    const svc = await serviceWithCis();
    for (const query of ['alpha\u0000beta', 'alpha\u0000', '\u0000alpha', 'alpha\u0001beta', 'alpha\u001bbeta', 'alpha\u009b\u007fbeta']) {
      const r = await svc.call('listCis', { query });
      expect(r, JSON.stringify(query)).toMatchObject({ ok: true, value: { total: 1, items: [{ key: 'app-alpha' }] } });
      const f = await svc.call('facets', { query });
      expect(f.ok, JSON.stringify(query)).toBe(true);
    }
    // Nothing but control characters is no words at all: every CI, as for an empty query.
    expect(await svc.call('listCis', { query: '\u0000' })).toMatchObject({ ok: true, value: { total: 2 } });
  });

  it('the web host door answers 200 with the match, not an internal error', async () => {
    const svc = await serviceWithCis();
    const host = await startWebHost({ service: svc, port: 0, staticDir: tempDir() });
    try {
      const res = await fetch(`http://127.0.0.1:${host.port}/api/listCis`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CMDB-Token': host.token },
        body: JSON.stringify({ query: 'alpha\u0000beta' }),
      });
      const body = (await res.json()) as { ok: boolean; value?: { items: Array<{ key: string }> } };
      expect(res.status).toBe(200);
      expect(body.ok).toBe(true);
      expect(body.value?.items.map((c) => c.key)).toEqual(['app-alpha']);
    } finally {
      await host.close();
    }
  });
});
