import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { createProjectMachine } from '../../machines/project.machine.ts';
import { acceptedEventTypes, explainRefusal, type ProjectSnapshot } from '../../machines/project.refusals.ts';
import { eventPayloadSchemas, PROJECT_EVENT_TYPES } from '../../machines/project.schemas.ts';
import type { ProjectEvent } from '../../machines/project.types.ts';
import { authorizeEvent } from '../../src/domain/authorization.ts';
import { addDays } from '../../src/domain/business-date.ts';
import {
  actorFor,
  allStateNodes,
  describeEvent,
  FUND_ID,
  SAMPLE_DECISION,
  eventsOf,
  exploreShortestPaths,
  initialSnapshot,
  machine,
  makeEvent,
  projectInput,
  projectionOf,
  replay,
  rules,
  sampleEvents,
  sampleTargets,
  stateNameOf,
  TODAY,
  TRANSITIONS,
  valueOfPath,
  type ProjectPath,
} from './support/project-model.ts';

/**
 * Model-based coverage: xstate/graph walks the machine with sample events (real payloads, sent by
 * roles the authorization table allows) and every TransitionDefinition of the machine, read from
 * its definition, must be the last step of at least one generated path. A transition added without
 * a sample event that takes it fails `every enumerated transition is taken by a generated path`.
 */

const PATHS: ProjectPath[] = exploreShortestPaths();

interface Covering {
  events: ProjectEvent[];
  path: ProjectPath;
}

/** The shortest generated path whose last step takes each transition. */
const COVERING = new Map<string, Covering>();
for (const path of PATHS) {
  const events = eventsOf(path);
  if (events.length === 0) continue;
  const { steps } = replay(events);
  for (const id of steps.at(-1)!.taken) {
    const known = COVERING.get(id);
    if (!known || known.events.length > events.length) COVERING.set(id, { events, path });
  }
}

/** One snapshot per distinct vertex the traversal reached (state plus what decides its guards). */
const REACHED: ProjectSnapshot[] = PATHS.map((path) => path.state);

function reach(stateName: string): ProjectSnapshot {
  const path = PATHS.filter((candidate) => stateNameOf(candidate.state) === stateName).sort(
    (a, b) => a.steps.length - b.steps.length,
  )[0];
  if (!path) throw new Error(`no generated path reaches ${stateName}`);
  return replay(eventsOf(path)).final;
}

function isActiveSource(snapshot: ProjectSnapshot, source: string): boolean {
  return source === '(root)' || snapshot.matches(valueOfPath(source) as never);
}

/** Event types of the enumerated transitions whose source state node is active in the snapshot. */
function typesTakenBy(snapshot: ProjectSnapshot): string[] {
  if (snapshot.status !== 'active') return [];
  return [...new Set(TRANSITIONS.filter((info) => isActiveSource(snapshot, info.source)).map((info) => info.eventType))].sort();
}

