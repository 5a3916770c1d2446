/**
 * A pure model of the project machine for the unit tests: sample events (with payloads that pass
 * the zod schemas, sent by a role the authorization table allows), an enumeration of every
 * TransitionDefinition of the machine, and a traversal with xstate/graph. No database, no clock.
 */
import { initialTransition, transition, type AnyStateNode, type AnyTransitionDefinition, type StateValue } from 'xstate';
import { getAdjacencyMap, getShortestPaths, type AdjacencyMap, type StatePath } from 'xstate/graph';
import { DEFAULT_LIFECYCLE_RULES } from '../../../config/lifecycle-rules.ts';
import type { Role } from '../../../config/roles.ts';
import { createProjectMachine, type ProjectMachine } from '../../../machines/project.machine.ts';
import type { ProjectSnapshot } from '../../../machines/project.refusals.ts';
import { eventPayloadSchemas, PROJECT_EVENT_TYPES, type ProjectEventType } from '../../../machines/project.schemas.ts';
import type { Actor, ProjectContext, ProjectEvent, ProjectEventOf, ProjectInput } from '../../../machines/project.types.ts';
import { addDays, businessDateOf } from '../../../src/domain/business-date.ts';
import { authorizeEvent, EVENT_POLICIES } from '../../../src/domain/authorization.ts';
import { budgetLineCovering } from '../../../src/domain/item-rules.ts';

export const rules = DEFAULT_LIFECYCLE_RULES;
export const machine: ProjectMachine = createProjectMachine(rules);

/** The command time of every sample event (10:00 in Shanghai, business date 2025-01-15). */
export const AT = '2025-01-15T02:00:00.000Z';
export const TODAY = businessDateOf(new Date(AT));
export const ORG_ID = 'org-applicant';
export const OTHER_ORG_ID = 'org-other';
/** The fund the engine names on the final APPROVE. */
export const FUND_ID = '0b9f3c1e-7a52-4d7e-9c1a-2f4e6d8b0a11';

/** Item 13: the decision of the leadership group, dated before AT. */
export const SAMPLE_DECISION = { body: 'leadership-group', number: '阳创领纪〔2025〕2号', date: '2025-01-10' } as const;

export const sampleTargets = [
  { id: 'OUT1', level: '产出', subLevel: '数量', name: '举办培训场次', unit: '场', comparator: '>=', targetValue: 10, weight: 40 },
  { id: 'OUT2', level: '产出', subLevel: '时效', name: '完成时间', unit: '天', comparator: '<=', targetValue: 180, weight: 20 },
  { id: 'EFF1', level: '效益', subLevel: '社会效益', name: '受益企业数', unit: '家', comparator: '>=', targetValue: 100, weight: 30 },
  { id: 'SAT1', level: '满意度', subLevel: '服务对象满意度', name: '参训企业满意度', unit: '%', comparator: 'qualitative', weight: 10 },
] as const;

export function projectInput(proposal: Record<string, unknown> = {}): ProjectInput {
  return {
    projectId: 'p-1',
    code: 'YC-2024-05-001',
    orgId: ORG_ID,
    createdBy: 'u-applicant',
    createdAt: '2024-09-20T02:00:00.000Z',
    proposal: {
      title: '2024年中小企业经营管理人才培训',
      item: 5,
      requestedFen: 12_000_000,
      periodStart: '2024-10-01',
      periodEnd: '2025-09-30',
      targets: sampleTargets.map((target) => ({ ...target })),
      budgetLines: [budgetLineCovering(5, 12_000_000, rules.items)],
      ...proposal,
    } as ProjectInput['proposal'],
  };
}

export function initialSnapshot(proposal: Record<string, unknown> = {}): ProjectSnapshot {
  return initialTransition(machine, projectInput(proposal))[0];
}

export function actorFor(role: Role, orgId: string | null = role === 'applicant' ? ORG_ID : 'org-county'): Actor {
  return { userId: `u-${role}`, role, orgId };
}

/** One event as the engine builds it: the payload through its zod schema, then `at` and `actor`. */
export function makeEvent<T extends ProjectEventType>(
  type: T,
  payload: Record<string, unknown>,
  actor: Actor,
  at: string = AT,
): ProjectEventOf<T> {
  const parsed = eventPayloadSchemas[type].parse(payload) as Record<string, unknown>;
  return { ...parsed, type, at, actor } as unknown as ProjectEventOf<T>;
}

