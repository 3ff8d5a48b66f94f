/**
 * The single-byte code pages a CSV that is not UTF-8 is written in, and
 * which of them a file is. Most such files are Windows-1252 (Excel on
 * Windows, most tools); Excel for Mac's "Comma Separated Values" and
 * "CSV (Macintosh)" write Mac Roman. The two put accented letters on
 * different bytes (é is 0xE9 in one, 0x8E in the other), so reading a file
 * with the wrong one stores wrong keys and names without an error: "cafŽ",
 * "Z‡rich".
 *
 * The bytes tell them apart. Read with the right code page, a byte above
 * 0x7F next to letters is a letter itself, in the case of the word around
 * it (café, ZÜRICH), or an apostrophe; read with the wrong one it is often
 * a symbol inside a word (Z‡rich: Windows-1252's ü read as Mac Roman) or a
 * capital letter after a small one (cafŽ, ZŸrich: Mac Roman's é and ü read
 * as Windows-1252). Each reading scores its bytes so; Mac Roman is chosen
 * only when it reads better, Windows-1252 being far the commoner. Words
 * with only an apostrophe (don’t) or a rare letter (œ) tell nothing
 * alone; a file's other accented words decide it. Typographic quotes and
 * dashes count for the reading that puts them where they are written
 * (“Rack A” – 2nd floor; read as Mac Roman, ìRack Aî ñ 2nd floor), as a
 * file in English has no other bytes above 0x7F.
 */
import { createRequire } from 'node:module';

export type SingleByteEncoding = 'windows1252' | 'macintosh';

/**
 * iconv-lite, loaded the first time a file is not UTF-8 (most are): its code is about a quarter of the CLI's
 * and of each import thread's, which every start would otherwise parse. (Node's own TextDecoder is no
 * substitute: it decodes windows-1252 as Latin-1 from Node 20.18.3 and 22.13, nodejs/node#60888.)
 */
let iconvLib: typeof import('iconv-lite') | null = null;
export function iconv(): typeof import('iconv-lite') {
  iconvLib ??= createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite');
  return iconvLib;
}

/** iconv-lite's name for a single-byte encoding. */
export function iconvName(encoding: SingleByteEncoding): string {
  return encoding === 'macintosh' ? 'macintosh' : 'windows-1252';
}

/** The characters of bytes 0x80 to 0xFF in each code page. */
const upperHalves = new Map<SingleByteEncoding, string[]>();
function upperHalf(encoding: SingleByteEncoding): string[] {
  let chars = upperHalves.get(encoding);
  if (!chars) {
    const bytes = Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i));
    chars = [...iconv().decode(bytes, iconvName(encoding))];
    upperHalves.set(encoding, chars);
  }
  return chars;
}

const LETTER = /\p{L}/u;
const APOSTROPHES = new Set(['’', '‘', 'ʼ', '´', '`']);
/**
 * Windows-1252's letters on bytes 0x80 to 0x9F (š, ž, œ, Š, Ž, Œ, Ÿ, ƒ): rare in the languages it is used for,
 * and where Mac Roman has its commonest accented letters (ö, û, ú, ä, é, å, ü). Read so, such a byte proves
 * nothing either way.
 */
const RARE = new Set(['š', 'ž', 'œ', 'Š', 'Ž', 'Œ', 'Ÿ', 'ƒ']);

/** Typographic quotes and dashes (Word and Excel put them in by themselves): each code page has them on its own bytes. */
const OPENING = new Set(['“', '‘', '„', '«']);
const CLOSING = new Set(['”', '’', '»']);
const DASHES = new Set(['–', '—']);
const ALNUM = /[\p{L}\p{N}]/u;

const isLetter = (c: string | undefined): boolean => c !== undefined && LETTER.test(c);
const isAlnum = (c: string | undefined): boolean => c !== undefined && ALNUM.test(c);
const isSpace = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || c === ',' || c === ';';

/** A quote or dash where one is written: “before” a word, after it”, a dash – between words or 2019–2020. */
function placedPunctuation(c: string, before: string | undefined, after: string | undefined): boolean {
  if (OPENING.has(c)) return !isAlnum(before) && isAlnum(after);
  if (CLOSING.has(c)) return isAlnum(before) && !isAlnum(after);
  if (DASHES.has(c)) return (isSpace(before) && isSpace(after)) || (isAlnum(before) && isAlnum(after));
  return false;
}
const isUpper = (c: string): boolean => c !== c.toLowerCase() && c === c.toUpperCase();
const isLower = (c: string): boolean => c !== c.toUpperCase() && c === c.toLowerCase();

/** How well the bytes above 0x7F read as words in this code page: +1 a plausible character, -1 an implausible one. */
function score(sample: Buffer, encoding: SingleByteEncoding): number {
  const high = upperHalf(encoding);
  const charAt = (i: number): string | undefined => {
    if (i < 0 || i >= sample.length) return undefined;
    const b = sample[i]!;
    return b < 0x80 ? String.fromCharCode(b) : high[b - 0x80];
  };
  let total = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i]! < 0x80) continue;
    const c = charAt(i)!;
    const before = charAt(i - 1);
    const after = charAt(i + 1);
    const wordBefore = isLetter(before);
    const wordAfter = isLetter(after);
    if (isLetter(c)) {
      // A capital right after a small letter (cafŽ), or between a letter and a small one (ZŸrich), or a small
      // letter right before a capital (“A” read as ìAî): a misreading.
      if (isUpper(c) && wordBefore && (isLower(before!) || (wordAfter && isLower(after!)))) total--;
      else if (isLower(c) && wordAfter && isUpper(after!)) total--;
      else if ((wordBefore || wordAfter) && !RARE.has(c)) total++;
    } else if (wordBefore && wordAfter)
      total += APOSTROPHES.has(c) ? 1 : -1; // a symbol inside a word: Z‡rich
    else if (placedPunctuation(c, before, after)) total++;
  }
  return total;
}

/** Which single-byte code page a sample that is not UTF-8 reads as: Mac Roman only when it reads better than Windows-1252. */
export function singleByteEncoding(sample: Buffer): SingleByteEncoding {
  return score(sample, 'macintosh') > score(sample, 'windows1252') ? 'macintosh' : 'windows1252';
}
