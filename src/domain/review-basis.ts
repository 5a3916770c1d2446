/**
 * The words of what a person deciding a task sees besides the project (src/usecases/tasks/review-basis.ts):
 * the rows' names, labelled in the message catalogues (section basisLabel).
 */
export const BASIS_LABELS = ['requested', 'approved', 'paid', 'left', 'overlap', 'overlap-match', 'for-reviewer'] as const;
export type BasisLabel = (typeof BASIS_LABELS)[number];