/** A role that the authorization table lets send this event to a project in this snapshot. */
export function senderOf(type: ProjectEventType, context: ProjectContext, payload: Record<string, unknown> = {}): Actor {
  const policy = EVENT_POLICIES[type];
  if (policy.currentStep) {
    const stepRole = context.approval.chain[context.approval.step];
    if (stepRole && policy.roles.includes(stepRole)) return actorFor(stepRole);
  }
  if (type === 'EXTEND_DEADLINE' && payload.deadline === 'correction') return actorFor('supervisor');
  return actorFor(policy.roles[0]!);
}

export const evaluationReport = {
  基本情况: '项目基本情况',
  评价工作开展情况: '开展情况',
  综合评价结论: '结论',
  绩效分析: '分析',
  存在问题: '问题',
  建议: '建议',
};

/** Payloads to try for each event type, given what the project holds now (all schema-valid). */
export function samplePayloads(context: ProjectContext): Record<ProjectEventType, Record<string, unknown>[]> {
  const left = context.committedFen - context.disbursedFen;
  const targets = context.proposal.targets;
  return {
    UPDATE_PROPOSAL: [{ title: '2024年中小企业经营管理人才培训（修订）' }, ...(context.proposal.item === 13 ? [] : [{ item: 13 }])],
    SUBMIT: [{}],
    WITHDRAW: [{ reason: '单位决定不再实施' }],
    AMEND_TARGETS: [{ targets, reason: '实施方案调整，经中心研究调整指标' }],
    APPROVE_AMENDMENT: [{ comment: '同意调整' }],
    REJECT_AMENDMENT: [{ reason: '调整理由不充分' }],
    UPDATE_TARGETS: [{ targets: targets.map((target) => ({ ...target })), comment: '调整指标' }],
    // An item 13 project's final approval names the decision (会议纪要); other items ignore it.
    APPROVE: [{ comment: '同意', fundId: FUND_ID, ...(context.proposal.item === 13 ? { decisionReference: SAMPLE_DECISION } : {}) }],
    REJECT: [{ comment: '不属于支持范围' }],
    RETURN: [{ comment: '请补充绩效目标说明' }],
    DISBURSE: left > 1 ? [{ amountFen: Math.floor(left / 2) }, { amountFen: left }] : [{ amountFen: Math.max(left, 1) }],
    REPORT_PROGRESS: [
      {
        periodStart: context.proposal.periodStart,
        periodEnd: addDays(context.proposal.periodStart, 90),
        indicators: targets[0] ? [{ indicatorId: targets[0].id, value: 4 }] : [],
        spentFen: 1_000_000,
      },
    ],
    RECORD_INSPECTION: [{ kind: 'regular', date: TODAY, inspectors: ['张三'] }],
    CONCLUDE_INSPECTION: [
      { outcome: 'on-track', comment: '按计划推进' },
      { outcome: 'deviation', correction: '补充培训签到记录', dueDate: addDays(TODAY, 30) },
      { outcome: 'serious', reason: '资金挪作他用' },
    ],
    SUBMIT_CORRECTION: [{ text: '已补充培训签到记录' }],
    ACCEPT_CORRECTION: [{}],
    REJECT_CORRECTION: [{ reason: '记录不完整', dueDate: addDays(TODAY, 45) }],
    EXTEND_DEADLINE: [
      { deadline: 'correction', newDate: addDays(context.correction?.dueDate ?? TODAY, 14), reason: '节假日顺延' },
      { deadline: 'evaluation', newDate: addDays(context.evaluationDueDate ?? TODAY, 14), reason: '第三方评价延期' },
    ],
    SUSPEND: [{ reason: '监督检查发现问题' }],
    RESUME: [{ reason: '问题已整改' }],
    STOP: [{ reason: '无法继续实施' }],
    CONFIRM_STOP: [{ comment: '同意终止' }],
    COMPLETE: [{ summary: '项目已完成' }],
    SUBMIT_EVALUATION: [
      {
        indicators: targets.map((target) =>
          target.comparator === 'qualitative' ? { indicatorId: target.id, band: 'achieved', percent: 90 } : { indicatorId: target.id, actual: target.targetValue ?? 0 },
        ),
        report: evaluationReport,
      },
    ],
    ACCEPT_EVALUATION: [{}],
    REQUEST_REEVALUATION: [{ reason: '评分依据不足' }],
    CLOSE: [{}],
  };
}

