/**
 * The web client subscribes to the event stream by type name (EventSource
 * delivers only the named events it listens for): EVENT_TYPES, derived from a
 * map the compiler checks against the CmdbEvent union, names each once.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../shared/events.js';

describe('EVENT_TYPES', () => {
  it('names every event type of the contract once', () => {
    expect([...EVENT_TYPES]).toEqual(['import-progress', 'cmdb-changed', 'cmdb-edited-elsewhere', 'import-files', 'menu-command']);
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
  });
});
