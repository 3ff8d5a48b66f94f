/** The browse screen names a filter value as the CLI does: a value not set is "(not set)", a type by its label. */
import { describe, expect, it } from 'vitest';
import { facetValueLabel } from '../../renderer/src/browse/facet-label.js';
import { NOT_SET } from '../../shared/format.js';

describe('facetValueLabel', () => {
  it('says a value not set (null in a facet, empty in a chosen filter) as the CLI says it', () => {
    expect(facetValueLabel('owner', null)).toBe(NOT_SET);
    expect(facetValueLabel('owner', '')).toBe('(not set)');
  });

  it('names a type by its label, other values as they are', () => {
    expect(facetValueLabel('type', 'virtual_machine')).toBe('Virtual machine');
    expect(facetValueLabel('owner', 'team_a')).toBe('team_a');
  });
});
