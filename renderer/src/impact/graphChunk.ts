/** The impact graph's code (Cytoscape with it), loaded apart from the app; asked for as the Impact screen opens, so it arrives while the engine works. */
export const loadImpactGraph = () => import('./ImpactGraph.js');
