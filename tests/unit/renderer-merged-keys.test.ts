/**
 * A change set following a key a merge took (renderer/src/impact/mergedKeys.ts): the message names each merge
 * of a chain. The module reaches the engine through api.ts, which reads `window`: a bare one stands in.
 */
import { describe, expect, it, vi } from 'vitest';

vi.stubGlobal('window', { location: { href: 'http://127.0.0.1/?token=t' } });
const { ApiError } = await import('../../renderer/src/api.js');
const { renameMessage, renamesFrom } = await import('../../renderer/src/impact/mergedKeys.js');

describe('merged keys followed by a change set', () => {
  it('names each merge of a chain, not the first merge beside the last CI', () => {
    const details = {
      problems: [
        { ref: 'web-1c', problem: 'not_found', candidates: [], more: 0, mergedInto: { key: 'web-1', mergeId: 1, mergeIds: [1, 2] } },
      ],
    };
    const renames = renamesFrom(new ApiError('NOT_FOUND', 'No CI has the key or name "web-1c"', details));
    expect(renames).toEqual([{ from: 'web-1c', to: 'web-1', mergeId: 1, mergeIds: [1, 2] }]);
    expect(renameMessage(renames)).toBe('web-1c was merged into web-1 (merges #1, #2): the change now names web-1.');
    expect(renameMessage([{ from: 'a', to: 'b', mergeId: 3, mergeIds: [3] }])).toBe(
      'a was merged into b (merge #3): the change now names b.',
    );
  });
});
