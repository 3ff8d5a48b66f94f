/** The "Open Recent" list: most recent first, no duplicates, kept as JSON in userData. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const MAX_RECENT = 10;

/** Puts `path` first; drops older duplicates (case-insensitively on Windows and macOS) and keeps MAX_RECENT. */
export function addRecent(list: readonly string[], path: string, platform: NodeJS.Platform = process.platform): string[] {
  const fold = platform === 'linux' ? (s: string) => s : (s: string) => s.toLowerCase();
  return [path, ...list.filter((p) => fold(p) !== fold(path))].slice(0, MAX_RECENT);
}

export function loadRecent(file: string): string[] {
  try {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(raw) ? raw.filter((p): p is string => typeof p === 'string' && p.length > 0).slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function saveRecent(file: string, list: readonly string[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(list));
  renameSync(`${file}.tmp`, file);
}
