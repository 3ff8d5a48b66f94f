/** Flags every Chromium launch in the tests uses (see chromium.mjs). */
export const CHROMIUM_ARGS: string[];
/** One line telling a person how to get a Chromium. */
export const HOW_TO_GET_CHROMIUM: string;
/** The Chromium to launch and where it came from, or why there is none (see chromium.mjs). */
export function findChromium(
  env?: NodeJS.ProcessEnv,
  probe?: { systemPaths?: string[]; playwright?: () => string | null },
): { path: string; source: string; reason?: undefined } | { path: null; source?: undefined; reason: string };
