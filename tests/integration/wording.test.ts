import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_EVENT_TYPES } from '../../src/domain/project.schemas.ts';
import { DEADLINES, NOTICE_TEMPLATES, PROJECT_STATES, TASK_KINDS } from '../../src/domain/vocabulary.ts';
import { renderContinuePage, renderSignInGonePage, renderSignInProblemPage, renderSignInSentPage } from '../../src/http/pages/sign-in.page.ts';
import { goneText, refusalText, renderDonePage, renderGonePage, renderProblemPage, renderTaskPage } from '../../src/http/pages/task-link.page.ts';
import { monthlyReportMailText } from '../../src/mail/monthly-report.template.ts';
import { renderReminderMail } from '../../src/mail/reminder.template.ts';
import { renderInviteMail } from '../../src/mail/invite.template.ts';
import { renderSignInMail } from '../../src/mail/sign-in.template.ts';
import { renderNoticeMail, renderTaskMail } from '../../src/mail/task.template.ts';
import type { ReviewBasis } from '../../src/usecases/tasks/review-basis.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { apiClient, sampleTargets, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * WORDING.md: nothing a person reads in Chinese carries a raw code (APPROVE, email, indicator:OUT1,
 * [red], a state or task code), a UTC time, ASCII double quotes, the program's name or a term WORDING.md replaces. Every email
 * template, the email-link pages and the three reports are rendered and scanned.
 */

const CODE_WORDS = [
  ...PROJECT_EVENT_TYPES,
  ...PROJECT_STATES.filter((state) => state.includes('.') || state.includes('-')),
  ...TASK_KINDS.filter((kind) => kind.includes('-')),
  ...DEADLINES.filter((deadline) => deadline.includes('.')),
  'UTC',
  'email',
  'fundflow',
  'indicator:',
  '[red]',
  '[yellow]',
];

/** The words of a rendered text or HTML page as a person reads them: no tags, styles, links or escapes. */
function readable(text: string): string {
  return text
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/https?:\/\/\S+/g, ' ');
}

/** Unofficial names and second terms WORDING.md replaces (县创建领导组, 省市主管部门, 定期/不定期检查, 资金台账, 额度收回…). */
const NOT_OFFICIAL: [string, RegExp][] = [
  // The full name ends in …示范县领导组; only the short 县领导组 is wrong.
  ['县领导组', /(?<!示范)县领导组/],
  ...['上级主管部门', '常规检查', '突击检查', '账簿', '已释放', '版本冲突', '资金已用完', '新的申报将被拒绝', '「', '」'].map((term): [string, RegExp] => [term, new RegExp(term)]),
];

function rawCodesIn(text: string): string[] {
  const words = readable(text);
  const unofficial = NOT_OFFICIAL.filter(([, pattern]) => pattern.test(words)).map(([term]) => term);
  const found = CODE_WORDS.filter((code) => {
    const escaped = code.replace(/[.[\]]/g, '\\$&');
    // A code that ends in a word character must end there (SUBMIT is not SUBMIT_CORRECTION); "indicator:" and "[red]" need no end.
    const end = /\w$/.test(code) ? '($|[^A-Za-z_-])' : '';
    return new RegExp(`(^|[^A-Za-z_.-])${escaped}${end}`).test(words);
  });
  if (words.includes('"')) found.push('ASCII "');
  return [...found, ...unofficial];
}

function expectReadable(what: string, text: string) {
  expect(rawCodesIn(text), `${what}: ${readable(text).replace(/\s+/g, ' ').slice(0, 400)}`).toEqual([]);
}

describe('the scanner itself', () => {
  it('finds each kind of raw code, and passes official wording', () => {
    expect(rawCodesIn('<p>已同意（APPROVE）</p>')).toEqual(['APPROVE']);
    expect(rawCodesIn('渠道：email')).toEqual(['email']);
    expect(rawCodesIn('双监控预警：indicator:OUT1 完成 10%')).toEqual(['indicator:']);
    expect(rawCodesIn('- [red] 逾期')).toEqual(['[red]']);
    expect(rawCodesIn('2026-12-01 01:00 UTC')).toEqual(['UTC']);
    expect(rawCodesIn('状态：proposed.review')).toEqual(['proposed.review']);
    expect(rawCodesIn('建设"阳城县企业服务平台"')).toEqual(['ASCII "']);
    expect(rawCodesIn('报送县领导组；常规检查 2 次')).toEqual(['县领导组', '常规检查']);
    expect(rawCodesIn('报送阳城县创建中小企业高质量发展示范县领导组、县创建领导组')).toEqual([]);
    expect(rawCodesIn('<a href="http://x.test/t/abc">http://x.test/t/abc</a> 同意，邮件链接，指标“举办培训场次”，【红色预警】')).toEqual([]);
  });
});

