import type { Role } from '../../../config/roles.ts';
import type { AttachmentKind } from '../../domain/vocabulary.ts';

/** ATTACHMENT_MAX_BYTES default: 20 MB. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

/** The audit event an upload appends to the project's hash chain (not a machine event). */
export const ATTACH_EVENT_TYPE = 'ATTACH_FILE';

/**
 * Who may attach which kind of file. Reading follows the project (staff, and the applicant on its
 * own projects; never the public). The applicant brings its proposal, budget, contracts,
 * invoices, acceptance records and correction material; inspectors and the supervisor their
 * evidence; the Finance Bureau the 国库支付凭证 and what it receives for a payment.
 */
export const ATTACHMENT_UPLOADERS: Record<AttachmentKind, readonly Role[]> = {
  proposal: ['applicant', 'center', 'admin'],
  budget: ['applicant', 'center', 'admin'],
  contract: ['applicant', 'center', 'finance', 'admin'],
  invoice: ['applicant', 'center', 'finance', 'admin'],
  acceptance: ['applicant', 'center', 'finance', 'admin'],
  'inspection-evidence': ['inspector', 'supervisor', 'admin'],
  'correction-material': ['applicant', 'center', 'admin'],
  'treasury-voucher': ['finance', 'admin'],
  other: ['applicant', 'center', 'finance', 'leadership', 'inspector', 'supervisor', 'evaluator', 'admin'],
};

/** States whose record is closed to new files. */
export const READ_ONLY_STATES = ['closed', 'rejected', 'withdrawn'] as const;
