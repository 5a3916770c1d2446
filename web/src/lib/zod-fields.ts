import type { z } from 'zod';

/** zod issues as antd Form field errors: [{ name: ['targets', 0, 'weight'], errors: ['...'] }]. */
export function fieldErrorsOf(error: z.ZodError): { name: (string | number)[]; errors: string[] }[] {
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const issue of error.issues) {
    const name = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(issue.message);
    byField.set(key, entry);
  }
  return [...byField.values()];
}

/** The issues as one line a person can read, for issues no field shows. */
export function summaryOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '内容'}：${issue.message}`).join('；');
}
