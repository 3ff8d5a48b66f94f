/** The one sentence an undo is reported in (shared/import.ts): the CLI, the import wizard and the import log. */
import { describe, expect, it } from 'vitest';
import { undoneText } from '../../shared/import.js';

const base = { importId: 2, cisDeleted: 0, cisRestored: 0, relationshipsDeleted: 0, relationshipsRestored: 0, typesRemoved: [] };

describe('undoneText', () => {
  it('says one CI and one relationship in the singular', () => {
    expect(undoneText({ ...base, cisDeleted: 1, cisRestored: 1, relationshipsDeleted: 1 })).toBe(
      'Import #2 undone: 1 CI removed, 1 restored; 1 relationship removed, 0 restored.',
    );
  });

  it('counts as people read them, leaves the relationships out when none changed, and names the types removed', () => {
    expect(undoneText({ ...base, cisDeleted: 30000, cisRestored: 981, typesRemoved: ['host', 'network'] })).toBe(
      'Import #2 undone: 30,000 CIs removed, 981 restored. Types removed: host, network.',
    );
  });
});
