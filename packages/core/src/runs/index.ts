export type { RunPair } from './pair.js'
export { countPairs, pairRuns } from './pair.js'
export { checkRunNames, runMatches, selectRuns } from './select.js'
