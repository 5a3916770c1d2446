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
import type { Catalogue, MailCatalogue } from '../../src/i18n/catalogue.ts';
import { en } from '../../src/i18n/en.ts';
import { zhCN } from '../../src/i18n/zh-CN.ts';

/** Sections of sentences (emails, pages) rather than labels of a vocabulary: checked with SENTENCE_SAMPLES below. */
type SentenceSection = 'mail' | 'signInPage' | 'taskPage';
/** The sections that label a vocabulary word for word. */
type VocabularySection = Exclude<keyof Catalogue, SentenceSection>;

/** The vocabulary each catalogue section must label, key for key. */
const SECTIONS: Record<VocabularySection, readonly string[]> = {
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
    for (const [section, words] of Object.entries(SECTIONS) as [VocabularySection, readonly string[]][]) {
      it(`${locale} labels every ${section} of the vocabulary, and nothing else`, () => {
        expect(words.length).toBeGreaterThan(0);
        const labels = catalogue[section] as Record<string, string>;
        expect(Object.keys(labels).sort()).toEqual([...words].sort());
        const empty = words.filter((word) => typeof labels[word] !== 'string' || labels[word]!.trim() === '');
        expect(empty).toEqual([]);
      });
    }
  }

  it('every section of each catalogue is checked here: the vocabulary sections and the sentence sections', () => {
    expect(Object.keys(SECTIONS).length).toBe(13);
    expect(Object.keys(SENTENCE_SAMPLES).length).toBe(3);
    for (const catalogue of Object.values(CATALOGUES)) expect(Object.keys(catalogue).sort()).toEqual([...Object.keys(SECTIONS), ...Object.keys(SENTENCE_SAMPLES)].sort());
  });

  it('zh-CN labels are Chinese and en labels are not', () => {
    for (const section of Object.keys(SECTIONS) as VocabularySection[]) {
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

/**
 * Sample values for every sentence of a sentence section: one argument list per case (a sentence
 * without values has `[[]]`). Typed by the section, so a new sentence needs its samples to compile.
 */
type Samples<C> = { [K in keyof C]: C[K] extends (...args: infer A) => string ? readonly A[] : readonly (readonly [])[] };
const NONE = [[]] as const;
const MAIL_SAMPLES: Samples<MailCatalogue> = {
  subjectPrefix: NONE,
  sender: NONE,
  greeting: [['Zhang San']],
  amount: [['1,200,000.00']],
  row: [['label', 'value']],
  explained: [['outcome', 'reason']],
  signInSubject: NONE,
  signInAsk: [['123456', '2026-12-01 09:00']],
  signInNotYou: NONE,
  inviteSubject: NONE,
  inviteAsk: [['role', '123456', '2026-12-01 09:00']],
  inviteWhenExpired: [['https://example.test/sign-in']],
  reminderSubject: [true, false].map((escalated) => [{ escalated, code: 'YC-2024-05-001', deadline: 'd', when: 'w', dueDate: '2026-12-01' }] as const),
  reminderWhen: [[-3], [0], [2]],
  reminderBody: [[{ code: 'YC-2024-05-001', title: 't', itemName: 'i', deadline: 'd', dueDate: '2026-12-01', when: 'w' }]],
  reminderEscalated: NONE,
  reminderInTime: NONE,
  reminderProject: [['https://example.test/p']],
  taskSubject: [['YC-2024-05-001', 'task', '2026-12-01']],
  taskAsk: [['YC-2024-05-001', 'task', '2026-12-01']],
  taskRowCode: NONE,
  taskRowTitle: NONE,
  taskRowItem: NONE,
  taskItem: [[5, 'item']],
  taskRowApplicant: NONE,
  taskRowTask: NONE,
  taskRowDue: NONE,
  taskDue: [['2026-12-01']],
  taskActByLink: NONE,
  taskActInSystem: NONE,
  noticeSubject: [['YC-2024-05-001', 'notice']],
  noticeBody: [['YC-2024-05-001', 't', 'notice']],
  noticeNote: [['reason']],
  noticeProject: NONE,
  monthlyReportSubject: [['2026-11']],
  monthlyReportBody: [['2026-11-01', '2026-11-30', true], ['2026-11-01', '2026-11-30', false]],
};

const SENTENCE_SAMPLES: { [S in SentenceSection]: Samples<Catalogue[S]> } = {
  mail: MAIL_SAMPLES,
  signInPage: {
    system: NONE,
    continueTitle: NONE,
    continueAsk: NONE,
    continueNotYou: NONE,
    goneTitle: NONE,
    goneHeading: NONE,
    emailLabel: NONE,
    requestNewLink: NONE,
    sentTitle: NONE,
    sentHeading: NONE,
    sentBody: NONE,
    formExpired: NONE,
    tooManyRequests: NONE,
    problemTitle: NONE,
  },
  taskPage: {
    heading: [['task']],
    greeting: [['Zhang San']],
    rowCode: NONE,
    rowTitle: NONE,
    rowItem: NONE,
    itemValue: [[5, 'item']],
    rowApplicant: NONE,
    rowRequested: NONE,
    amount: [['1,200.00']],
    rowPeriod: NONE,
    period: [['2026-01-01', '2026-12-31']],
    rowState: NONE,
    rowDue: NONE,
    due: [['2026-12-01']],
    listingBoard: NONE,
    listingAnnouncement: NONE,
    listSeparator: NONE,
    notGiven: NONE,
    targets: NONE,
    colLevel: NONE,
    colIndicator: NONE,
    colTarget: NONE,
    colAchieved: NONE,
    colWeight: NONE,
    colScore: NONE,
    qualitative: NONE,
    evaluationScores: NONE,
    total: NONE,
    totalScoreLabel: NONE,
    scoreAndGrade: [['88.00', 'A']],
    evaluationReport: NONE,
    budgetLines: NONE,
    colCategory: NONE,
    colPurpose: NONE,
    colFigures: NONE,
    colAmount: NONE,
    persons: [[3]],
    days: [[2]],
    sessions: [[1]],
    decisionNeeded: NONE,
    decidedBy: NONE,
    minutesNumber: NONE,
    meetingDate: NONE,
    yourDecision: NONE,
    decisionApprove: NONE,
    decisionReject: NONE,
    decisionReturn: NONE,
    acceptEvaluation: NONE,
    orderReevaluation: NONE,
    approveAmendment: NONE,
    rejectAmendment: NONE,
    confirmStop: NONE,
    comment: NONE,
    submit: NONE,
    actInSystem: NONE,
    history: NONE,
    colWhen: NONE,
    colEvent: NONE,
    colBy: NONE,
    colChannel: NONE,
    colComment: NONE,
    linkInvalid: NONE,
    linkUsed: [['2026-12-01 09:00', 'by']],
    projectMovedOn: NONE,
    linkClosed: [['2026-12-01 09:00', 'what', 'by']],
    linkRevoked: [['2026-12-01 09:00', 'reason']],
    linkExpired: [['2026-12-01 09:00']],
    recipientInactive: NONE,
    justUsed: NONE,
    goneTitle: NONE,
    goneHeading: NONE,
    nothingChanged: NONE,
    doneTitle: NONE,
    done: [['YC-1', 'event', 'state']],
    refusalForbidden: NONE,
    refusalNotAllowed: NONE,
    refusalGuard: NONE,
    refusalConflict: NONE,
    refusalOther: NONE,
    refusal: [['lead', 'message']],
    problemTitle: NONE,
    revokedReason: [['another recipient completed the task'], ['the task was delegated'], ['the task was completed or the project moved on'], ['replaced by a newer link'], ['user-deactivated']],
  },
};

/** Every rendering of one catalogue's sentence with the samples. */
function renderSentence(catalogue: Catalogue, section: SentenceSection, key: string): string[] {
  const entry = (catalogue[section] as unknown as Record<string, string | ((...args: unknown[]) => string)>)[key];
  const samples = (SENTENCE_SAMPLES[section] as Record<string, readonly (readonly unknown[])[]>)[key] ?? [];
  return samples.map((args) => (typeof entry === 'function' ? entry(...args) : entry!));
}
const renderMail = (catalogue: Catalogue, key: keyof MailCatalogue) => renderSentence(catalogue, 'mail', key);

/** English sentences that keep Chinese on purpose: the sender's official name, and 元 as the plan's unit. */
const EN_KEEPS_CHINESE: readonly string[] = ['mail.sender', 'mail.amount', 'taskPage.amount'];
/** Chinese sentences made only of values and punctuation (a labelled row, a list separator, a span of dates). */
const ZH_WITHOUT_HAN: readonly string[] = ['mail.row', 'mail.explained', 'taskPage.itemValue', 'taskPage.period', 'taskPage.listSeparator'];

describe('the sentence sections (emails and the pages their links open)', () => {
  for (const section of Object.keys(SENTENCE_SAMPLES) as SentenceSection[]) {
    const keys = Object.keys(SENTENCE_SAMPLES[section]).sort();

    for (const [locale, catalogue] of Object.entries(CATALOGUES)) {
      it(`${locale} has every ${section} sentence, and nothing else, each rendering to non-empty text`, () => {
        expect(keys.length).toBeGreaterThan(0);
        expect(Object.keys(catalogue[section]).sort()).toEqual(keys);
        const empty = keys.filter((key) => renderSentence(catalogue, section, key).some((text) => typeof text !== 'string' || text.trim() === ''));
        expect(empty).toEqual([]);
      });
    }

    it(`zh-CN ${section} sentences are Chinese in the official form, and en ones are English`, () => {
      for (const key of keys) {
        for (const text of renderSentence(zhCN, section, key)) {
          if (!ZH_WITHOUT_HAN.includes(`${section}.${key}`)) expect(text, `zh-CN ${section}.${key}`).toMatch(/\p{Script=Han}/u);
          // WORDING.md: full-width quotes, never UTC to a person, no 「」.
          expect(text, `zh-CN ${section}.${key}`).not.toMatch(/["「」]|UTC/);
        }
        if (EN_KEEPS_CHINESE.includes(`${section}.${key}`)) continue;
        for (const text of renderSentence(en, section, key)) expect(text, `en ${section}.${key}`).not.toMatch(/\p{Script=Han}/u);
      }
    });
  }

  it('follows WORDING.md: subject prefix, greeting, sender, 北京时间 wherever a time is given', () => {
    expect(zhCN.mail.subjectPrefix).toBe('【阳城县奖励资金】');
    expect(zhCN.mail.greeting('张三')).toBe('张三同志，您好：');
    expect(zhCN.mail.sender).toBe('阳城县中小企业发展促进中心');
    expect(en.mail.sender).toContain('(阳城县中小企业发展促进中心)');
    for (const key of ['signInSubject', 'inviteSubject', 'reminderSubject', 'taskSubject', 'noticeSubject', 'monthlyReportSubject'] as const) {
      for (const text of renderMail(zhCN, key)) expect(text, key).toMatch(/^【阳城县奖励资金】/);
      for (const text of renderMail(en, key)) expect(text, key).toMatch(/^\[Yangcheng SME fund\] /);
    }
    for (const key of ['signInAsk', 'inviteAsk', 'reminderBody', 'taskAsk', 'taskDue'] as const) {
      for (const text of renderMail(zhCN, key)) expect(text, key).toContain('（北京时间）');
      for (const text of renderMail(en, key)) expect(text, key).toContain('(Beijing time)');
    }
    expect(zhCN.mail.taskAsk('C', '项目审核', 'd')).toContain('“项目审核”');
    expect(zhCN.mail.taskActByLink).toBe('请点击下方链接查看并办理（该链接仅限本人使用，只能提交一次）：');
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
