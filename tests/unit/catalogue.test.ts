import { createActor, type AnyStateNode } from 'xstate';
import { describe, expect, it } from 'vitest';
import { BUDGET_CATEGORIES, DECISION_BODIES, LISTING_BOARDS } from '../../config/item-rules.ts';
import { OVERLAP_OUTCOMES } from '../../src/domain/overlap.ts';
import { BASIS_LABELS } from '../../src/domain/review-basis.ts';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { createProjectMachine } from '../../machines/project.machine.ts';
import { PROJECT_EVENT_TYPES } from '../../src/domain/project.schemas.ts';
import {
  ATTACHMENT_KINDS,
  DEADLINE_RELEVANCE,
  DEADLINES,
  EFFECT_ACTIONS,
  NOTICE_TEMPLATES,
  PROJECT_STATES,
  STATE_TAGS,
  TASK_KINDS,
} from '../../src/domain/vocabulary.ts';
import { ALERT_KINDS } from '../../src/domain/alert-kinds.ts';
import type { Catalogue } from '../../src/i18n/catalogue.ts';
import { en } from '../../src/i18n/en.ts';
import { zhCN } from '../../src/i18n/zh-CN.ts';

/** The vocabulary each catalogue section must label, key for key. */
const SECTIONS: Record<keyof Catalogue, readonly string[]> = {
  deadline: DEADLINES,
  task: TASK_KINDS,
  notice: NOTICE_TEMPLATES,
  state: PROJECT_STATES,
  event: PROJECT_EVENT_TYPES,
  effect: EFFECT_ACTIONS,
  budgetCategory: BUDGET_CATEGORIES,
  listingBoard: LISTING_BOARDS,
  decisionBody: DECISION_BODIES,
  basisLabel: BASIS_LABELS,
  overlapOutcome: OVERLAP_OUTCOMES,
  alert: ALERT_KINDS,
  attachmentKind: ATTACHMENT_KINDS,
};

const CATALOGUES: Record<string, Catalogue> = { 'zh-CN': zhCN, en };

// A catalogue without a key does not compile (checked by `npm run typecheck`, which covers tests/).
// @ts-expect-error: 'finance.review' is missing
const _missing: Catalogue['deadline'] = { 'inspection.regular': '', 'inspection.unannounced': '', 'progress.report': '', correction: '', evaluation: '' };
void _missing;

function leafStates(node: AnyStateNode, prefix = ''): string[] {
  const children = Object.entries(node.states);
  if (children.length === 0) return [prefix];
  return children.flatMap(([key, child]) => leafStates(child, prefix ? `${prefix}.${key}` : key));
}

function allTags(node: AnyStateNode): string[] {
  return [...node.tags, ...Object.values(node.states).flatMap(allTags)];
}

describe('message catalogues', () => {
  for (const [locale, catalogue] of Object.entries(CATALOGUES)) {
    for (const [section, words] of Object.entries(SECTIONS) as [keyof Catalogue, readonly string[]][]) {
      it(`${locale} labels every ${section} of the vocabulary, and nothing else`, () => {
        expect(words.length).toBeGreaterThan(0);
        const labels = catalogue[section] as Record<string, string>;
        expect(Object.keys(labels).sort()).toEqual([...words].sort());
        const empty = words.filter((word) => typeof labels[word] !== 'string' || labels[word]!.trim() === '');
        expect(empty).toEqual([]);
      });
    }
  }

  it('zh-CN labels are Chinese and en labels are not', () => {
    const zh = Object.values(SECTIONS).length;
    expect(zh).toBe(13);
    for (const section of Object.keys(SECTIONS) as (keyof Catalogue)[]) {
      for (const [word, label] of Object.entries(zhCN[section])) expect(label, `${section}.${word}`).toMatch(/\p{Script=Han}/u);
      for (const [word, label] of Object.entries(en[section])) expect(label, `${section}.${word}`).not.toMatch(/\p{Script=Han}/u);
    }
  });

  it('uses the official terms of WORDING.md', () => {
    expect(zhCN.deadline['inspection.regular']).toBe('定期检查');
    expect(zhCN.deadline['inspection.unannounced']).toBe('不定期检查');
    expect(zhCN.state.inspected).toBe('待出具检查结论');
    expect(zhCN.state['suspended.held']).toBe('暂缓执行');
    expect(zhCN.state.rejected).toBe('审核未通过');
    expect(zhCN.state.terminated).toBe('已停止执行');
    expect(zhCN.effect.recordLedger).toContain('资金台账');
  });
});

const INPUT = {
  projectId: 'p',
  code: 'YC-2024-05-001',
  orgId: 'o',
  createdBy: 'u',
  createdAt: '2024-10-01T00:00:00.000Z',
  proposal: { title: 't', item: 5, requestedFen: 1, periodStart: '2024-10-01', periodEnd: '2025-09-30', targets: [], contractNumbers: [], invoiceNumbers: [], budgetLines: [] },
};

describe('the vocabulary matches the machine', () => {
  const machine = createProjectMachine(DEFAULT_LIFECYCLE_RULES);

  it('PROJECT_STATES are exactly the machine’s leaf states', () => {
    expect(leafStates(machine.root).sort()).toEqual([...PROJECT_STATES].sort());
  });

  it('a deadline matters in exactly the states it did when relevance was regexes of state names', () => {
    // The regexes workers/reminders.worker.ts had before the states carried tags: behaviour unchanged.
    const BEFORE: Record<string, RegExp> = {
      'inspection.regular': /^(executing|inspected|deviated-corrected\.)/,
      'inspection.unannounced': /^(executing|inspected|deviated-corrected\.)/,
      'progress.report': /^(executing|inspected|deviated-corrected\.)/,
      correction: /^deviated-corrected\.correcting$/,
      evaluation: /^evaluated\.(self-evaluation|re-evaluation)$/,
      'finance.review': /^evaluated\.finance-review$/,
    };
    const context = createActor(machine, { input: INPUT }).getSnapshot().context;
    const pairs = PROJECT_STATES.flatMap((state) => DEADLINES.map((deadline) => ({ state, deadline })));
    const disagreements = pairs.filter(({ state, deadline }) => {
      const [parent, child] = state.split('.');
      const resolved = machine.resolveState({ value: child ? { [parent!]: child } : parent!, context });
      return resolved.hasTag(DEADLINE_RELEVANCE[deadline]) !== BEFORE[deadline]!.test(state);
    });
    expect(pairs.length).toBe(PROJECT_STATES.length * DEADLINES.length);
    expect(disagreements).toEqual([]);
  });

  it('every state tag is a vocabulary tag, and every deadline’s relevance tag is on some state', () => {
    const used = new Set(allTags(machine.root));
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((tag) => !(STATE_TAGS as readonly string[]).includes(tag))).toEqual([]);
    expect(Object.values(DEADLINE_RELEVANCE).filter((tag) => !used.has(tag))).toEqual([]);
  });
});