/** Every sample event for this snapshot, of every event type, whether or not the state takes it. */
export function sampleEvents(snapshot: ProjectSnapshot): ProjectEvent[] {
  const payloads: Partial<Record<ProjectEventType, Record<string, unknown>[]>> = samplePayloads(snapshot.context);
  return PROJECT_EVENT_TYPES.flatMap((type) => {
    const samples = payloads[type];
    // An event type added to the schemas without samples here: try an empty payload, else generate
    // nothing, so that its transitions show up as uncovered instead of crashing the traversal.
    if (!samples) return eventPayloadSchemas[type].safeParse({}).success ? [makeEvent(type, {}, senderOf(type, snapshot.context))] : [];
    return samples.map((payload) => makeEvent(type, payload, senderOf(type, snapshot.context, payload)));
  });
}

// ---------------------------------------------------------------------------------------------
// The machine's transitions, read from its definition.

export interface TransitionInfo {
  id: string;
  source: string;
  eventType: string;
  guard: string | null;
  targets: string[];
  definition: AnyTransitionDefinition;
}

function pathOf(node: AnyStateNode): string {
  return node.path.join('.');
}

function guardName(guard: AnyTransitionDefinition['guard']): string | null {
  if (guard === undefined) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String((guard as { type: unknown }).type);
  return (guard as { name?: string }).name || 'inline';
}

export function allStateNodes(root: AnyStateNode = machine.root): AnyStateNode[] {
  return [root, ...Object.values(root.states).flatMap((child) => allStateNodes(child))];
}

/** Every TransitionDefinition of every state node: each guarded branch of an event is its own entry. */
export function enumerateTransitions(): TransitionInfo[] {
  const list: TransitionInfo[] = [];
  for (const node of allStateNodes()) {
    const definitions: AnyTransitionDefinition[] = [...node.transitions.values()].flat();
    if (node.always) definitions.push(...node.always);
    definitions.forEach((definition, index) => {
      const source = pathOf(node) || '(root)';
      const guard = guardName(definition.guard);
      const targets = (definition.target ?? []).map(pathOf);
      const base = `${source} ${definition.eventType}${guard ? ` [${guard}]` : ''} -> ${targets.length ? targets.join(',') : '(no target)'}`;
      const id = list.some((entry) => entry.id === base) ? `${base} #${index}` : base;
      list.push({ id, source, eventType: definition.eventType, guard, targets, definition });
    });
  }
  return list;
}

export const TRANSITIONS = enumerateTransitions();
const TRANSITION_BY_DEFINITION = new Map(TRANSITIONS.map((info) => [info.definition, info]));

/** The transitions an event takes from a snapshot (guards evaluated), as enumerated ids. */
export function takenTransitionIds(snapshot: ProjectSnapshot, event: ProjectEvent): string[] {
  if (snapshot.status !== 'active') return [];
  return machine.getTransitionData(snapshot, event).map((definition) => {
    const info = TRANSITION_BY_DEFINITION.get(definition);
    if (!info) throw new Error(`transition not in the enumeration: ${definition.source.id} ${definition.eventType}`);
    return info.id;
  });
}

/** `{ a: { b: 'c' } }` -> ['a.b.c']. */
export function leafPaths(value: StateValue): string[] {
  if (typeof value === 'string') return [value];
  return Object.entries(value).flatMap(([key, child]) => (child ? leafPaths(child).map((rest) => `${key}.${rest}`) : [key]));
}

export function stateNameOf(snapshot: ProjectSnapshot): string {
  return leafPaths(snapshot.value).join('|');
}

/** The part of a snapshot that decides which transitions are open; keeps the graph finite. */
export function projectionOf(snapshot: ProjectSnapshot): string {
  const { context } = snapshot;
  return JSON.stringify({
    state: stateNameOf(snapshot),
    status: snapshot.status,
    item: context.proposal.item,
    chain: context.approval.chain.length,
    step: context.approval.step,
    suspendedFrom: context.suspension?.from ?? null,
    stopRequested: Boolean(context.suspension?.stopRequestedBy),
    correctionOpen: context.correction !== null,
    commitmentLeft: context.committedFen - context.disbursedFen > 0,
    amendmentPending: context.pendingAmendment !== null,
  });
}