const BASIS: ReviewBasis = {
  flags: [{ code: 'no-cost-clause', zh: '方案第 10 项未规定开支范围，请审核人逐项判断预算明细是否合理', en: 'no cost clause' }],
  overlap: {
    kind: 'checked',
    outcome: 'top-up',
    approvableFen: 6_000_000,
    reason: '就高不重复：县级政策“阳政办发〔2024〕74号（本系统已批准项目）”已支持 40,000.00 元，低于本次申请 100,000.00 元，只补足差额 60,000.00 元 / highest award only: ...',
    matches: ['阳政办发〔2024〕74号（本系统已批准项目）（YC-2024-08-001）：同一受益单位、同一支持事项（第 8 项）、同一年度（2024） / same beneficiary, item 8 and year 2024'],
  },
  payment: { approvedFen: 12_000_000, paidFen: 6_000_000, leftFen: 6_000_000 },
};

describe('emails in Chinese', () => {
  it.each(TASK_KINDS)('task email: %s', (kind) => {
    const mail = renderTaskMail({
      locale: 'zh-CN',
      recipientName: '王芳',
      kind,
      projectCode: 'YC-2024-05-001',
      projectTitle: '2024年中小企业经营管理人才培训',
      item: 1,
      applicant: '阳城县某镇人民政府',
      amountFen: 12_000_000,
      dueDate: '2024-10-20',
      link: 'http://fundflow.test/t/abc',
      canDecideByLink: kind === 'review',
      basis: BASIS,
    });
    expect(mail.subject.startsWith('【阳城县奖励资金】')).toBe(true);
    expect(mail.text.startsWith('王芳同志，您好：')).toBe(true);
    expect(mail.text.trim().endsWith('阳城县中小企业发展促进中心')).toBe(true);
    for (const part of [mail.subject, mail.text, mail.html]) expectReadable(`task ${kind}`, part);
  });

  it('a disbursement task shows 批准金额, what was paid and 剩余可拨付额度, not the amount applied for', () => {
    const mail = renderTaskMail({
      locale: 'zh-CN', recipientName: '李明', kind: 'disburse', projectCode: 'YC-2024-05-001', projectTitle: 't', item: 5, applicant: 'a',
      amountFen: 99_999_999, dueDate: '2024-10-20', link: 'http://x.test/t/a', canDecideByLink: false, basis: { flags: [], overlap: null, payment: BASIS.payment },
    });
    expect(mail.text).toContain('批准金额：120,000.00 元');
    expect(mail.text).toContain('已拨付金额：60,000.00 元');
    expect(mail.text).toContain('剩余可拨付额度：60,000.00 元');
    expect(mail.text).not.toContain('999,999.99');
  });

  it.each(NOTICE_TEMPLATES)('notice email: %s', (template) => {
    const mail = renderNoticeMail({ locale: 'zh-CN', recipientName: '王芳', template, projectCode: 'YC-2024-05-001', projectTitle: '培训', reason: '材料齐全', link: 'http://fundflow.test/projects/YC-2024-05-001' });
    expect(mail.subject.startsWith('【阳城县奖励资金】')).toBe(true);
    for (const part of [mail.subject, mail.text, mail.html]) expectReadable(`notice ${template}`, part);
  });

  it.each(DEADLINES.flatMap((deadline) => [[deadline, false], [deadline, true]] as const))('reminder email: %s (escalated %s)', (deadline, escalated) => {
    const mail = renderReminderMail({ locale: 'zh-CN', recipientName: '王芳', projectCode: 'YC-2024-05-001', projectTitle: '培训', item: 5, deadline, dueDate: '2024-10-20', offsetDays: escalated ? 3 : -7, escalated, link: 'http://fundflow.test/projects/YC-2024-05-001' });
    expect(mail.subject.startsWith('【阳城县奖励资金】')).toBe(true);
    for (const part of [mail.subject, mail.text, mail.html]) expectReadable(`reminder ${deadline}`, part);
  });

  it('sign-in, invitation and monthly report emails', () => {
    const signIn = renderSignInMail({ locale: 'zh-CN', recipientName: '王芳', link: 'http://fundflow.test/auth/x', code: '123456', expiresAt: new Date('2024-10-08T02:15:00Z') });
    for (const part of [signIn.subject, signIn.text, signIn.html]) expectReadable('sign-in', part);
    const invite = renderInviteMail({ locale: 'zh-CN', recipientName: '王芳', roleName: '县创建领导组', link: 'http://fundflow.test/sign-in/x', code: '123456', expiresAt: new Date('2024-10-08T02:15:00Z'), signInPage: 'http://fundflow.test/' });
    for (const part of [invite.subject, invite.text, invite.html]) expectReadable('invite', part);
    const monthly = monthlyReportMailText({ recipientName: '王芳', monthLabel: '2024-10', from: '2024-10-01', to: '2024-10-31', withFundReport: true });
    expect(monthly.subject.startsWith('【阳城县奖励资金】')).toBe(true);
    for (const part of [monthly.subject, monthly.text]) expectReadable('monthly', part);
  });
});

