
/** ATTACHMENT_MAX_BYTES default: 20 MB. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

/** The audit event an upload appends to the project's hash chain (not a machine event). */
export const ATTACH_EVENT_TYPE = 'ATTACH_FILE';

/** Who may attach which kind: data in config/required-materials.ts, shared with the pages. */
export { ATTACHMENT_UPLOADERS } from '../../../config/required-materials.ts';

/** States whose record is closed to new files. */
export const READ_ONLY_STATES = ['closed', 'rejected', 'withdrawn'] as const;
