/** The impact graph's code (Cytoscape with it), loaded apart from the app; asked for as the Impact screen opens, so it arrives while the engine works. */
import { chunk } from '../ui/chunk.js';

export const impactGraph = chunk(() => import('./ImpactGraph.js'));
export const loadImpactGraph = impactGraph.load;
