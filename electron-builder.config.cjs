// Packaging with electron-builder (`npm run dist`): Linux AppImage + deb,
// Windows NSIS, macOS dmg. better-sqlite3 is rebuilt for Electron's ABI and
// unpacked from the asar; fuses lock the binary down for release builds.
// Validated against electron-builder's own schema in tests/unit/shell-packaging.test.ts.

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'io.cmdbexplorer.desktop',
  productName: 'CMDB Explorer',
  executableName: 'cmdb-explorer',
  copyright: 'Copyright © CMDB Explorer contributors',
  directories: { output: 'release', buildResources: 'assets' },
  files: [
    'dist/cli.js',
    'dist/cli/**/*',
    'dist/import-worker.js',
    'dist/search-index-worker.js',
    'dist/rel-planner-worker.js',
    'dist/electron/**/*',
    'dist/renderer/**/*',
    '!dist/**/*.map',
    'assets/icon.png',
    'assets/demo/**/*',
    // The tables the demo is generated from are for developers, not the app.
    '!assets/demo/source/**',
    'README.md',
    // README.md is a front page: Help > Documentation opens it, and its links lead into docs/.
    'docs/**/*',
    'package.json',
  ],
  extraMetadata: { main: 'dist/electron/main.js' },
  asar: true,
  // The native addon cannot load from inside the asar archive. iconv-lite (and its safer-buffer) is not in the
  // bundles either: the import threads load it at run time, only for a file that is not UTF-8, as plain files
  // like the addon's.
  asarUnpack: [
    'node_modules/better-sqlite3/**/*',
    'node_modules/bindings/**/*',
    'node_modules/file-uri-to-path/**/*',
    'node_modules/iconv-lite/**/*',
    'node_modules/safer-buffer/**/*',
  ],
  // Rebuild native dependencies (better-sqlite3) for the Electron version being packaged.
  npmRebuild: true,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  icon: 'assets/icon.png',
  fileAssociations: [{ ext: 'cmdb', name: 'CMDB', description: 'CMDB Explorer database', role: 'Editor', mimeType: 'application/x-cmdb' }],
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    icon: 'assets/icon.png',
    synopsis: 'Offline CMDB explorer and change impact analysis',
    maintainer: 'CMDB Explorer contributors <maintainers@cmdbexplorer.invalid>',
  },
  deb: { priority: 'optional' },
  win: { target: ['nsis'], icon: 'assets/icon.png' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, createDesktopShortcut: true },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
    icon: 'assets/icon.png',
    hardenedRuntime: true,
  },
  dmg: { title: '${productName} ${version}' },
};
