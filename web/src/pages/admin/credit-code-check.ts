import { checkCreditCode } from '../../../../src/domain/credit-code.ts';

const PROBLEM_ZH = { length: '应为 18 位', character: '含有不允许的字符（不使用 I、O、S、V、Z）', 'check-character': '校验码错误，请核对' } as const;
const PROBLEM_EN = { length: 'must be 18 characters', character: 'has a character outside the allowed set (no I, O, S, V, Z)', 'check-character': 'fails its check character' } as const;

/** Kept free of antd (a plain form rule shape) so that unit tests import it without the page. */

/** What is wrong with a typed 统一社会信用代码, in words, or null when it is valid (the server's own checker, GB 32100-2015). */
export function creditCodeProblem(code: string, lang: 'zh' | 'en'): string | null {
  const check = checkCreditCode(code.trim().toUpperCase());
  if (check.valid || !check.problem) return null;
  return lang === 'zh' ? `统一社会信用代码${PROBLEM_ZH[check.problem]}${check.problem === 'length' ? `，当前 ${code.trim().length} 位` : ''}` : `The credit code ${PROBLEM_EN[check.problem]}`;
}

/** A form rule that checks the code on every keystroke; `required` for the beneficiary registry. */
export function creditCodeRule(lang: 'zh' | 'en', required: boolean): { validator: (rule: unknown, value: string | undefined) => Promise<void> } {
  return {
    validator: async (_rule: unknown, value: string | undefined) => {
      if (!value) {
        if (required) throw new Error(lang === 'zh' ? '请输入统一社会信用代码' : 'Enter the credit code');
        return;
      }
      const problem = creditCodeProblem(value, lang);
      if (problem) throw new Error(problem);
    },
  };
}
