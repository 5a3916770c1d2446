import { BUDGET_CATEGORIES, DEFAULT_ITEM_RULES, type BudgetCategory } from '../../../config/item-rules.ts';
import type { BudgetLine } from '../../../machines/project.schemas.ts';
import { fenToYuanText, parseYuanToFen } from './format.ts';

/** One row of the form: the amount is typed in 元 (text), the rest as the schema has it. */
export interface BudgetRow {
  category?: BudgetCategory;
  description?: string;
  amount?: string;
  persons?: number | null;
  days?: number | null;
  sessions?: number | null;
}

export const isTraining = (category: string | undefined) => DEFAULT_ITEM_RULES.trainingCategories.includes(category as BudgetCategory);

/** The categories of an item's 开支范围 (every category for an item without a cost clause). */
export function categoriesOf(item: number | undefined): BudgetCategory[] {
  const allowed = item === undefined ? undefined : DEFAULT_ITEM_RULES.allowedCategories[String(item)];
  return [...(allowed ?? BUDGET_CATEGORIES)];
}

/** Form rows → the proposal's budgetLines (an unparseable amount stays out, so the schema names the row). */
export function budgetLinesOf(rows: BudgetRow[] | undefined): Partial<BudgetLine>[] {
  return (rows ?? []).filter(Boolean).map((row) => {
    const fen = parseYuanToFen(row.amount ?? '');
    const training = isTraining(row.category);
    return {
      ...(row.category ? { category: row.category } : {}),
      description: (row.description ?? '').trim(),
      ...(fen !== null ? { amountFen: fen } : {}),
      ...(training && row.persons ? { persons: row.persons } : {}),
      ...(training && row.days ? { days: row.days } : {}),
      ...(training && row.sessions ? { sessions: row.sessions } : {}),
    };
  });
}

export function budgetRowsOf(lines: readonly BudgetLine[] | undefined): BudgetRow[] {
  return (lines ?? []).map((line) => ({
    category: line.category,
    description: line.description,
    amount: fenToYuanText(line.amountFen),
    persons: line.persons ?? null,
    days: line.days ?? null,
    sessions: line.sessions ?? null,
  }));
}

