/**
 * The main window's size and position, kept as JSON in userData so the
 * window comes back where it was, unless that place is no longer on any
 * screen (a monitor was unplugged).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the system place the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_WIDTH = 720;
export const MIN_HEIGHT = 480;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Turns whatever was saved into a usable state for the given screens' work
 * areas: sizes clamped to the minimum and to the largest screen, and the
 * position dropped unless a good part of the title bar is on some screen.
 */
export function sanitizeWindowState(raw: unknown, workAreas: readonly Rect[]): WindowState {
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_WINDOW_STATE };
  const r = raw as Record<string, unknown>;
  const maxW = Math.max(MIN_WIDTH, ...workAreas.map((a) => a.width));
  const maxH = Math.max(MIN_HEIGHT, ...workAreas.map((a) => a.height));
  const width = finite(r.width) ? Math.round(Math.min(Math.max(r.width, MIN_WIDTH), maxW)) : DEFAULT_WINDOW_STATE.width;
  const height = finite(r.height) ? Math.round(Math.min(Math.max(r.height, MIN_HEIGHT), maxH)) : DEFAULT_WINDOW_STATE.height;
  const state: WindowState = { width, height, maximized: r.maximized === true };
  if (finite(r.x) && finite(r.y)) {
    const x = Math.round(r.x);
    const y = Math.round(r.y);
    // The title bar (the top 40 px) must overlap a work area by at least 100 x 20 px, or the user could not grab it.
    const titleBar = { x, y, width, height: 40 };
    if (workAreas.some((a) => grabbable(titleBar, a))) {
      state.x = x;
      state.y = y;
    }
  }
  return state;
}

function grabbable(titleBar: Rect, area: Rect): boolean {
  const w = Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x);
  const h = Math.min(titleBar.y + titleBar.height, area.y + area.height) - Math.max(titleBar.y, area.y);
  return w >= 100 && h >= 20;
}

/** Reads the saved state; a missing or damaged file gives the defaults. */
export function loadWindowState(file: string, workAreas: readonly Rect[]): WindowState {
  try {
    return sanitizeWindowState(JSON.parse(readFileSync(file, 'utf8')), workAreas);
  } catch {
    return sanitizeWindowState(null, workAreas);
  }
}

/** Writes the state atomically (temp file + rename), so a crash mid-write keeps the old one. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}