describe('the transitions of the project machine, read from its definition', () => {
  const ids = TRANSITIONS.map((info) => info.id);

  it('has unique ids, one per TransitionDefinition (each guarded branch its own)', () => {
    expect(new Set(ids).size).toBe(ids.length);
    const definitions = allStateNodes().flatMap((node) => [...node.transitions.values()].flat());
    expect(TRANSITIONS.map((info) => info.definition)).toEqual(expect.arrayContaining(definitions));
    expect(TRANSITIONS).toHaveLength(definitions.length + allStateNodes().reduce((n, node) => n + (node.always?.length ?? 0), 0));
  });

  it('includes every branch LIFECYCLE.md names (source, event, target; guards may be renamed)', () => {
    const branches = TRANSITIONS.map((info) => `${info.source} ${info.eventType} -> ${info.targets.join(',') || '(no target)'}`);
    const expected = [
      'proposed WITHDRAW -> withdrawn',
      'approved WITHDRAW -> withdrawn',
      'proposed.draft UPDATE_PROPOSAL -> (no target)',
      'proposed.draft SUBMIT -> proposed.review',
      'proposed.review UPDATE_TARGETS -> (no target)',
      'proposed.review APPROVE -> approved',
      'proposed.review APPROVE -> proposed.review',
      'proposed.review REJECT -> rejected',
      'proposed.review RETURN -> proposed.draft',
      'approved DISBURSE -> executing',
      'executing DISBURSE -> (no target)',
      'executing REPORT_PROGRESS -> (no target)',
      'executing RECORD_INSPECTION -> inspected',
      'deviated-corrected RECORD_INSPECTION -> inspected',
      'inspected CONCLUDE_INSPECTION -> executing',
      'inspected CONCLUDE_INSPECTION -> deviated-corrected',
      'inspected CONCLUDE_INSPECTION -> suspended',
      'deviated-corrected.correcting SUBMIT_CORRECTION -> deviated-corrected.verifying',
      'deviated-corrected.verifying ACCEPT_CORRECTION -> executing',
      'deviated-corrected.verifying REJECT_CORRECTION -> deviated-corrected.correcting',
      'deviated-corrected.correcting EXTEND_DEADLINE -> (no target)',
      'evaluated.self-evaluation EXTEND_DEADLINE -> (no target)',
      'approved SUSPEND -> suspended',
      'executing SUSPEND -> suspended',
      'inspected SUSPEND -> suspended',
      'deviated-corrected.correcting SUSPEND -> suspended',
      'deviated-corrected.verifying SUSPEND -> suspended',
      'suspended RESUME -> approved',
      'suspended RESUME -> executing',
      'suspended RESUME -> inspected',
      'suspended RESUME -> deviated-corrected.correcting',
      'suspended RESUME -> deviated-corrected.verifying',
      'suspended.held STOP -> suspended.stop-requested',
      'suspended.stop-requested CONFIRM_STOP -> terminated',
      'executing COMPLETE -> evaluated',
      'evaluated.self-evaluation SUBMIT_EVALUATION -> evaluated.finance-review',
      'evaluated.finance-review ACCEPT_EVALUATION -> evaluated.accepted',
      'evaluated.finance-review REQUEST_REEVALUATION -> evaluated.re-evaluation',
      'evaluated.re-evaluation SUBMIT_EVALUATION -> evaluated.finance-review',
      'evaluated.accepted CLOSE -> closed',
    ];
    expect(branches).toEqual(expect.arrayContaining(expected));
    // the three CONCLUDE_INSPECTION outcomes and the five RESUME branches are separate guarded definitions
    for (const [source, event, count] of [['inspected', 'CONCLUDE_INSPECTION', 3], ['suspended', 'RESUME', 5], ['proposed.review', 'APPROVE', 2]] as const) {
      const definitions = TRANSITIONS.filter((info) => info.source === source && info.eventType === event);
      expect(definitions, `${source} ${event}`).toHaveLength(count);
      expect(definitions.filter((info) => info.guard !== null).length, `${source} ${event} guards`).toBeGreaterThanOrEqual(count - 1);
    }
  });

  it('has no timers, invocations or eventless transitions (a persisted machine must not rely on them)', () => {
    expect(allStateNodes().length).toBeGreaterThan(10);
    for (const node of allStateNodes()) {
      expect(node.after, node.id).toEqual([]);
      expect(node.invoke, node.id).toEqual([]);
      expect(node.always ?? [], node.id).toEqual([]);
    }
  });
});

