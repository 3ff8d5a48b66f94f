/**
 * The order of a search's matches (up to SEARCH_RANK_LIMIT of them), as people scan a list of names: an exact
 * key or name first, then names that begin with what was typed, then keys that do (in key order: a key typed in
 * part), then by how many of the typed words the name holds, names of fewer words first and in name order among
 * those alike (Orders DB host 01 before host 02), and last by the full-text match over every column. bm25 alone
 * weighs the whole row, so a longer description put host 01 after host 03.
 */

import { foldText } from '../../shared/normalize-name.js';

/** A match as the ranking reads it: id, key, name, and FTS5's rank over every column (lower is better). */
export type Match = [id: number, key: string, name: string, rank: number];

/** Text as the search index reads it: case, accents and punctuation folded, words apart by one space. */
const fold = (text: string): string => foldText(text, ' ');

/** Words as the search index's tokenizer cuts them: folded text's, between its spaces. */
function words(folded: string): string[] {
  return folded === '' ? [] : folded.split(' ');
}

/** The ids of `matches` in the order above. */
export function rankMatches(matches: readonly Match[], typed: string): number[] {
  const query = fold(typed);
  const wanted = words(query);
  const scored = matches.map(([id, key, name, rank]) => {
    const k = fold(key);
    const n = fold(name);
    const nameWords = words(n);
    let held = 0;
    for (const w of wanted) if (nameWords.some((x) => x.startsWith(w))) held++;
    const nameBegins = n.startsWith(query);
    const keyBegins = !nameBegins && k.startsWith(query);
    return {
      id,
      name: n,
      rank,
      exact: k === query || n === query ? 0 : 1,
      begins: nameBegins || keyBegins ? 0 : 1,
      // Keys that begin with it (a key typed in part, vm-0000): after the names that do, in key order.
      byKey: keyBegins ? k : null,
      missing: wanted.length - held,
      // Word count and name order only among names that hold a typed word; the rest by the match alone.
      size: held > 0 ? nameWords.length : 0,
      byName: held > 0,
    };
  });
  scored.sort(
    (a, b) =>
      a.exact - b.exact ||
      a.begins - b.begins ||
      (a.byKey === null ? 0 : 1) - (b.byKey === null ? 0 : 1) ||
      (a.byKey !== null && b.byKey !== null ? (a.byKey < b.byKey ? -1 : a.byKey > b.byKey ? 1 : 0) : 0) ||
      a.missing - b.missing ||
      a.size - b.size ||
      (a.byName && b.byName ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : 0) ||
      a.rank - b.rank ||
      a.id - b.id,
  );
  return scored.map((s) => s.id);
}
