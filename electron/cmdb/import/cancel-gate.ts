/**
 * Cancel or commit, decided once between the door that runs an import and the import's thread. A cancel that
 * comes while the import commits would otherwise be told "nothing will be written" and then see the import
 * written: the gate (one Int32, shared with the worker thread) takes whichever comes first, atomically.
 */

const RUNNING = 0;
const CANCELLED = 1;
const COMMITTING = 2;

/** A gate for one import: shared memory, so a worker thread reads it while it holds its thread in SQLite. */
export function newCancelGate(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** Asks to cancel. True when the import will stop without writing (or has); false when it was already committing. */
export function requestCancel(gate: Int32Array): boolean {
  return Atomics.compareExchange(gate, 0, RUNNING, CANCELLED) !== COMMITTING;
}

/** Whether a cancel was asked for (the import stops at its next check). */
export function isCancelRequested(gate: Int32Array): boolean {
  return Atomics.load(gate, 0) === CANCELLED;
}

/** The import is about to commit: true when it may (no cancel came first); from then on a cancel is refused. */
export function claimCommit(gate: Int32Array): boolean {
  return Atomics.compareExchange(gate, 0, RUNNING, COMMITTING) !== CANCELLED;
}
