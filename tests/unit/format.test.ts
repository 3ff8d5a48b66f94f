import { describe, expect, it } from 'vitest';
import { formatCount, formatTotal } from '../../shared/format.js';

describe('counts as people read them', () => {
  it('groups thousands the same way wherever the app or the CLI runs', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(18892)).toBe('18,892');
  });

  it('marks a total that is a lower bound', () => {
    expect(formatTotal(10000, true)).toBe('10,000+');
    expect(formatTotal(10000, false)).toBe('10,000');
    expect(formatTotal(12, undefined)).toBe('12');
  });
});
