/**
 * A status column that holds a change's state: a change advisory board's sheet keeps the change's state in
 * `Status` (Approved, Scheduled, Pending CAB, Planned, Closed). Its unknown words were reported, but `Closed`
 * was stored as retired and `Planned` as planned without a word, and an impact answer then counted a running
 * database as already down (found by a tester). When a status column's unknown words include a change's states
 * (CHANGE_STATES), a note says how its known words were read, and to leave the column out if it is not the CIs'
 * status. A typo among a column's words (`Operationl`) is reported as an unknown word only, as ever (a note on it
 * misled, found by a reviewer).
 */
import { cutList } from '../../../../shared/format.js';
import type { FieldVocab } from '../../../../shared/import-vocab.js';
import { ADVICE } from '../advice.js';

/** Words of each kind a note names. */
const SHOWN = 4;

/** The states of a change (ServiceNow's, Jira Service Management's, a CAB sheet's), lower case: none is a CI's status. */
const CHANGE_STATES = new Set([
  'new',
  'assess',
  'authorize',
  'authorized',
  'approved',
  'pending approval',
  'awaiting approval',
  'awaiting cab',
  'pending cab',
  'cab approved',
  'scheduled',
  'implement',
  'implementing',
  'awaiting implementation',
  'review',
  'in review',
  'peer review',
  'rejected',
  'cancelled',
  'canceled',
  'draft',
  'submitted',
]);

/** The notes for the status columns whose unknown words are a change's states; `dryRun`: nothing to undo. */
export function mixedVocabNotes(vocabs: readonly FieldVocab[], dryRun: boolean): string[] {
  const out: string[] = [];
  for (const v of vocabs) {
    if (v.field !== 'status' || v.column === undefined) continue;
    const states = v.unrecognised().filter((u) => CHANGE_STATES.has(u.value.trim().toLowerCase()));
    const known = v.recognised();
    if (states.length === 0 || known.length === 0) continue;
    const words = cutList(
      states.map((u) => `"${u.value}"`),
      SHOWN,
    );
    const read = cutList(
      known.map((k) => `"${k.value}" as ${k.stored}`),
      SHOWN,
    );
    out.push(
      `Column ${v.column}: ${words} ${states.length === 1 ? 'is a state' : 'are states'} of a change, not of a CI, and the column's other words ${dryRun ? 'would be' : 'were'} read as the CIs' status: ${read}. If the column is a change's state, ${ADVICE.leaveColumnOut.cli}${dryRun ? '' : ', undo this import'} and import it again.`,
    );
  }
  return out;
}