/**
 * A vertex is the projection plus the transition that led to it, so that the shortest path to
 * each vertex ends with that transition: every transition the model can take gets its own path.
 */
export function serializeVertex(snapshot: ProjectSnapshot, event: ProjectEvent | undefined, previous?: ProjectSnapshot): string {
  return `${projectionOf(snapshot)} via ${viaOf(snapshot, event, previous)}`;
}

/**
 * The transition that produced a snapshot, remembered per snapshot object. getAdjacencyMap asks
 * first, with the true previous snapshot; getShortestPaths asks again later with whichever
 * snapshot it last stored under the previous key (same projection, maybe another context), so
 * the first answer is kept.
 */
const VIA = new WeakMap<ProjectSnapshot, string>();
function viaOf(snapshot: ProjectSnapshot, event: ProjectEvent | undefined, previous: ProjectSnapshot | undefined): string {
  if (!event || !previous) return '(start)';
  const known = VIA.get(snapshot);
  if (known !== undefined) return known;
  const via = takenTransitionIds(previous, event).join('+') || '(refused)';
  VIA.set(snapshot, via);
  return via;
}

/** The sample events that some caller may send: authorizeEvent is asked as the engine asks it. */
export function authorizedSampleEvents(snapshot: ProjectSnapshot): ProjectEvent[] {
  return sampleEvents(snapshot).filter((event) => isAuthorized(snapshot, event));
}

export function isAuthorized(snapshot: ProjectSnapshot, event: ProjectEvent): boolean {
  const { type, at: _at, actor, ...payload } = event;
  const project = { orgId: snapshot.context.orgId, context: snapshot.context, inReview: snapshot.matches({ proposed: 'review' }) };
  return authorizeEvent(type, actor, project, payload) === null;
}

const traversalOptions = {
  input: projectInput(),
  events: (snapshot: ProjectSnapshot) => authorizedSampleEvents(snapshot),
  filterEvents: (snapshot: ProjectSnapshot, event: ProjectEvent) => takenTransitionIds(snapshot, event).length > 0,
  serializeState: serializeVertex,
  limit: 50_000,
};

export type ProjectPath = StatePath<ProjectSnapshot, ProjectEvent>;

export function exploreAdjacency(): AdjacencyMap<ProjectSnapshot, ProjectEvent> {
  return getAdjacencyMap(machine, traversalOptions);
}

export function exploreShortestPaths(): ProjectPath[] {
  return getShortestPaths(machine, traversalOptions);
}

/** The events of a path: its first step is `xstate.init`, each later one an event and the state it led to. */
export function eventsOf(path: ProjectPath): ProjectEvent[] {
  const [first, ...rest] = path.steps;
  if (first && (first.event.type as string) !== 'xstate.init') throw new Error(`a path starts with ${first.event.type}, not xstate.init`);
  return rest.map((step) => step.event);
}

/** Replays events with the pure transition(); returns each step's snapshot before and after. */
export function replay(events: readonly ProjectEvent[], from: ProjectSnapshot = initialSnapshot()) {
  const steps: { before: ProjectSnapshot; event: ProjectEvent; after: ProjectSnapshot; taken: string[] }[] = [];
  let current = from;
  for (const event of events) {
    const taken = takenTransitionIds(current, event);
    const [after] = transition(machine, current, event);
    steps.push({ before: current, event, after, taken });
    current = after;
  }
  return { steps, final: current };
}

/** One step as printed: the event without its stamp, and who sent it. */
export function describeEvent(event: ProjectEvent): string {
  const { type, at: _at, actor, ...payload } = event;
  const body = Object.keys(payload).length ? ` ${JSON.stringify(payload)}` : '';
  return `${actor.role}: ${type}${body}`;
}

/** `{ proposed: 'review' }` for 'proposed.review'. */
export function valueOfPath(path: string): StateValue {
  const [head, ...rest] = path.split('.');
  return rest.length === 0 ? head! : { [head!]: valueOfPath(rest.join('.')) };
}