describe('model-based paths (xstate/graph getShortestPaths over sample events)', () => {
  it('every enumerated transition is taken by a generated path', () => {
    const uncovered = TRANSITIONS.map((info) => info.id).filter((id) => !COVERING.has(id));
    expect(uncovered).toEqual([]);
    expect(COVERING.size).toBe(TRANSITIONS.length);
  });

  describe.each(TRANSITIONS.map((info) => [info.id, COVERING.get(info.id)] as const))('%s', (id, covering) => {
    const route = covering ? covering.events.map((event) => event.type).join(' > ') : '(no generated path)';
    it(`is taken by: ${route}`, () => {
      expect(covering, `no generated path takes ${id}`).toBeDefined();
      const { steps, final } = replay(covering!.events);
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) {
        expect(step.taken, `${describeEvent(step.event)} in ${stateNameOf(step.before)}`).toHaveLength(1);
        expect(step.after).not.toBe(step.before);
      }
      expect(steps.at(-1)!.taken).toEqual([id]);
      // the replay with the pure transition() reaches the vertex the traversal found (getShortestPaths
      // keeps the last snapshot stored under a vertex, so compare what the vertex is made of)
      expect(projectionOf(final)).toBe(projectionOf(covering!.path.state));
    });
  });

  it('lists the covering paths with their payloads', () => {
    const report = Object.fromEntries(
      TRANSITIONS.map((info) => [info.id, COVERING.get(info.id)?.events.map(describeEvent) ?? null]),
    );
    expect(report).toMatchSnapshot();
  });

  it('generates only events that pass their zod schema, sent by a caller the authorization table allows', () => {
    let checked = 0;
    for (const path of PATHS) {
      for (const step of replay(eventsOf(path)).steps) {
        const { type, at: _at, actor, ...payload } = step.event;
        expect(eventPayloadSchemas[type].safeParse(payload).success, describeEvent(step.event)).toBe(true);
        const verdict = authorizeEvent(
          type,
          actor,
          { orgId: step.before.context.orgId, context: step.before.context, inReview: step.before.matches({ proposed: 'review' }) },
          payload,
        );
        expect(verdict, describeEvent(step.event)).toBeNull();
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(TRANSITIONS.length);
  });

  it('reaches every atomic state node of the machine', () => {
    const atomic = allStateNodes()
      .filter((node) => node.type === 'atomic' || node.type === 'final')
      .map((node) => node.path.join('.'))
      .sort();
    const reached = [...new Set(REACHED.map(stateNameOf))].sort();
    expect(reached).toEqual(atomic);
  });

  it('routes item 13 through the leadership step, which then takes the last-step APPROVE', () => {
    const { final, steps } = replay([
      makeEvent('UPDATE_PROPOSAL', { item: 13 }, actorFor('applicant')),
      makeEvent('SUBMIT', {}, actorFor('applicant')),
      makeEvent('APPROVE', { fundId: FUND_ID }, actorFor('center')),
      makeEvent('APPROVE', { fundId: FUND_ID }, actorFor('finance')),
      makeEvent('APPROVE', { fundId: FUND_ID, decisionReference: SAMPLE_DECISION }, actorFor('leadership')),
    ]);
    expect(steps.map((step) => step.taken.map((id) => id.replace(/ \[.*\]/, '')))).toEqual([
      ['proposed.draft UPDATE_PROPOSAL -> (no target)'],
      ['proposed.draft SUBMIT -> proposed.review'],
      ['proposed.review APPROVE -> proposed.review'],
      ['proposed.review APPROVE -> proposed.review'],
      ['proposed.review APPROVE -> approved'],
    ]);
    expect(final.context.approval.chain).toEqual(['center', 'finance', 'leadership']);
    expect(final.context.approval.decisions.map((decision) => decision.role)).toEqual(['center', 'finance', 'leadership']);
    expect(stateNameOf(final)).toBe('approved');
  });
});

describe('per-item rules in the machine (src/domain/item-rules.ts)', () => {
  it('item 13: the final APPROVE without a decision of 县政府 or 县创建领导组 is refused, saying what to fill in', () => {
    const { final } = replay([
      makeEvent('UPDATE_PROPOSAL', { item: 13 }, actorFor('applicant')),
      makeEvent('SUBMIT', {}, actorFor('applicant')),
      makeEvent('APPROVE', { fundId: FUND_ID }, actorFor('center')),
      makeEvent('APPROVE', { fundId: FUND_ID }, actorFor('finance')),
    ]);
    const approve = makeEvent('APPROVE', { fundId: FUND_ID }, actorFor('leadership'));
    expect(transition(machine, final, approve)[0]).toBe(final);
    const explained = explainRefusal(final, approve, rules);
    expect(explained.kind === 'guard' && explained.refusals.map((r) => r.code)).toEqual(['decision-reference-missing']);
  });

  it('SUBMIT without 预算明细, or with lines that do not add up, is refused', () => {
    for (const [budgetLines, code] of [
      [[], 'budget-lines-missing'],
      [[{ category: 'training', description: '培训', amountFen: 1_000, persons: 1, days: 1 }], 'budget-lines-not-requested'],
    ] as const) {
      const draft = initialSnapshot({ budgetLines });
      const submit = makeEvent('SUBMIT', {}, actorFor('applicant'));
      expect(transition(machine, draft, submit)[0]).toBe(draft);
      const explained = explainRefusal(draft, submit, rules);
      expect(explained.kind === 'guard' && explained.refusals.map((r) => r.code)).toEqual([code]);
    }
  });
});

describe('final states', () => {
  const FINAL = ['closed', 'rejected', 'terminated', 'withdrawn'];

  it('are exactly closed, rejected, withdrawn and terminated, with no transitions of their own', () => {
    const finals = allStateNodes().filter((node) => node.type === 'final');
    expect(finals.map((node) => node.path.join('.')).sort()).toEqual(FINAL);
    for (const node of finals) expect([...node.transitions.keys()], node.id).toEqual([]);
  });

  it.each(FINAL)('%s accepts no event: the snapshot stays the same object and nothing is asked for', (name) => {
    const snapshot = reach(name);
    expect(snapshot.status).toBe('done');
    expect(acceptedEventTypes(snapshot)).toEqual([]);
    const events = sampleEvents(snapshot);
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(PROJECT_EVENT_TYPES));
    for (const event of events) {
      const [next, actions] = transition(machine, snapshot, event);
      expect(next, event.type).toBe(snapshot);
      expect(actions, event.type).toEqual([]);
      expect(explainRefusal(snapshot, event, rules)).toMatchObject({ kind: 'not-accepted', allowed: [], refusal: { code: 'event-not-allowed' } });
    }
  });
});

