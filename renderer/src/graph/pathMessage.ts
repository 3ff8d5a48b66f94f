/** The graph's path search result in words (pure: Node tests import it). */

/** What a path search found, in words: the path runs the way the relationships run, from either end. */
export function pathMessage(
  a: string,
  b: string,
  found: { hops: number; forward: boolean; names: string[] } | { throughGroups: string[] } | null,
): string {
  if (found && 'throughGroups' in found) {
    const groups = found.throughGroups.map((g) => `“${g}”`).join(', ');
    const one = found.throughGroups.length === 1;
    return (
      `No path between ${a} and ${b} along the relationships' direction through CIs on the drawn graph: ` +
      `the only one runs through the group${one ? '' : 's'} ${groups}, which stand${one ? 's' : ''} for several CIs and may not link them. ` +
      `Open the group${one ? '' : 's'} to see whether a path runs through ${one ? 'its' : 'their'} CIs.`
    );
  }
  if (!found)
    return `No path between ${a} and ${b} along the relationships' direction on the drawn graph. Expand nodes or raise the depth.`;
  const [from, to] = found.forward ? [a, b] : [b, a];
  const plural = found.hops === 1 ? '' : 's';
  const reversed = found.forward ? '' : ` (none runs from ${a} to ${b})`;
  return `Shortest path ${from} → ${to}: ${found.hops} hop${plural}${reversed}: ${found.names.join(' → ')}.`;
}
