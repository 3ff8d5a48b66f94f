/** `cmdb graph`: the neighbourhood of a CI written as JSON, GraphML, DOT or draw.io (the contract's exportGraph). */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Direction } from '../../shared/domain.js';
import { CmdbError } from '../../shared/errors.js';
import { GRAPH_EXPORT_FORMATS, type GraphExportFormat } from '../../shared/graph.js';
import { ciLabel } from '../../shared/ci-label.js';
import {
  action,
  namesOf,
  parseInteger,
  requestMax,
  parseList,
  resolveKeys,
  unwrap,
  withCommon,
  withService,
  outputFormat,
  type OutputFormats,
  type GlobalOpts,
  outFile,
} from './common.js';
import { printDocument, printLines, printResult } from './terminal.js';
import { refuseOverwrites } from './output-paths.js';

const DIRECTIONS: Record<string, Direction> = {
  up: 'upstream',
  upstream: 'upstream',
  down: 'downstream',
  downstream: 'downstream',
  both: 'both',
};

/** The graph's formats, as --format and an --out file's extension name them (outputFormat): .gv is DOT too. */
const GRAPH_FORMATS: OutputFormats<GraphExportFormat> = { ...Object.fromEntries(GRAPH_EXPORT_FORMATS.map((f) => [f, f])), gv: 'dot' };

/** The format asked for, or the one --out's extension names (outputFormat); JSON on standard output for --json. */
function formatOf(format: string | undefined, out: string | undefined, json: boolean): GraphExportFormat {
  const f = outputFormat(GRAPH_FORMATS, { format, out }, { fallback: json ? 'json' : undefined });
  if (f) return f;
  throw new CmdbError('INVALID_REQUEST', `give --format ${GRAPH_EXPORT_FORMATS.join('|')} (or an --out file ending in one of them).`);
}

interface GraphOpts extends GlobalOpts {
  depth: string;
  direction: string;
  types?: string;
  relTypes?: string;
  groupBy?: string;
  maxNodes: string;
  format?: string;
  out?: string;
}

export function registerGraphCommand(program: Command): void {
  withCommon(program.command('graph'))
    .description('write the neighbourhood of a CI as JSON, GraphML (yEd, Gephi), DOT (Graphviz) or draw.io (diagrams.net)')
    .argument('<ci>', 'the centre: a CI key, or a name only one CI has')
    .option('--depth <n>', 'hops from the centre (0 to 10)', '1')
    .option('--direction <dir>', 'up (what it depends on), down (what depends on it) or both', 'both')
    .option('--types <types>', 'CI types to draw (comma-separated); the others are walked through and drawn as implied edges')
    .option('--rel-types <types>', 'relationship types to follow (comma-separated)')
    .option('--group-by <field>', 'one node per value of a field (type, owner, environment, status, criticality) or an attribute')
    .option('--max-nodes <n>', 'nodes drawn at most', '2000')
    .option('--format <format>', `${GRAPH_EXPORT_FORMATS.join(', ')} (default: from the --out file's extension)`)
    .option('--out <file>', 'the file to write; - or none: standard output')
    .action(
      action(async (ref: string, given: GraphOpts) => {
        const opts = { ...given, out: outFile(given.out) };
        const direction = DIRECTIONS[opts.direction.toLowerCase()];
        if (!direction) throw new CmdbError('INVALID_REQUEST', `--direction must be up, down or both, not "${opts.direction}".`);
        // The CMDB named as the output is refused first, whatever its extension.
        refuseOverwrites(opts.db, [['--out', opts.out]]);
        const format = formatOf(opts.format, opts.out, opts.json === true);
        const depth = parseInteger('--depth', opts.depth, 0, requestMax('exportGraph', 'depth'))!;
        const maxNodes = parseInteger('--max-nodes', opts.maxNodes, 1, requestMax('exportGraph', 'maxNodes'));
        await withService(opts, 'read', async (svc) => {
          const [key] = await resolveKeys(svc, [ref], opts);
          const file = await unwrap(
            svc.call('exportGraph', {
              key: key!,
              depth,
              direction,
              ciTypes: parseList(opts.types),
              relTypes: parseList(opts.relTypes),
              maxNodes,
              grouping: opts.groupBy ? { by: opts.groupBy } : undefined,
              format,
            }),
          );
          // A cut graph handed on as the whole would mislead: the file says so, and so does the command.
          if (!opts.out) {
            if (file.truncated)
              printLines(
                [
                  `cmdb: the neighbourhood has more CIs than --max-nodes ${opts.maxNodes}: ${file.omitted} more at its edge are not in the graph written (it says so). Raise --max-nodes, lower --depth, or --group-by type to draw them all.`,
                ],
                'stderr',
              );
            printDocument(file.content);
            return;
          }
          writeFileSync(opts.out, file.content);
          const centre = ciLabel((await namesOf(svc, [key!]))[0] ?? { key: key! });
          const written = {
            file: opts.out,
            format,
            mime: file.mime,
            bytes: Buffer.byteLength(file.content),
            truncated: file.truncated,
            omitted: file.omitted,
          };
          printResult(opts, written, (r) => [
            `Wrote the neighbourhood of ${centre} (depth ${depth}, ${direction}) as ${format} to ${r.file}${r.truncated ? `, cut at --max-nodes: ${r.omitted} more CIs not in it` : ''}.`,
          ]);
        });
      }),
    );
}