describe('email-link pages in Chinese', () => {
  it('the task page: every event, channel and state of the history in words, with the basis and the budget lines', () => {
    const html = renderTaskPage({
      locale: 'zh-CN',
      recipientName: '王芳',
      nonce: 'n',
      task: { kind: 'review', dueDate: '2024-10-20' },
      project: {
        code: 'YC-2024-13-001', title: '县创建领导组支持事项', item: 13, applicant: '阳城县某镇人民政府', requestedFen: 12_000_000,
        periodStart: '2024-10-01', periodEnd: '2025-09-30', state: 'proposed.review', targets: sampleTargets as never,
        budgetLines: [{ category: 'training', description: '培训费', amountFen: 12_000_000, persons: 134, days: 2, sessions: 2 }],
        listing: { board: 'neeq', announcementRef: '股转公告〔2024〕118号', announcementDate: '2024-06-28' },
      },
      basis: BASIS,
      asksDecisionReference: true,
      history: [...PROJECT_EVENT_TYPES, 'PROPOSE'].flatMap((type) =>
        ['api', 'page', 'email', 'worker', 'cli'].map((channel) => ({ at: new Date('2024-10-08T02:00:00Z'), type, actor: '王芳', channel, reason: null })),
      ),
    });
    expectReadable('task page', html);
    for (const state of PROJECT_STATES) expectReadable(`done page ${state}`, renderDonePage('zh-CN', { code: 'YC-2024-05-001', event: 'APPROVE', state }));
    for (const kind of ['invalid', 'used', 'closed', 'revoked', 'expired', 'inactive', 'just-used'] as const) {
      const gone = { kind, at: new Date('2024-10-08T02:00:00Z'), by: '王芳', event: 'APPROVE', reason: 'the task was delegated' } as never;
      expectReadable(`gone ${kind}`, renderGonePage('zh-CN', gone));
      expectReadable(`gone text ${kind}`, goneText(gone).zh);
    }
  });
});

describe('sign-in pages in Chinese', () => {
  it('continue, sent, gone and problem pages', () => {
    expectReadable('continue', renderContinuePage('zh-CN', { action: '/sign-in/x', nonce: 'n' }));
    expectReadable('sent', renderSignInSentPage('zh-CN'));
    expectReadable('gone', renderSignInGonePage('zh-CN', { message: { zh: '链接已失效，请重新获取。', en: 'gone' }, next: '/projects' }));
    expectReadable('problem form', renderSignInProblemPage('zh-CN', 'form', null));
    expectReadable('problem rate', renderSignInProblemPage('zh-CN', 'rate', '/projects'));
    for (const code of ['forbidden', 'event-not-allowed', 'guard-refused', 'version-conflict', 'other']) {
      expectReadable(`refusal ${code}`, renderProblemPage('zh-CN', refusalText(code, '尚有整改事项未完成，暂不能申请结项')));
    }
  });
});

describe('reports', () => {
  let database: TestDatabase;
  let app: TestApp;
  let api: ReturnType<typeof apiClient>;
  let closed = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp(database.db);
    api = apiClient(app.baseUrl);
    closed = (await driveTo(app, 'closed')).id;
    await driveTo(app, 'terminated');
    await driveTo(app, 'deviated-corrected.verifying');
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('the three reports read officially and cite the basis documents', async () => {
    for (const path of [`/api/v1/reports/fund-execution?format=html`, `/api/v1/reports/supervision?from=2024-10-01&to=2024-12-31&format=html`, `/api/v1/reports/evaluation/${closed}.html`]) {
      const response = await api('GET', path, { token: app.users.center.token });
      expect(response.status, path).toBe(200);
      const html = String(response.body);
      expectReadable(path, html);
      for (const basis of ['晋政办函〔2020〕99号', '阳发〔2020〕14号', '晋企发〔2023〕1号', '阳政办发〔2024〕74号', '本报告由系统自动生成']) expect(html, path).toContain(basis);
    }
  });
});