describe('an event the state does not take', () => {
  it('leaves the snapshot unchanged (same object), and explainRefusal lists what the state takes', () => {
    let refused = 0;
    for (const snapshot of REACHED.filter((candidate) => candidate.status === 'active')) {
      const allowed = acceptedEventTypes(snapshot);
      expect([...allowed].sort(), stateNameOf(snapshot)).toEqual(typesTakenBy(snapshot));
      for (const event of sampleEvents(snapshot)) {
        if (allowed.includes(event.type)) continue;
        const [next, actions] = transition(machine, snapshot, event);
        expect(next, `${event.type} in ${stateNameOf(snapshot)}`).toBe(snapshot);
        expect(actions).toEqual([]);
        expect(explainRefusal(snapshot, event, rules)).toMatchObject({ kind: 'not-accepted', allowed, refusal: { code: 'event-not-allowed' } });
        refused += 1;
      }
    }
    expect(refused).toBeGreaterThan(100);
  });

  it('APPROVE in draft names SUBMIT, UPDATE_PROPOSAL and WITHDRAW as what the draft takes', () => {
    const draft = initialSnapshot();
    const approve = makeEvent('APPROVE', { fundId: FUND_ID }, actorFor('center'));
    const [next] = transition(machine, draft, approve);
    expect(next).toBe(draft);
    const explanation = explainRefusal(draft, approve, rules);
    expect(explanation.kind).toBe('not-accepted');
    expect(explanation.kind === 'not-accepted' && [...explanation.allowed].sort()).toEqual(['SUBMIT', 'UPDATE_PROPOSAL', 'WITHDRAW']);
  });
});

