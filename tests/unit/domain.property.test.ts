import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE_RULES, type LifecycleRules } from '../../config/lifecycle-rules.ts';
import { ROLES, type ApprovalRole, type Role } from '../../config/roles.ts';
import { PROJECT_EVENT_TYPES, type ProjectEventType } from '../../machines/project.schemas.ts';
import type { ProjectContext } from '../../machines/project.types.ts';
import { routeApprovalChain } from '../../src/domain/approval-routing.ts';
import {
  canonicalJson,
  GENESIS_HASH,
  hashAuditRecord,
  verifyChain,
  type AuditRecord,
} from '../../src/domain/audit-chain.ts';
import { authorizeEvent, EVENT_POLICIES } from '../../src/domain/authorization.ts';
import { addDays, BUSINESS_TIME_ZONE, businessDateOf, businessDateSchema } from '../../src/domain/business-date.ts';
import { checkCreditCode } from '../../src/domain/credit-code.ts';
import { gradeOf, totalScoreOf } from '../../src/domain/evaluation-grade.ts';
import { formatYuan, MAX_FEN, sumFen } from '../../src/domain/money.ts';
import { initialSnapshot } from './support/project-model.ts';

const fen = fc.oneof(
  fc.constantFrom(0n, 1n, 9n, 10n, 99n, 100n, 101n, 99_999n, 100_000n, 123_456_789n, BigInt(MAX_FEN) - 1n, BigInt(MAX_FEN)),
  fc.bigInt({ min: 0n, max: BigInt(MAX_FEN) }),
);

/** Reads a formatYuan string back into fen, refusing anything not of the exact form 1,234.56. */
function parseYuan(text: string): bigint {
  const match = /^(-?)(0|[1-9]\d{0,2}(?:,\d{3})*)\.(\d{2})$/.exec(text);
  if (!match) throw new Error(`not a yuan amount: ${text}`);
  const [, sign, yuan, cents] = match;
  const value = BigInt(yuan!.replaceAll(',', '')) * 100n + BigInt(cents!);
  return sign === '-' ? -value : value;
}

