/** The Impact screen's choices as data: the analysis key, toggling relationship types, and the save dialog's draft. */
import { describe, expect, it } from 'vitest';
import type { ChangeSummary, ImpactResult } from '../../shared/impact.js';
import { changeDraft, choicesChanged, paramsKey, toggleType } from '../../renderer/src/impact/params.js';

describe('impact params', () => {
  it('keys an analysis by what it asks, whatever the order of keys and types', () => {
    const k = paramsKey({ keys: ['b', 'a'], direction: 'downstream', types: ['runs_on', 'depends_on'], depth: 3 });
    expect(paramsKey({ keys: ['a', 'b'], direction: 'downstream', types: ['depends_on', 'runs_on'], depth: 3 })).toBe(k);
    expect(paramsKey({ keys: ['a', 'b'], direction: 'upstream', types: ['depends_on', 'runs_on'], depth: 3 })).not.toBe(k);
    expect(paramsKey({ keys: ['a', 'b'], direction: 'downstream', types: null, depth: 3 })).not.toBe(k);
    expect(paramsKey({ keys: ['a', 'b'], direction: 'downstream', types: ['depends_on', 'runs_on'], depth: null })).not.toBe(k);
    expect(paramsKey({ keys: ['a'], direction: 'downstream', types: ['depends_on', 'runs_on'], depth: 3 })).not.toBe(k);
  });

  it('does not sort the caller’s arrays in place', () => {
    const keys = ['b', 'a'];
    const types = ['z', 'y'];
    paramsKey({ keys, direction: 'downstream', types, depth: null });
    expect(keys).toEqual(['b', 'a']);
    expect(types).toEqual(['z', 'y']);
  });

  it('says how the choices on screen differ from the open change as saved, and nothing when they do not', () => {
    const saved = { keys: ['db-01', 'lb-02'], types: null, depth: null };
    const same = { keys: ['lb-02', 'db-01'], direction: 'downstream' as const, types: null, depth: null };
    expect(choicesChanged(saved, same)).toEqual([]);
    expect(choicesChanged(saved, { ...same, depth: 1 })).toEqual(['depth 1 (saved with any depth)']);
    expect(choicesChanged({ ...saved, depth: 2 }, same)).toEqual(['any depth (saved with depth 2)']);
    expect(choicesChanged(saved, { ...same, keys: ['db-01', 'app-03', 'app-04'] })).toEqual([
      '2 changed CIs added',
      '1 changed CI taken out',
    ]);
    expect(choicesChanged(saved, { ...same, direction: 'upstream' })).toEqual(['upstream (what the CIs depend on)']);
    expect(choicesChanged({ ...saved, types: ['runs_on', 'depends_on'] }, { ...same, types: ['depends_on', 'runs_on'] })).toEqual([]);
    expect(choicesChanged({ ...saved, types: ['runs_on'] }, same)).toEqual(['other relationship types followed']);
  });

  it('toggles a relationship type, back to the default (null) once the choice is the propagating types again', () => {
    const propagating = ['depends_on', 'runs_on'];
    expect(toggleType(null, propagating, 'runs_on')).toEqual(['depends_on']);
    expect(toggleType(['depends_on'], propagating, 'runs_on')).toBeNull();
    expect(toggleType(null, propagating, 'connects_to')).toEqual(['depends_on', 'runs_on', 'connects_to']);
    expect(toggleType(['runs_on', 'depends_on', 'connects_to'], propagating, 'connects_to')).toBeNull();
    expect(toggleType(['depends_on'], propagating, 'depends_on')).toEqual([]);
  });

  it('drafts a new change after the changed CIs, and an open one as saved', () => {
    const r = { changed: [{ name: 'db-01' }, { name: 'lb-02' }] } as unknown as ImpactResult;
    expect(changeDraft(null, null)).toEqual({ ref: '', title: '', start: '', end: '', savedWindow: null, description: '' });
    expect(changeDraft(null, r).title).toBe('Outage of db-01, lb-02');
    const many = { changed: Array.from({ length: 40 }, (_, i) => ({ name: `server-number-${i}` })) } as unknown as ImpactResult;
    // Many CIs: the first three named and the rest counted, not names cut off mid-word at 200 characters.
    expect(changeDraft(null, many).title).toBe('Outage of server-number-0, server-number-1, server-number-2 and 37 more');
    const open = {
      ref: 'CHG-7',
      title: 'Patch',
      window: '2026-12-05 22:00 to 2026-12-06 02:00 (Europe/Paris)',
      description: null,
    } as unknown as ChangeSummary;
    expect(changeDraft(open, r)).toEqual({
      ref: 'CHG-7',
      title: 'Patch',
      start: '2026-12-05T22:00',
      end: '2026-12-06T02:00',
      savedWindow: null,
      description: '',
    });
    // A window the two inputs cannot show (free text from cmdb assess --window) is kept as saved (found by a tester).
    const text = { ...open, window: '2026-12-08 22:00-23:30 UTC' } as ChangeSummary;
    expect(changeDraft(text, r)).toMatchObject({ start: '', end: '', savedWindow: '2026-12-08 22:00-23:30 UTC' });
  });
});