describe('a failing guard is refused with the rule named', () => {
  /** Sends an event that a guard refuses: nothing changes, and the explanation is the rule. */
  function expectGuardRefusal(snapshot: ProjectSnapshot, event: ProjectEvent, reason: string | RegExp) {
    expect(machine.getTransitionData(snapshot, event)).toEqual([]);
    const [next, actions] = transition(machine, snapshot, event);
    expect(next).toBe(snapshot);
    expect(actions).toEqual([]);
    const explanation = explainRefusal(snapshot, event, rules);
    expect(explanation.kind).toBe('guard');
    if (explanation.kind !== 'guard') return;
    expect(explanation.refusals).toHaveLength(1);
    const [refusal] = explanation.refusals;
    // One refusal shape: a code, Chinese first, English available.
    expect(refusal!.code).toMatch(/^[a-z0-9-]+$/);
    expect(refusal!.zh).toMatch(/\p{Script=Han}/u);
    if (typeof reason === 'string') expect(refusal!.en).toBe(reason);
    else expect(refusal!.en).toMatch(reason);
  }

  it('DISBURSE above the commitment left (approved and executing)', () => {
    const approved = reach('approved');
    expect(approved.context.committedFen).toBe(12_000_000);
    expectGuardRefusal(
      approved,
      makeEvent('DISBURSE', { amountFen: 12_000_001 }, actorFor('finance')),
      'amountFen 12000001 exceeds the commitment left (12000000 fen)',
    );
    const [executing] = transition(machine, approved, makeEvent('DISBURSE', { amountFen: 7_000_000 }, actorFor('finance')));
    expect(stateNameOf(executing)).toBe('executing');
    expectGuardRefusal(
      executing,
      makeEvent('DISBURSE', { amountFen: 5_000_001 }, actorFor('finance')),
      'amountFen 5000001 exceeds the commitment left (5000000 fen)',
    );
  });

  it('the final APPROVE without a fund, or above the amount requested', () => {
    const review = reach('proposed.review');
    const [lastStep] = transition(machine, review, makeEvent('APPROVE', { fundId: FUND_ID }, actorFor('center')));
    expect(lastStep.context.approval.step).toBe(lastStep.context.approval.chain.length - 1);
    expectGuardRefusal(lastStep, makeEvent('APPROVE', {}, actorFor('finance')), 'no fund to commit from');
    expectGuardRefusal(
      lastStep,
      makeEvent('APPROVE', { fundId: FUND_ID, approvedFen: 12_000_001 }, actorFor('finance')),
      'approvedFen 12000001 is more than the 12000000 fen requested',
    );
  });

  it('a later tranche waits for a progress report or an on-track inspection (default tranche rule)', () => {
    const approved = reach('approved');
    const [executing] = transition(machine, approved, makeEvent('DISBURSE', { amountFen: 3_000_000 }, actorFor('finance')));
    const event = makeEvent('DISBURSE', { amountFen: 1_000 }, actorFor('finance'));
    const [next] = transition(machine, executing, event);
    expect(next).toBe(executing);
    const explanation = explainRefusal(executing, event, rules);
    expect(explanation.kind).toBe('guard');
    expect(explanation.kind === 'guard' && explanation.refusals[0]!.code).toBe('later-tranche-needs-inspection-or-report');
  });

  it('DISBURSE is taken exactly when the amount is within the commitment left', () => {
    const approved = reach('approved');
    const [paidOnce] = transition(machine, approved, makeEvent('DISBURSE', { amountFen: 3_000_000 }, actorFor('finance')));
    const later = new Date(Date.parse(paidOnce.context.lastDisbursedAt!) + 86_400_000).toISOString();
    const report = makeEvent('REPORT_PROGRESS', { periodStart: '2024-10-01', periodEnd: '2024-12-31' }, actorFor('applicant'), later);
    const [executing] = transition(machine, paidOnce, report);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000_000 }), (amountFen) => {
        const event = makeEvent('DISBURSE', { amountFen }, actorFor('finance'));
        const [next] = transition(machine, executing, event);
        if (amountFen <= 9_000_000) {
          expect(next.context.disbursedFen).toBe(3_000_000 + amountFen);
        } else {
          expect(next).toBe(executing);
          expect(explainRefusal(executing, event, rules)).toEqual({
            kind: 'guard',
            refusals: [expect.objectContaining({ en: `amountFen ${amountFen} exceeds the commitment left (9000000 fen)` })],
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('SUBMIT with indicator weights not summing to 100', () => {
    const draft = initialSnapshot({ targets: sampleTargets.map((target) => ({ ...target, weight: target.id === 'OUT1' ? 30 : target.weight })) });
    expectGuardRefusal(draft, makeEvent('SUBMIT', {}, actorFor('applicant')), 'indicator weights sum to 90, not 100');
  });

  it('SUBMIT without targets, or above the item ceiling configured in the rules', () => {
    expectGuardRefusal(
      initialSnapshot({ targets: [] }),
      makeEvent('SUBMIT', {}, actorFor('applicant')),
      'performance targets (绩效目标) are missing',
    );
    const ceilingRules = { ...rules, itemCeilingsFen: { '5': 10_000_000 } };
    const ceilingMachine = createProjectMachine(ceilingRules);
    const [draft] = initialTransition(ceilingMachine, projectInput());
    const submit = makeEvent('SUBMIT', {}, actorFor('applicant'));
    const [next] = transition(ceilingMachine, draft, submit);
    expect(next).toBe(draft);
    expect(explainRefusal(draft, submit, ceilingRules)).toEqual({
      kind: 'guard',
      refusals: [expect.objectContaining({ en: 'requestedFen 12000000 exceeds the ceiling of item 5 (10000000 fen)' })],
    });
  });

  it('CONCLUDE_INSPECTION deviation with a due date in the past or today', () => {
    const inspected = reach('inspected');
    expectGuardRefusal(
      inspected,
      makeEvent('CONCLUDE_INSPECTION', { outcome: 'deviation', correction: '补充记录', dueDate: '2025-01-10' }, actorFor('supervisor')),
      'the due date 2025-01-10 must be after today (2025-01-15, Asia/Shanghai)',
    );
    expectGuardRefusal(
      inspected,
      makeEvent('CONCLUDE_INSPECTION', { outcome: 'deviation', correction: '补充记录', dueDate: TODAY }, actorFor('supervisor')),
      `the due date ${TODAY} must be after today (${TODAY}, Asia/Shanghai)`,
    );
  });

  it('UPDATE_TARGETS whose weights do not sum to 100', () => {
    expectGuardRefusal(
      reach('proposed.review'),
      makeEvent('UPDATE_TARGETS', { targets: sampleTargets.map((target) => ({ ...target, weight: 30 })) }, actorFor('center')),
      'indicator weights sum to 120, not 100',
    );
  });

  it('REPORT_PROGRESS with an unknown indicator', () => {
    expectGuardRefusal(
      reach('executing'),
      makeEvent(
        'REPORT_PROGRESS',
        { periodStart: '2024-10-01', periodEnd: '2024-12-31', indicators: [{ indicatorId: 'NOPE', value: 1 }] },
        actorFor('applicant'),
      ),
      'unknown indicators: NOPE',
    );
  });

  it('REJECT_CORRECTION with a due date in the past', () => {
    expectGuardRefusal(
      reach('deviated-corrected.verifying'),
      makeEvent('REJECT_CORRECTION', { reason: '不完整', dueDate: '2025-01-01' }, actorFor('inspector')),
      'the due date 2025-01-01 must be after today (2025-01-15, Asia/Shanghai)',
    );
  });

  it('EXTEND_DEADLINE to a date not later than the current one, or of a deadline the state does not have', () => {
    const correcting = reach('deviated-corrected.correcting');
    const due = correcting.context.correction!.dueDate;
    expectGuardRefusal(
      correcting,
      makeEvent('EXTEND_DEADLINE', { deadline: 'correction', newDate: due, reason: '顺延' }, actorFor('supervisor')),
      `the new date ${due} must be later than the current ${due}`,
    );
    expectGuardRefusal(
      correcting,
      makeEvent('EXTEND_DEADLINE', { deadline: 'evaluation', newDate: addDays(due, 10), reason: '顺延' }, actorFor('supervisor')),
      'there is no evaluation deadline to extend',
    );
    const selfEvaluation = reach('evaluated.self-evaluation');
    expectGuardRefusal(
      selfEvaluation,
      makeEvent('EXTEND_DEADLINE', { deadline: 'correction', newDate: '2030-01-01', reason: '顺延' }, actorFor('supervisor')),
      'there is no open correction deadline',
    );
  });

  it('SUBMIT_EVALUATION that leaves an indicator unscored', () => {
    const selfEvaluation = reach('evaluated.self-evaluation');
    expectGuardRefusal(
      selfEvaluation,
      makeEvent(
        'SUBMIT_EVALUATION',
        {
          indicators: [{ indicatorId: 'OUT1', actual: 12 }],
          report: { 基本情况: 'a', 评价工作开展情况: 'b', 综合评价结论: 'c', 绩效分析: 'd', 存在问题: 'e', 建议: 'f' },
        },
        actorFor('evaluator'),
      ),
      'indicators: indicators not scored: OUT2, EFF1, SAT1',
    );
  });

  it('a guard refusal with a rule behind it never falls back to the generic sentence', () => {
    const spoiled: [string, ProjectEvent][] = [
      ['proposed.review', makeEvent('UPDATE_TARGETS', { targets: [{ ...sampleTargets[0], weight: 1 }] }, actorFor('center'))],
      ['approved', makeEvent('DISBURSE', { amountFen: 10 ** 15 }, actorFor('finance'))],
      ['evaluated.self-evaluation', makeEvent('EXTEND_DEADLINE', { deadline: 'evaluation', newDate: '2025-01-01', reason: 'x' }, actorFor('finance'))],
    ];
    for (const [state, event] of spoiled) {
      const explanation = explainRefusal(reach(state), event, rules);
      expect(explanation.kind, state).toBe('guard');
      expect(JSON.stringify(explanation)).not.toContain('does not apply to this project as it stands');
    }
  });
});

describe('the correction loop', () => {
  it('a re-inspection concluded on track closes the open correction, so the project can complete', () => {
    const { final } = replay([
      makeEvent('SUBMIT', {}, actorFor('applicant')),
      makeEvent('APPROVE', { fundId: FUND_ID }, actorFor('center')),
      makeEvent('APPROVE', { fundId: FUND_ID }, actorFor('finance')),
      makeEvent('DISBURSE', { amountFen: 6_000_000 }, actorFor('finance')),
      makeEvent('RECORD_INSPECTION', { kind: 'regular', date: TODAY, inspectors: ['张三'] }, actorFor('inspector')),
      makeEvent('CONCLUDE_INSPECTION', { outcome: 'deviation', correction: '补充记录', dueDate: '2025-02-14' }, actorFor('supervisor')),
      // DESIGN.md: deviation -> correction with its own deadline -> re-inspection -> on track
      makeEvent('RECORD_INSPECTION', { kind: 'unannounced', date: TODAY, inspectors: ['李四'] }, actorFor('inspector')),
      makeEvent('CONCLUDE_INSPECTION', { outcome: 'on-track' }, actorFor('supervisor')),
    ]);
    expect(stateNameOf(final)).toBe('executing');
    expect(final.context.correction).toBeNull();
    const complete = makeEvent('COMPLETE', { summary: '完成' }, actorFor('applicant'));
    const [next] = transition(machine, final, complete);
    expect(stateNameOf(next)).toBe('evaluated.self-evaluation');
  });
});
