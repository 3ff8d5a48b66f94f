/** shared/next-command.ts: a suggested command written again with --db, and only where it is that command. */
import { describe, expect, it } from 'vitest';
import { commandLine, nextCommandsOf, withDbInMessage } from '../../shared/next-command.js';

describe('withDbInMessage', () => {
  it('adds --db to each command the details name, quoted for the shell, and to nothing else', () => {
    const next = [
      { command: 'undo-merge', args: ['12'] },
      { command: 'undo-merge', args: ['1'] },
    ];
    const message = `First undo merge #12 (${commandLine(next[0]!)}), then merge #1 (${commandLine(next[1]!)}).`;
    expect(message).toBe('First undo merge #12 (cmdb undo-merge 12), then merge #1 (cmdb undo-merge 1).');
    // "cmdb undo-merge 1" is the start of "cmdb undo-merge 12" too: that one is not taken for it.
    expect(withDbInMessage(message, { next }, "my shop's.db")).toBe(
      "First undo merge #12 (cmdb undo-merge --db 'my shop'\\''s.db' 12), then merge #1 (cmdb undo-merge --db 'my shop'\\''s.db' 1).",
    );
    expect(withDbInMessage(message, { next: next.slice(1) }, 'x.db')).toBe(
      'First undo merge #12 (cmdb undo-merge 12), then merge #1 (cmdb undo-merge --db x.db 1).',
    );
  });

  it('leaves the message as it is without a --db, or without commands in its details', () => {
    const next = { command: 'baseline delete', args: ['Q4 review'] };
    const message = `delete it first (${commandLine(next)}).`;
    expect(message).toBe("delete it first (cmdb baseline delete 'Q4 review').");
    expect(withDbInMessage(message, { next }, undefined)).toBe(message);
    expect(withDbInMessage(message, { name: 'Q4 review' }, 'x.db')).toBe(message);
    expect(withDbInMessage(message, { next }, 'x.db')).toBe("delete it first (cmdb baseline delete --db x.db 'Q4 review').");
    expect(nextCommandsOf({ next: { command: 'merges' } })).toEqual([]);
    expect(nextCommandsOf(null)).toEqual([]);
  });
});
