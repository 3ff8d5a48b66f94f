/**
 * A name as people mean it, for comparing: the health rules' duplicates and the importer's type words. A
 * module with no imports: the import's threads use it, and must not load zod to do so.
 */

// eslint-disable-next-line no-control-regex -- every ASCII character, control characters included
const ASCII = /^[\x00-\x7f]*$/;
const NOT_ASCII_ALNUM = /[^a-z0-9]+/g;

/**
 * A name as the duplicate rule compares it: case folded, accents, spaces and
 * punctuation removed ("Web-01 " and "web 01" and "WEB_01" are the same).
 */
export function normalizeName(name: string): string {
  // ASCII (most names): the same result without Unicode normalisation, several times faster.
  if (ASCII.test(name)) return name.toLowerCase().replace(NOT_ASCII_ALNUM, '');
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}
