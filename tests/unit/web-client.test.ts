import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { createProjectMachine } from '../../machines/project.machine.ts';
import { eventPayloadSchemas, type Indicator } from '../../machines/project.schemas.ts';
import { scoreEvaluation } from '../../src/domain/evaluation-scoring.ts';
import { decisionsFor } from '../../web/src/lib/decisions.ts';
import { evaluationInputOf, previewEvaluation } from '../../web/src/lib/evaluation-preview.ts';
import { payloadOf } from '../../web/src/lib/event-forms.ts';
import { beijingDateOf, daysUntil, dueStatusOf, fenToYuanText, formatBeijing, formatBusinessDate, formatFen, parseYuanToFen } from '../../web/src/lib/format.ts';
import { channelName, eventName, itemGroups, stateName } from '../../web/src/lib/labels.ts';
import { summarizeLedger } from '../../web/src/lib/money.ts';
import { safeNext } from '../../web/src/lib/next.ts';
import { CONFLICT_TEXT, messageOfProblem } from '../../web/src/lib/problem.ts';
import { activePaths, exitsOf, stateMapOf } from '../../web/src/lib/state-map.ts';
import { checkWeights } from '../../web/src/lib/targets.ts';
import { LINK_DECISIONS } from '../../config/task-rules.ts';

