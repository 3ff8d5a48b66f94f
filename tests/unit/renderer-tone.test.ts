import { describe, expect, it } from 'vitest';
import { tone } from '../../renderer/src/typeStyle.js';

describe('tone: status and criticality colours read on the registry scales', () => {
  it('colours ServiceNow criticality labels as their scale value', () => {
    expect(tone('1 - most critical')).toBe(tone('critical'));
    expect(tone('1 - most critical')).toBe('danger');
    expect(tone('4 - not critical')).toBe('ok');
    expect(tone('Mission Critical')).toBe('danger');
  });
  it('colours ServiceNow status labels as their scale value', () => {
    expect(tone('Installed')).toBe('ok');
    expect(tone('Repair in Progress')).toBe('warn');
    expect(tone('Retired')).toBe('danger');
  });
  it('leaves values off the scales uncoloured', () => {
    expect(tone('Gold')).toBe('');
    expect(tone(null)).toBe('');
  });
});
