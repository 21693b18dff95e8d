export type { TimelineRow } from './rows.js'
export { clip, MAX_TEXT, timelineRow } from './rows.js'
