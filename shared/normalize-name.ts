/**
 * A name as people mean it, for comparing: the health rules' duplicates, the importer's type words and the
 * search's ranking. A module with no imports: the import's threads use it, and must not load zod to do so.
 */

// eslint-disable-next-line no-control-regex -- every ASCII character, control characters included
const ASCII = /^[\x00-\x7f]*$/;
const NOT_ASCII_ALNUM = /[^a-z0-9]+/g;

/**
 * A name as the duplicate rule compares it: case folded, accents, spaces and
 * punctuation removed ("Web-01 " and "web 01" and "WEB_01" are the same).
 */
export function normalizeName(name: string): string {
  return foldText(name, '');
}

/**
 * Text as the search index reads it (unicode61, diacritics removed): case and accents folded, and each run of what
 * is not a letter or digit (spaces, hyphens, dots) as `between`, the ends trimmed; "" for normalizeName, " " for
 * words (the search's ranking: `web-host` reads as the name "Web host").
 */
export function foldText(text: string, between: string): string {
  // ASCII (most names and keys): the same result without Unicode normalisation, several times faster.
  const folded = ASCII.test(text)
    ? text.toLowerCase().replace(NOT_ASCII_ALNUM, between)
    : text
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, between);
  return between === '' ? folded : folded.trim();
}
