/**
 * A criticality or status column whose words are partly not the scale's: a column that may not be what it
 * was read as. A change advisory board's sheet keeps the change's state in `Status` (Approved, Scheduled,
 * Pending CAB, Planned, Closed): its unknown words were reported, but `Closed` was stored as retired and
 * `Planned` as planned without a word, and an impact answer then counted a running database as already down
 * (found by a tester). Such a column gets a note saying how its known words were read, and what to do if it is
 * not the CIs' field. A column of known words only, or of unknown words only, gets none (the unknown ones are
 * reported as ever).
 */
import type { FieldVocab } from '../../../../shared/import-vocab.js';
import { ADVICE } from '../advice.js';

/** Words of each kind a note names. */
const SHOWN = 4;

const quoted = (words: readonly string[]) =>
  words
    .slice(0, SHOWN)
    .map((w) => `"${w}"`)
    .join(', ') + (words.length > SHOWN ? ', ...' : '');

/** The notes for the columns whose words are partly the scale's; `dryRun`: nothing to undo. */
export function mixedVocabNotes(vocabs: readonly FieldVocab[], dryRun: boolean): string[] {
  const out: string[] = [];
  for (const v of vocabs) {
    const known = v.recognised();
    const unknown = v.unrecognised();
    if (known.length === 0 || unknown.length === 0 || v.column === undefined) continue;
    const read =
      known
        .slice(0, SHOWN)
        .map((k) => `"${k.value}" as ${k.stored}`)
        .join(', ') + (known.length > SHOWN ? ', ...' : '');
    out.push(
      `Column ${v.column}: ${quoted(unknown.map((u) => u.value))} ${unknown.length === 1 ? 'is' : 'are'} not ${v.field} words, and its other words ${dryRun ? 'would be' : 'were'} read as the CIs' ${v.field}: ${read}. If the column is not the CIs' ${v.field} (a change's state, say), ${ADVICE.leaveColumnOut.cli}${dryRun ? '' : ', undo this import'} and import it again.`,
    );
  }
  return out;
}
