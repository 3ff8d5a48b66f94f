/** The Electron binary's path, or why there is none (see electron-binary.mjs). */
export function findElectronBinary(env?: NodeJS.ProcessEnv): { bin: string; reason?: undefined } | { bin?: undefined; reason: string };