describe('money (integer fen)', () => {
  it('formatYuan never loses a fen: parsing it back gives the input, for 0..10^15, as number or bigint', () => {
    fc.assert(
      fc.property(fen, (amount) => {
        const asBigint = formatYuan(amount);
        expect(parseYuan(asBigint)).toBe(amount);
        expect(formatYuan(Number(amount))).toBe(asBigint);
        if (amount > 0n) expect(formatYuan(-amount)).toBe(`-${asBigint}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('formatYuan writes two decimals and thousands separators', () => {
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(12_000_000)).toBe('120,000.00');
    expect(formatYuan(MAX_FEN)).toBe('10,000,000,000,000.00');
    expect(formatYuan(123_456_789_01n)).toBe('123,456,789.01');
  });

  it('sumFen is exact where a float sum is not', () => {
    const amounts = [...Array.from({ length: 10 }, () => MAX_FEN), 1];
    expect(BigInt(amounts.reduce((a, b) => a + b, 0))).not.toBe(10_000_000_000_000_001n); // the float sum is off
    expect(sumFen(amounts)).toBe(10_000_000_000_000_001n);
    expect(sumFen([])).toBe(0n);
  });

  it('sumFen equals an independent sum in two exact Number halves, and is additive', () => {
    const SPLIT = 100_000_000n;
    fc.assert(
      fc.property(fc.array(fen, { maxLength: 60 }), fc.array(fen, { maxLength: 20 }), (left, right) => {
        let high = 0;
        let low = 0;
        for (const amount of left) {
          high += Number(amount / SPLIT);
          low += Number(amount % SPLIT);
        }
        const expected = BigInt(high) * SPLIT + BigInt(low);
        expect(sumFen(left)).toBe(expected);
        expect(sumFen(left.map(Number))).toBe(expected);
        expect(sumFen([...left, ...right])).toBe(sumFen(left) + sumFen(right));
        expect(parseYuan(formatYuan(sumFen(left)))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('approval routing', () => {
  const item = fc.integer({ min: 1, max: 13 });
  const amount = fc.oneof(fc.integer({ min: 1, max: 100_000_000 }), fc.bigInt({ min: 1n, max: BigInt(MAX_FEN) }).map(Number));
  const threshold = fc.oneof(fc.constantFrom(0, 1, 50_000_000, MAX_FEN), fc.integer({ min: 0, max: 200_000_000 }));

  it('always starts center, finance; leadership is added last iff item 13 or amount >= threshold (default items)', () => {
    fc.assert(
      fc.property(item, amount, threshold, (itemId, requestedFen, leadershipThresholdFen) => {
        const rules: LifecycleRules = { ...DEFAULT_LIFECYCLE_RULES, leadershipThresholdFen };
        const chain = routeApprovalChain(itemId, requestedFen, rules);
        const needsLeadership = itemId === 13 || requestedFen >= leadershipThresholdFen;
        expect(chain).toEqual(needsLeadership ? ['center', 'finance', 'leadership'] : ['center', 'finance']);
      }),
      { numRuns: 1000 },
    );
  });

  it('follows the configured leadership items, whatever they are', () => {
    fc.assert(
      fc.property(item, amount, threshold, fc.uniqueArray(item, { maxLength: 13 }), (itemId, requestedFen, leadershipThresholdFen, leadershipItems) => {
        const rules: LifecycleRules = { ...DEFAULT_LIFECYCLE_RULES, leadershipThresholdFen, leadershipItems };
        const chain = routeApprovalChain(itemId, requestedFen, rules);
        expect(chain.slice(0, 2)).toEqual(['center', 'finance']);
        expect(chain.includes('leadership')).toBe(leadershipItems.includes(itemId) || requestedFen >= leadershipThresholdFen);
        expect(chain.length).toBeLessThanOrEqual(3);
      }),
      { numRuns: 500 },
    );
  });

  it('treats the threshold as inclusive', () => {
    const rules = DEFAULT_LIFECYCLE_RULES;
    expect(routeApprovalChain(5, rules.leadershipThresholdFen - 1, rules)).toEqual(['center', 'finance']);
    expect(routeApprovalChain(5, rules.leadershipThresholdFen, rules)).toEqual(['center', 'finance', 'leadership']);
    expect(routeApprovalChain(13, 1, rules)).toEqual(['center', 'finance', 'leadership']);
  });
});

describe('business dates (Asia/Shanghai)', () => {
  // Shanghai has kept UTC+8 without daylight saving since 1992.
  const instant = fc.date({ min: new Date('1992-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });
  const date = instant.map((value) => value.toISOString().slice(0, 10));

  it('uses Asia/Shanghai', () => {
    expect(BUSINESS_TIME_ZONE).toBe('Asia/Shanghai');
    expect(businessDateOf(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
    expect(businessDateOf(new Date('2024-12-31T15:59:59.999Z'))).toBe('2024-12-31');
  });

  it('an instant at 16:00Z is already the next day; 15:59:59.999Z is still the same day', () => {
    fc.assert(
      fc.property(date, (day) => {
        expect(businessDateOf(new Date(`${day}T16:00:00.000Z`))).toBe(addDays(day, 1));
        expect(businessDateOf(new Date(`${day}T15:59:59.999Z`))).toBe(day);
        expect(businessDateOf(new Date(`${day}T00:00:00.000Z`))).toBe(day);
      }),
      { numRuns: 500 },
    );
  });

  it('businessDateOf is the UTC date eight hours later, for any instant', () => {
    fc.assert(
      fc.property(instant, (value) => {
        expect(businessDateOf(value)).toBe(new Date(value.getTime() + 8 * 3_600_000).toISOString().slice(0, 10));
      }),
      { numRuns: 1000 },
    );
  });

  it('addDays has an inverse, composes, and writes valid YYYY-MM-DD dates', () => {
    const days = fc.integer({ min: -40_000, max: 40_000 });
    fc.assert(
      fc.property(date, days, days, (day, a, b) => {
        const shifted = addDays(day, a);
        expect(businessDateSchema.safeParse(shifted).success).toBe(true);
        expect(addDays(shifted, -a)).toBe(day);
        expect(addDays(addDays(day, a), b)).toBe(addDays(day, a + b));
        expect(Math.sign(shifted.localeCompare(day))).toBe(Math.sign(a));
      }),
      { numRuns: 1000 },
    );
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });
});

describe('audit chain', () => {
  /** A deterministic permutation source for reordering keys. */
  function randomFrom(seed: number) {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function reorderKeys(value: unknown, random: () => number): unknown {
    if (Array.isArray(value)) return value.map((item) => reorderKeys(item, random));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, reorderKeys(item, random)] as const);
    for (let i = entries.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries);
  }

  it('canonicalJson is independent of key order, and stable across a JSON round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        const canonical = canonicalJson(value);
        expect(canonicalJson(reorderKeys(value, randomFrom(seed)))).toBe(canonical);
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonical);
        expect(canonicalJson(JSON.parse(canonical))).toBe(canonical);
      }),
      { numRuns: 500 },
    );
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });

  type Fields = Omit<AuditRecord, 'projectId' | 'seq' | 'prevHash'>;
  const fields: fc.Arbitrary<Fields> = fc.record({
    eventType: fc.constantFrom('PROPOSE', ...PROJECT_EVENT_TYPES),
    actorId: fc.option(fc.uuid(), { nil: null }),
    actorRole: fc.constantFrom(...ROLES, 'system'),
    channel: fc.constantFrom('api', 'email', 'page', 'worker', 'cli'),
    fromState: fc.option(fc.string({ maxLength: 30 }), { nil: null }),
    toState: fc.string({ maxLength: 30 }),
    payload: fc.jsonValue({ maxDepth: 3 }),
    reason: fc.option(fc.string({ maxLength: 40 }), { nil: null }),
    occurredAt: fc
      .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true })
      .map((value) => value.toISOString()),
  });

  function buildChain(projectId: string, list: readonly Fields[]): (AuditRecord & { hash: string })[] {
    let prevHash = GENESIS_HASH;
    return list.map((item, index) => {
      const record: AuditRecord = { projectId, seq: index + 1, ...item, prevHash };
      const hash = hashAuditRecord(record);
      prevHash = hash;
      return { ...record, hash };
    });
  }

  const FIELD_NAMES = [
    'projectId', 'seq', 'eventType', 'actorId', 'actorRole', 'channel', 'fromState', 'toState', 'payload', 'reason', 'occurredAt', 'prevHash', 'hash',
  ] as const;

  function altered(value: unknown, name: string): unknown {
    if (name === 'seq') return (value as number) + 1;
    if (name === 'payload') return { altered: value };
    if (name === 'hash' || name === 'prevHash') {
      const text = value as string;
      return `${text[0] === '0' ? '1' : '0'}${text.slice(1)}`;
    }
    return value === null ? 'x' : `${value as string}x`;
  }

  it('verifyChain accepts a correctly built chain of arbitrary payloads', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.array(fields, { minLength: 0, maxLength: 8 }), (projectId, list) => {
        expect(verifyChain(buildChain(projectId, list))).toEqual({ ok: true, checked: list.length });
      }),
      { numRuns: 200 },
    );
  });

  it('verifyChain rejects any single altered field and names the seq of the altered event', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.array(fields, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.constantFrom(...FIELD_NAMES),
        (projectId, list, pick, name) => {
          const chain = buildChain(projectId, list);
          const index = pick % chain.length;
          const record = chain[index]!;
          const tampered = chain.map((item, i) => (i === index ? { ...item, [name]: altered(item[name], name) } : item));
          const check = verifyChain(tampered);
          expect(check.ok).toBe(false);
          if (check.ok) return;
          expect(check.checked).toBe(index);
          if (name === 'seq') {
            expect(check.problem).toBe(`expected seq ${record.seq}, found ${record.seq + 1} (an event is missing)`);
          } else {
            expect(check.seq).toBe(record.seq);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('verifyChain names the event after a removed one', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.array(fields, { minLength: 2, maxLength: 6 }), fc.nat(), (projectId, list, pick) => {
        const chain = buildChain(projectId, list);
        const removed = pick % (chain.length - 1);
        const check = verifyChain(chain.filter((_, i) => i !== removed));
        expect(check).toMatchObject({ ok: false, checked: removed, seq: removed + 2 });
      }),
      { numRuns: 200 },
    );
  });
});

describe('统一社会信用代码 (credit codes)', () => {
  const VALID = '91350100M000100Y43';
  const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  /** The weights GB 32100-2015 prints, written out rather than computed. */
  const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  function checkCharacter(first17: string): string {
    const sum = [...first17].reduce((acc, char, i) => acc + ALPHABET.indexOf(char) * WEIGHTS[i]!, 0);
    return ALPHABET[(31 - (sum % 31)) % 31]!;
  }
  const codeBody = fc.array(fc.constantFrom(...ALPHABET), { minLength: 17, maxLength: 17 }).map((chars) => chars.join(''));
  const validCode = codeBody.map((body) => body + checkCharacter(body));

  it(`accepts ${VALID}`, () => {
    expect(checkCharacter(VALID.slice(0, 17))).toBe(VALID[17]);
    expect(checkCreditCode(VALID)).toEqual({ valid: true });
  });

  it('refuses every single-character change of it', () => {
    const replacements = [...ALPHABET, ...'IOSVZ', 'a', 'm', 'y', ' ', '-', '中', '０'];
    let changes = 0;
    for (let position = 0; position < VALID.length; position += 1) {
      for (const char of replacements) {
        if (char === VALID[position]) continue;
        const changed = VALID.slice(0, position) + char + VALID.slice(position + 1);
        const check = checkCreditCode(changed);
        expect(check.valid, changed).toBe(false);
        expect(check.problem, changed).toBe(ALPHABET.includes(char) ? 'check-character' : 'character');
        if (!ALPHABET.includes(char)) expect(check.message).toContain(`at position ${position + 1}`);
        changes += 1;
      }
    }
    expect(changes).toBe(18 * (replacements.length - 1));
  });

  it('accepts generated valid codes and refuses each single change of them', () => {
    fc.assert(
      fc.property(validCode, fc.nat(17), fc.constantFrom(...ALPHABET), (code, position, char) => {
        expect(checkCreditCode(code)).toEqual({ valid: true });
        fc.pre(code[position] !== char);
        const changed = code.slice(0, position) + char + code.slice(position + 1);
        expect(checkCreditCode(changed)).toMatchObject({ valid: false, problem: 'check-character' });
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a wrong length', () => {
    expect(checkCreditCode(VALID.slice(0, 17))).toMatchObject({ valid: false, problem: 'length', message: 'must be 18 characters, got 17' });
    expect(checkCreditCode(`${VALID}0`)).toMatchObject({ valid: false, problem: 'length' });
    expect(checkCreditCode('')).toMatchObject({ valid: false, problem: 'length' });
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 40 }).filter((code) => code.length !== 18),
        (code) => {
          expect(checkCreditCode(code)).toMatchObject({ valid: false, problem: 'length', message: `must be 18 characters, got ${code.length}` });
        },
      ),
    );
  });

  it('refuses lower case', () => {
    expect(checkCreditCode(VALID.toLowerCase())).toMatchObject({ valid: false, problem: 'character' });
    fc.assert(
      fc.property(validCode.filter((code) => /[A-Z]/.test(code)), (code) => {
        expect(checkCreditCode(code.toLowerCase()).valid).toBe(false);
      }),
    );
  });
});

describe('evaluation grade boundaries (财预〔2020〕10号)', () => {
  it.each([
    [0, '差'],
    [59.99, '差'],
    [60, '中'],
    [79.99, '中'],
    [80, '良'],
    [89.99, '良'],
    [90, '优'],
    [100, '优'],
  ] as const)('%s -> %s', (score, grade) => {
    expect(gradeOf(score)).toBe(grade);
  });

  it('a total added up from two-decimal scores lands on the right side of each boundary', () => {
    expect(gradeOf(totalScoreOf([{ score: 30 }, { score: 29.99 }]))).toBe('差');
    expect(gradeOf(totalScoreOf([{ score: 0.1 }, { score: 0.2 }, { score: 59.7 }]))).toBe('中');
    expect(gradeOf(totalScoreOf([{ score: 79.9 }, { score: 0.09 }]))).toBe('中');
    expect(gradeOf(totalScoreOf([{ score: 40.1 }, { score: 39.9 }]))).toBe('良');
    expect(gradeOf(totalScoreOf([{ score: 44.99 }, { score: 45 }]))).toBe('良');
    expect(gradeOf(totalScoreOf([{ score: 45.05 }, { score: 44.95 }]))).toBe('优');
  });

  it('grades never go down as the score goes up, and totals of hundredths are exact', () => {
    const rank = { 差: 0, 中: 1, 良: 2, 优: 3 } as const;
    const hundredths = fc.integer({ min: 0, max: 10_000 });
    fc.assert(
      fc.property(hundredths, hundredths, (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(rank[gradeOf(low / 100)]).toBeLessThanOrEqual(rank[gradeOf(high / 100)]);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4_000 }), { maxLength: 20 }), (parts) => {
        const total = parts.reduce((sum, part) => sum + part, 0);
        expect(totalScoreOf(parts.map((part) => ({ score: part / 100 })))).toBe(total / 100);
      }),
    );
  });
});

describe('authorization table', () => {
  /** Who may send each event, as the "who" column of LIFECYCLE.md says (own = the project's organisation). */
  const LIFECYCLE_WHO: Record<ProjectEventType, { roles: Role[]; own?: true; currentStep?: true }> = {
    UPDATE_PROPOSAL: { roles: ['applicant'], own: true },
    SUBMIT: { roles: ['applicant'], own: true },
    WITHDRAW: { roles: ['applicant'], own: true },
    UPDATE_TARGETS: { roles: ['center'], currentStep: true },
    // Not in LIFECYCLE.md's table: issue 6 asks for audited amendments of locked targets, approved by finance.
    AMEND_TARGETS: { roles: ['center'] },
    APPROVE_AMENDMENT: { roles: ['finance'] },
    REJECT_AMENDMENT: { roles: ['finance'] },
    APPROVE: { roles: ['center', 'finance', 'leadership'], currentStep: true },
    REJECT: { roles: ['center', 'finance', 'leadership'], currentStep: true },
    RETURN: { roles: ['center', 'finance', 'leadership'], currentStep: true },
    DISBURSE: { roles: ['finance'] },
    REPORT_PROGRESS: { roles: ['applicant'], own: true },
    RECORD_INSPECTION: { roles: ['inspector'] },
    CONCLUDE_INSPECTION: { roles: ['supervisor'] },
    SUBMIT_CORRECTION: { roles: ['applicant'], own: true },
    ACCEPT_CORRECTION: { roles: ['inspector', 'supervisor'] },
    REJECT_CORRECTION: { roles: ['inspector', 'supervisor'] },
    EXTEND_DEADLINE: { roles: ['supervisor', 'finance'] },
    SUSPEND: { roles: ['supervisor'] },
    RESUME: { roles: ['supervisor'] },
    STOP: { roles: ['supervisor'] },
    CONFIRM_STOP: { roles: ['finance'] },
    COMPLETE: { roles: ['applicant'], own: true },
    SUBMIT_EVALUATION: { roles: ['evaluator'] },
    ACCEPT_EVALUATION: { roles: ['finance'] },
    REQUEST_REEVALUATION: { roles: ['finance'] },
    CLOSE: { roles: ['center', 'finance'] },
  };
  const PROJECT_ORG = 'org-project';
  const baseContext = initialSnapshot().context;
  function projectWith(chain: ApprovalRole[], step: number, inReview: boolean) {
    const context: ProjectContext = { ...baseContext, orgId: PROJECT_ORG, approval: { chain, step, decisions: [] } };
    return { orgId: PROJECT_ORG, context, inReview };
  }

  it('matches the who column of LIFECYCLE.md for every event type', () => {
    expect(Object.keys(EVENT_POLICIES).sort()).toEqual([...PROJECT_EVENT_TYPES].sort());
    for (const type of PROJECT_EVENT_TYPES) {
      const policy = EVENT_POLICIES[type];
      const expected = LIFECYCLE_WHO[type];
      expect([...policy.roles].sort(), type).toEqual([...expected.roles].sort());
      expect(Boolean(policy.own), `${type} own`).toBe(Boolean(expected.own));
      expect(Boolean(policy.currentStep), `${type} currentStep`).toBe(Boolean(expected.currentStep));
    }
  });

  it('refuses, for every event type, every role not in its policy, naming the role', () => {
    let refusals = 0;
    for (const type of PROJECT_EVENT_TYPES) {
      for (const role of ROLES) {
        if (LIFECYCLE_WHO[type].roles.includes(role)) continue;
        for (const inReview of [false, true]) {
          const verdict = authorizeEvent(type, { userId: 'u', role, orgId: PROJECT_ORG }, projectWith(['center', 'finance'], 0, inReview));
          expect(verdict, `${type} by ${role}`).toMatchObject({ en: `${type} may be sent by ${LIFECYCLE_WHO[type].roles.join(' or ')}, not by ${role}` });
          refusals += 1;
        }
      }
    }
    expect(refusals).toBeGreaterThan(PROJECT_EVENT_TYPES.length * 2);
  });

  it("refuses an applicant of another organisation for the 'own' events", () => {
    const ownEvents = PROJECT_EVENT_TYPES.filter((type) => LIFECYCLE_WHO[type].own);
    expect(ownEvents).toHaveLength(6);
    for (const type of ownEvents) {
      for (const orgId of ['org-other', null]) {
        expect(authorizeEvent(type, { userId: 'u', role: 'applicant', orgId }, projectWith([], 0, false))).toMatchObject({ en: `${type} may be sent only by the project's own organisation` });
      }
      expect(authorizeEvent(type, { userId: 'u', role: 'applicant', orgId: PROJECT_ORG }, projectWith([], 0, false))).toBeNull();
    }
  });

  it("takes APPROVE, REJECT and RETURN in review only from the current step's role", () => {
    const chain: ApprovalRole[] = ['center', 'finance', 'leadership'];
    for (const type of ['APPROVE', 'REJECT', 'RETURN'] as const) {
      chain.forEach((stepRole, step) => {
        for (const role of chain) {
          const verdict = authorizeEvent(type, { userId: 'u', role, orgId: 'org-county' }, projectWith(chain, step, true));
          if (role === stepRole) expect(verdict, `${type} by ${role} at ${stepRole}`).toBeNull();
          else expect(verdict, `${type} by ${role} at ${stepRole}`).toMatchObject({ en: `the project waits on the ${stepRole} step, not on ${role}` });
        }
      });
    }
  });

  it('agrees with the table for arbitrary callers and projects (a model of the rules)', () => {
    const approvalRole = fc.constantFrom<ApprovalRole>('center', 'finance', 'leadership');
    fc.assert(
      fc.property(
        fc.constantFrom(...PROJECT_EVENT_TYPES),
        fc.constantFrom(...ROLES),
        fc.constantFrom<string | null>(PROJECT_ORG, 'org-other', null),
        fc.uniqueArray(approvalRole, { minLength: 0, maxLength: 3 }),
        fc.nat(3),
        fc.boolean(),
        fc.constantFrom<Record<string, unknown> | undefined>(undefined, { deadline: 'correction' }, { deadline: 'evaluation' }),
        (type, role, orgId, chain, step, inReview, payload) => {
          const rule = LIFECYCLE_WHO[type];
          const expected =
            rule.roles.includes(role) &&
            (!rule.own || orgId === PROJECT_ORG) &&
            (!rule.currentStep || !inReview || chain[step] === role) &&
            !(type === 'EXTEND_DEADLINE' && payload?.deadline === 'correction' && role !== 'supervisor');
          const verdict = authorizeEvent(type, { userId: 'u', role, orgId }, projectWith(chain, step, inReview), payload);
          expect(verdict === null).toBe(expected);
          if (verdict) expect([verdict.code.length, verdict.zh.length, verdict.en.length].every((n) => n > 0)).toBe(true);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('lets only the supervisor extend a correction deadline (LIFECYCLE: supervisor for corrections, finance for reviews)', () => {
    const project = projectWith([], 0, false);
    expect(authorizeEvent('EXTEND_DEADLINE', { userId: 'u', role: 'finance', orgId: null }, project, { deadline: 'correction' })).toMatchObject({ en: 'a correction deadline may be extended only by the supervisor' });
    expect(authorizeEvent('EXTEND_DEADLINE', { userId: 'u', role: 'supervisor', orgId: null }, project, { deadline: 'correction' })).toBeNull();
    expect(authorizeEvent('EXTEND_DEADLINE', { userId: 'u', role: 'finance', orgId: null }, project, { deadline: 'evaluation' })).toBeNull();
  });
});