describe('money and time as a person reads them', () => {
  it('formats integer fen as yuan with separators', () => {
    expect(formatFen(120_000_000)).toBe('1,200,000.00 元');
    expect(formatFen(5)).toBe('0.05 元');
    expect(formatFen(-150)).toBe('-1.50 元');
    expect(formatFen(null)).toBe('—');
    expect(formatFen(1.5)).toBe('—');
  });

  it('parses yuan text into integer fen without floats, and round-trips every amount', () => {
    expect(parseYuanToFen('1,200,000.5')).toBe(120_000_050);
    expect(parseYuanToFen('0.07')).toBe(7);
    expect(parseYuanToFen('12.345')).toBeNull();
    expect(parseYuanToFen('-3')).toBeNull();
    expect(parseYuanToFen('abc')).toBeNull();
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 15 }), (fen) => parseYuanToFen(fenToYuanText(fen)) === fen && parseYuanToFen(formatFen(fen)) === fen));
  });

  it('shows instants in Beijing time whatever the machine zone', () => {
    expect(formatBeijing('2026-11-30T16:30:00Z')).toBe('2026-12-01 00:30');
    expect(beijingDateOf(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01');
    expect(formatBusinessDate('2026-12-01')).toBe('2026年12月1日');
  });

  it('reads Beijing time by the fixed UTC+8 offset exactly as the time zone database does, for every instant since China dropped daylight saving (1991)', () => {
    const zone = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const byZone = (instant: Date) => {
      const p = Object.fromEntries(zone.formatToParts(instant).map((part) => [part.type, part.value]));
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
    };
    const instants = fc.date({ min: new Date('1991-09-16T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true });
    fc.assert(fc.property(instants, (instant) => formatBeijing(instant) === byZone(instant) && beijingDateOf(instant) === byZone(instant).slice(0, 10)), { numRuns: 2000 });
    // and on the days a boundary is easiest to get wrong: midnight Beijing, year ends, a leap day
    for (const iso of ['2026-12-31T15:59:00Z', '2026-12-31T16:00:00Z', '2028-02-28T16:00:00Z', '2028-02-29T15:59:00Z']) expect(formatBeijing(iso)).toBe(byZone(new Date(iso)));
  });

  it('tells overdue, due today and upcoming apart', () => {
    expect(dueStatusOf('2026-11-29', '2026-11-30')).toBe('overdue');
    expect(dueStatusOf('2026-11-30', '2026-11-30')).toBe('today');
    expect(dueStatusOf('2026-12-01', '2026-11-30')).toBe('upcoming');
    expect(daysUntil('2026-12-03', '2026-11-30')).toBe(3);
    expect(daysUntil('2026-02-27', '2026-03-01')).toBe(-2);
  });
});

describe('words instead of codes', () => {
  it('names states, events and channels in Chinese and never echoes an unknown code', () => {
    expect(stateName('inspected')).toBe('待出具检查结论');
    expect(stateName('suspended.held')).toBe('暂缓执行');
    expect(eventName('APPROVE')).toBe('同意');
    expect(eventName('SOMETHING_NEW')).toBe('其他操作');
    expect(channelName('email')).toBe('邮件链接');
    expect(channelName('cli')).not.toBe('cli');
  });

  it('names every state of the machine', () => {
    const machine = createProjectMachine(DEFAULT_LIFECYCLE_RULES);
    const paths = stateMapOf(machine).flatMap((box) => [box.path, ...box.children.map((child) => child.path)]);
    expect(paths.length).toBeGreaterThan(15);
    for (const path of paths) expect(stateName(path), path).not.toBe('其他状态');
  });

  it('offers the 13 items in 4 categories', () => {
    const groups = itemGroups();
    expect(groups).toHaveLength(4);
    expect(groups.flatMap((group) => group.options)).toHaveLength(13);
  });
});

describe('state diagram from the machine', () => {
  const machine = createProjectMachine(DEFAULT_LIFECYCLE_RULES);
  it('lists top-level states in definition order with their substates', () => {
    const boxes = stateMapOf(machine);
    expect(boxes[0]!.path).toBe('proposed');
    expect(boxes[0]!.children.map((child) => child.path)).toEqual(['proposed.draft', 'proposed.review']);
    expect(boxes.find((box) => box.path === 'closed')!.final).toBe(true);
  });
  it('finds the exits of a nested state, including its parent’s', () => {
    expect(activePaths('deviated-corrected.correcting')).toEqual(['deviated-corrected', 'deviated-corrected.correcting']);
    const exits = exitsOf(machine, 'deviated-corrected.correcting');
    expect(exits).toContainEqual({ event: 'SUBMIT_CORRECTION', target: 'deviated-corrected.verifying' });
    expect(exits).toContainEqual({ event: 'RECORD_INSPECTION', target: 'inspected' });
  });
});

describe('targets', () => {
  it('checks that weights total exactly 100, in hundredths', () => {
    expect(checkWeights([]).ok).toBe(false);
    expect(checkWeights([{ level: '产出', weight: 33.33 }, { level: '效益', weight: 66.67 }]).ok).toBe(true);
    const short = checkWeights([{ level: '产出', weight: 60 }, { level: '满意度', weight: 30 }]);
    expect(short.ok).toBe(false);
    expect(short.message).toBe('权重合计 90，还差 10，须等于 100');
    expect(short.byLevel).toEqual({ 产出: 60, 效益: 0, 满意度: 30 });
  });
});

describe('inbox', () => {
  // Sorting, filtering and counting moved to the server (GET /api/v1/tasks, /tasks/counts); the URL and paging logic: web-workplace.test.ts.
  it('offers exactly the decisions an email link may take', () => {
    for (const [kind, allowed] of Object.entries(LINK_DECISIONS)) {
      expect(new Set(decisionsFor(kind)), kind).toEqual(new Set(Object.keys(allowed)));
    }
    expect(decisionsFor('disburse')).toEqual([]);
  });
});

describe('refusals', () => {
  it('says a conflict in Chinese and offers to reload; shows the rule on 422', () => {
    expect(messageOfProblem({ status: 409, detail: 'version 3 expected' })).toEqual({ text: CONFLICT_TEXT, reload: true, fields: [] });
    expect(messageOfProblem({ status: 422, detail: '尚有整改事项未完成，暂不能申请结项' }).text).toBe('尚有整改事项未完成，暂不能申请结项');
    expect(messageOfProblem({ status: 500 }).text).toBe('服务暂时不可用，请稍后再试');
  });
  it('shows a refusal in the page language: the refusals first, then messageZh, detail, reasons', () => {
    // The shape AppError.refused gives a problem (src/engine/app-error.ts): Chinese detail with a lead, English detailEn, each refusal in both.
    const refused = {
      status: 422,
      code: 'guard-refused',
      detail: '“申请结项评价”未通过：尚有整改事项未完成；资金尚未拨付',
      detailEn: 'REQUEST_EVALUATION refused: corrections are still open; nothing was disbursed',
      reasons: ['corrections are still open', 'nothing was disbursed'],
      refusals: [
        { code: 'open-corrections', zh: '尚有整改事项未完成', en: 'corrections are still open' },
        { code: 'nothing-disbursed', zh: '资金尚未拨付', en: 'nothing was disbursed', params: { fen: 0 } },
      ],
    };
    expect(messageOfProblem(refused).text).toBe('尚有整改事项未完成；资金尚未拨付');
    expect(messageOfProblem(refused, 'en').text).toBe('corrections are still open; nothing was disbursed');
    // Without refusals: messageZh, then the Chinese detail; the English codes of `reasons` only as the last resort.
    expect(messageOfProblem({ status: 422, reasons: ['user-inactive'], messageZh: '账号已停用', detail: 'the user is deactivated' }).text).toBe('账号已停用');
    expect(messageOfProblem({ status: 422, reasons: ['fund-exhausted'], detail: '资金余额不足' }).text).toBe('资金余额不足');
    expect(messageOfProblem({ status: 422, reasons: ['self-deactivation'] }).text).toBe('self-deactivation');
    expect(messageOfProblem({ status: 422 }).text).toBe('当前状态不允许此操作');
    expect(messageOfProblem({ status: 422, detail: '资金余额不足', detailEn: 'the fund is exhausted' }, 'en').text).toBe('the fund is exhausted');
    // Malformed refusals are ignored rather than shown as "undefined".
    expect(messageOfProblem({ status: 422, refusals: [{ code: 'x' }], detail: '资金余额不足' }).text).toBe('资金余额不足');
    // An authorization refusal names its rule; a bare 403 says the general sentence, in either language.
    expect(messageOfProblem({ status: 403, refusals: [{ code: 'other-org', zh: '只能办理本单位的项目', en: 'only your own organisation' }] }).text).toBe('只能办理本单位的项目');
    expect(messageOfProblem({ status: 403, detail: 'forbidden' }).text).toBe('您无权执行此操作');
    expect(messageOfProblem({ status: 409 }, 'en')).toMatchObject({ reload: true, text: expect.stringMatching(/changed the project/) });
  });
  it('returns after sign-in only to a path of this site', () => {
    expect(safeNext('/projects/YC-2026-05-001')).toBe('/projects/YC-2026-05-001');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/sign-in?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});

describe('event forms build payloads the server schema accepts', () => {
  it('disburse: yuan text becomes integer fen; a bad amount is left for the schema to name', () => {
    const ok = eventPayloadSchemas.DISBURSE.safeParse(payloadOf('DISBURSE', { amount: '200,000.50', voucher: ' V-1 ' }, 'approved'));
    expect(ok.success && ok.data).toMatchObject({ amountFen: 20_000_050, voucher: 'V-1' });
    const bad = eventPayloadSchemas.DISBURSE.safeParse(payloadOf('DISBURSE', { amount: '1.234' }, 'approved'));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['amountFen']);
  });
  it('inspection: names split on Chinese and ASCII separators', () => {
    const payload = payloadOf('RECORD_INSPECTION', { kind: 'regular', date: '2026-12-01', inspectors: '张三、李四,王五', findings: '进度正常' }, 'executing');
    expect(eventPayloadSchemas.RECORD_INSPECTION.parse(payload)).toMatchObject({ inspectors: ['张三', '李四', '王五'], findings: [{ note: '进度正常' }] });
  });
  it('conclusion: only the chosen outcome’s fields are sent', () => {
    const payload = payloadOf('CONCLUDE_INSPECTION', { outcome: 'deviation', correction: '补充台账', dueDate: '2027-01-10', comment: 'x', reason: 'y' }, 'inspected');
    expect(eventPayloadSchemas.CONCLUDE_INSPECTION.parse(payload)).toEqual({ outcome: 'deviation', correction: '补充台账', dueDate: '2027-01-10' });
  });
  it('extension names the deadline of the state', () => {
    expect(payloadOf('EXTEND_DEADLINE', { newDate: '2027-01-01', reason: 'r' }, 'evaluated.self-evaluation').deadline).toBe('evaluation');
    expect(payloadOf('EXTEND_DEADLINE', { newDate: '2027-01-01', reason: 'r' }, 'deviated-corrected.correcting').deadline).toBe('correction');
  });
  it('a required reason left empty is refused by the schema', () => {
    expect(eventPayloadSchemas.SUSPEND.safeParse(payloadOf('SUSPEND', { reason: '   ' }, 'executing')).success).toBe(false);
  });
});

describe('evaluation preview', () => {
  const targets: Indicator[] = [
    { id: 'OUT1', level: '产出', subLevel: '数量', name: '培训场次', unit: '场', comparator: '>=', targetValue: 10, weight: 40 },
    { id: 'EFF1', level: '效益', subLevel: '社会效益', name: '受益企业', unit: '家', comparator: '>=', targetValue: 50, weight: 40 },
    { id: 'SAT1', level: '满意度', subLevel: '服务对象满意度', name: '满意度', unit: '', comparator: 'qualitative', weight: 20 },
  ];
  const facts = { committedFen: 30_000_000, disbursedFen: 20_000_000 };
  it('waits until every indicator is measured', () => {
    const preview = previewEvaluation(targets, evaluationInputOf(targets, { OUT1: { actual: 8 } }), facts, DEFAULT_LIFECYCLE_RULES.evaluation);
    expect(preview.ok).toBe(false);
  });
  it('is the server’s scoring for any measurements', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (out, eff, percent) => {
        const band = percent >= 80 ? 'achieved' : percent >= 60 ? 'partly-achieved' : 'not-achieved';
        const input = evaluationInputOf(targets, { OUT1: { actual: out }, EFF1: { actual: eff }, SAT1: { band, percent } });
        const preview = previewEvaluation(targets, input, facts, DEFAULT_LIFECYCLE_RULES.evaluation);
        const server = scoreEvaluation(targets, input, facts, DEFAULT_LIFECYCLE_RULES.evaluation);
        return preview.ok && preview.score.total === server.total && preview.score.grade === server.grade;
      }),
    );
  });
});

describe('ledger summary', () => {
  it('adds the project’s money by kind in integer fen', () => {
    const money = summarizeLedger([
      { kind: 'commit', amountFen: 30_000_000 },
      { kind: 'disburse', amountFen: 10_000_000 },
      { kind: 'disburse', amountFen: 5_000_000 },
      { kind: 'release', amountFen: 15_000_000 },
      { kind: 'recover', amountFen: 1_000_000 },
    ]);
    expect(money).toEqual({ approvedFen: 30_000_000, disbursedFen: 15_000_000, releasedFen: 15_000_000, recoveredFen: 1_000_000, remainingFen: 0 });
  });
});
