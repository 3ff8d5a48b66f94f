/**
 * ui/chunk.ts: code loaded apart from the app is loaded once, remembered once
 * in (so a screen opened later renders it at once, with no Suspense hold-back),
 * and tried again after a failure.
 */
import { describe, expect, it, vi } from 'vitest';
import { chunk } from '../../renderer/src/ui/chunk.js';

describe('chunk', () => {
  it('loads once, however often asked, and gives the module at once after', async () => {
    const mod = { default: 'component' };
    const importer = vi.fn(() => Promise.resolve(mod));
    const c = chunk(importer);
    expect(c.loaded()).toBeNull();
    const [a, b] = await Promise.all([c.load(), c.load()]);
    expect(a).toBe(mod);
    expect(b).toBe(mod);
    expect(c.loaded()).toBe(mod);
    await c.load();
    expect(importer).toHaveBeenCalledTimes(1);
  });

  it('after a failure, the next load tries again (a dropped connection is not remembered)', async () => {
    const mod = { default: 'component' };
    const importer = vi.fn().mockRejectedValueOnce(new Error('Failed to fetch dynamically imported module')).mockResolvedValueOnce(mod);
    const c = chunk(importer as () => Promise<typeof mod>);
    await expect(c.load()).rejects.toThrow('Failed to fetch');
    expect(c.loaded()).toBeNull();
    await expect(c.load()).resolves.toBe(mod);
    expect(importer).toHaveBeenCalledTimes(2);
  });
});
