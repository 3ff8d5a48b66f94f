/**
 * The `cmdb` command: the same engine as the app, from a terminal.
 *
 * This entry stays small. For an import it starts the import's thread first, so that thread loads while
 * this one loads the commands (cli/program.ts, a chunk of its own in the bundle): about a tenth of a second
 * off every import. Every other command only loads the program.
 */
import { mayPlanRelationships, prewarmImportWorker } from './cmdb/import/warm-worker.js';

const [command, ...rest] = process.argv.slice(2);
// A dry run may run in memory and --help runs nothing: neither needs the thread (import-commands decides again).
if (command === 'import' && !rest.some((a) => a === '--help' || a === '-h' || a === '--dry-run'))
  prewarmImportWorker({ planner: mayPlanRelationships(rest) });

await import('./cli/program.js');
