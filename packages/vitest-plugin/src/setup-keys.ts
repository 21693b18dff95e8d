/** The `task.meta` key of a test file holding its `.rpk` entry for the report. */
export const META_FILE = 'replaykitFile'
