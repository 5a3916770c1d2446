/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and the capitals without I, O, S, V, Z;
 * the 18th is a check character computed from the first 17 with weights 3^(i-1) mod 31.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

export type CreditCodeProblem = 'length' | 'character' | 'check-character';

export interface CreditCodeCheck {
  valid: boolean;
  problem?: CreditCodeProblem;
  message?: string;
}

export function checkCreditCode(code: string): CreditCodeCheck {
  if (code.length !== 18) {
    return { valid: false, problem: 'length', message: `must be 18 characters, got ${code.length}` };
  }
  const values: number[] = [];
  for (const [position, char] of [...code].entries()) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) {
      return {
        valid: false,
        problem: 'character',
        message: `character ${JSON.stringify(char)} at position ${position + 1} is outside the set 0-9 A-H J-N P-R T U W-Y`,
      };
    }
    values.push(value);
  }
  const sum = values.slice(0, 17).reduce((acc, value, i) => acc + value * WEIGHTS[i]!, 0);
  const expected = ALPHABET[(31 - (sum % 31)) % 31];
  if (code[17] !== expected) {
    return { valid: false, problem: 'check-character', message: 'fails its check character (校验码错误)' };
  }
  return { valid: true };
}
