import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchChromium, newContext, PageChecks, PHONE, snap } from './support/browser.ts';
import { startJourneyServer, type JourneyRole, type JourneyServer } from './support/journey-server.ts';
import { act, choose, decideInInbox, openProject, signIn, waitForTask } from './support/pages.ts';
import { demoPdf } from '../../src/usecases/demo/demo-materials.ts';

/** Chooses a file in the upload labelled `label` (inside `scope`) and waits until it is listed. */
async function uploadThroughPage(scope: ReturnType<Page['getByRole']> | Page, label: string, name: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).setInputFiles({ name, mimeType: 'application/pdf', buffer: Buffer.from(demoPdf(['journey', name, String(Math.random())])) });
  await scope.getByRole('link', { name, exact: true }).first().waitFor();
}

/**
 * The browser journey of issue 12, through the pages only (no API call from the test): every
 * role signs in from its emailed link or code and does its part of one project's life.
 */
let server: JourneyServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const checks = new PageChecks();

beforeAll(async () => {
  server = await startJourneyServer();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

/** Screenshot and axe on every page the journey sees. */
const look = (page: Page, name: string) => checks.look(page, name);

async function session(role: JourneyRole, via: 'link' | 'code' = 'code', viewport = DESKTOP): Promise<Page> {
  const context = await newContext(browser, viewport);
  context.setDefaultTimeout(60_000);
  contexts.push(context);
  return signIn(context, server, server.users[role].email, via, role === 'applicant' ? (page, step) => look(page, step) : undefined);
}

const started = Date.now();
const step = (text: string) => console.log(`[journey +${((Date.now() - started) / 1000).toFixed(0)}s] ${text}`);
const isoDaysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('staff pages journey', () => {
  it('takes one project from proposal to closing through the pages, every step on the timeline', { timeout: 1_800_000 }, async () => {
    const { baseUrl } = server;

    // 1. The applicant signs in from the emailed link, proposes and submits.
    step('1. The applicant signs in from the emailed link, proposes and submits.');
    const applicant = await session('applicant', 'link');
    await look(applicant, 'inbox-empty');
    await applicant.getByRole('link', { name: '申报', exact: true }).click();
    await applicant.getByRole('heading', { name: '新建申报' }).waitFor();
    await applicant.getByLabel('项目名称').fill('2026年中小企业经营管理人才培训');
    await choose(applicant, '支持事项', '5. 培训学习');
    await applicant.getByLabel('申请金额（元）').fill('300,000');
    await applicant.getByLabel('实施开始日期').fill(isoDaysFromNow(1));
    await applicant.getByLabel('实施结束日期').fill(isoDaysFromNow(300));
    await applicant.getByLabel('项目内容').fill('组织全县中小企业经营管理人员培训 12 场。');
    await applicant.getByRole('button', { name: '添加产出指标' }).click();
    await applicant.getByLabel('第 1 项指标名称').fill('举办培训场次');
    await applicant.getByLabel('第 1 项指标值').fill('12');
    await applicant.getByLabel('第 1 项单位').fill('场');
    await applicant.getByLabel('第 1 项权重').fill('60');
    await applicant.getByRole('button', { name: '添加效益指标' }).click();
    await applicant.getByLabel('第 2 项指标名称').fill('受益企业数');
    await applicant.getByLabel('第 2 项指标值').fill('100');
    await applicant.getByLabel('第 2 项单位').fill('家');
    await applicant.getByLabel('第 2 项权重').fill('20');
    await expect.poll(() => applicant.getByTestId('weight-check').textContent()).toContain('还差 20');
    await applicant.getByRole('button', { name: '添加满意度指标' }).click();
    await applicant.getByLabel('第 3 项指标名称').fill('参训企业满意度');
    await choose(applicant, '第 3 项比较方式', '定性');
    await applicant.getByLabel('第 3 项权重').fill('20');
    await expect.poll(() => applicant.getByTestId('weight-check').textContent()).toContain('权重合计 100，符合要求');
    // 预算明细: 300,000 元 of training fees for 200 persons × 4 days in 3 sessions (within item 5's caps).
    await applicant.getByRole('button', { name: '添加预算明细' }).click();
    await applicant.getByLabel('第 1 行用途').fill('经营管理人员培训费');
    await applicant.getByLabel('第 1 行金额（元）').fill('300000');
    await applicant.getByLabel('第 1 行人数').fill('200');
    await applicant.getByLabel('第 1 行天数').fill('4');
    await applicant.getByLabel('第 1 行期数').fill('3');
    await applicant.getByText('与申请金额一致').waitFor();
    await look(applicant, 'proposal-new');
    await applicant.getByRole('button', { name: '保存草稿' }).click();
    await applicant.waitForURL(/\/projects\/YC-\d{4}-\d{2}-\d{3}\/edit$/);
    const code = /\/projects\/(YC-[\d-]+)\/edit$/.exec(applicant.url())![1]!;
    // A proposal goes in with its 申报书 and 预算明细, uploaded on the proposal page.
    await uploadThroughPage(applicant, '上传申报书', '项目申报书.pdf');
    await uploadThroughPage(applicant, '上传预算明细', '预算明细表.pdf');
    await look(applicant, 'proposal-materials');
    await applicant.getByRole('button', { name: '提交申报' }).click();
    await applicant.waitForURL(new RegExp(`/projects/${code}$`));
    await applicant.getByTestId('project-state').filter({ hasText: '审核中' }).waitFor();
    await look(applicant, 'project-submitted');

    // 2. The center approves from its inbox, then finance (300,000 元 is under the leadership threshold).
    step('2. The center approves from its inbox, then finance (300,000 元 is under the leadership threshold).');
    const center = await session('center');
    await waitForTask(center, baseUrl, code, '项目审核');
    await look(center, 'inbox-center');
    await decideInInbox(center, code, '同意', '材料齐全，同意。');
    const finance = await session('finance');
    await waitForTask(finance, baseUrl, code, '项目审核');
    await decideInInbox(finance, code, '同意', '同意安排资金。');

    // 3. Finance disburses from the project page, seeing the approved amount and what is left.
    step('3. Finance disburses from the project page, seeing the approved amount and what is left.');
    await waitForTask(finance, baseUrl, code, '资金拨付');
    await look(finance, 'inbox-finance');
    await openProject(finance, baseUrl, code);
    await finance.getByTestId('project-state').filter({ hasText: '已批准' }).waitFor();
    await act(finance, '拨付资金', async (dialog) => {
      await expect.poll(() => dialog.textContent()).toContain('剩余可拨付额度：300,000.00 元');
      await dialog.getByLabel('本次拨付金额（元）').fill('150000');
      // The tranche's basis (合同, 发票 or 验收材料) and its 国库支付凭证 number.
      await uploadThroughPage(dialog, '上传合同或发票或验收材料', '培训服务合同.pdf');
      await dialog.getByLabel('国库支付凭证号').fill('GKZF-2026-000012');
      await snap(finance, 'disburse-form');
    }, '实施中');

    // 4. The inspector records an inspection.
    step('4. The inspector records an inspection.');
    const inspector = await session('inspector');
    await openProject(inspector, baseUrl, code);
    await act(inspector, '登记检查', async (dialog) => {
      await dialog.getByLabel('检查日期').fill(isoDaysFromNow(0));
      await dialog.getByLabel(/检查人员/).fill('刘洋、周杰');
      await dialog.getByLabel('检查发现').fill('培训场次进度落后于计划。');
    }, '待出具检查结论');

    // 5. The supervisor concludes a deviation, then suspends and resumes.
    step('5. The supervisor concludes a deviation, then suspends and resumes.');
    const supervisor = await session('supervisor');
    await waitForTask(supervisor, baseUrl, code, '出具检查结论');
    await openProject(supervisor, baseUrl, code);
    await act(supervisor, '出具检查结论', async (dialog) => {
      await dialog.getByLabel('存在偏差，限期整改').check();
      await uploadThroughPage(dialog, '上传检查证据', '检查记录.pdf');
      await dialog.getByLabel('整改要求').fill('补齐培训场次并提交签到表。');
      await dialog.getByLabel('整改期限').fill(isoDaysFromNow(30));
    }, '整改中');
    await act(supervisor, '暂缓执行', (dialog) => dialog.getByLabel('暂缓理由').fill('培训场地存在安全隐患，暂缓执行。'), '暂缓执行');
    await act(supervisor, '恢复执行', (dialog) => dialog.getByLabel('恢复理由').fill('隐患已排除。'), '整改中');

    // 6. The applicant submits the correction; the inspector accepts it; the applicant completes.
    step('6. The applicant submits the correction; the inspector accepts it; the applicant completes.');
    await openProject(applicant, baseUrl, code);
    await act(applicant, '提交整改', async (dialog) => {
      await uploadThroughPage(dialog, '上传整改材料', '整改报告.pdf');
      await dialog.getByLabel('整改情况').fill('已补办培训 3 场，签到表已上传。');
    }, '整改核查中');
    await openProject(inspector, baseUrl, code);
    await act(inspector, '整改通过', (dialog) => dialog.getByLabel(/意见/).fill('整改到位。'), '实施中');
    await openProject(applicant, baseUrl, code);
    await act(applicant, '申请结项评价', (dialog) => dialog.getByLabel(/完成情况/).fill('培训全部完成。'), '绩效评价中');

    // 7. The evaluator scores; the live preview equals the score the server records.
    step('7. The evaluator scores; the live preview equals the score the server records.');
    const evaluator = await session('evaluator');
    await openProject(evaluator, baseUrl, code);
    const evaluate = async (out: string, eff: string, percent: string): Promise<string> => {
      let preview = '';
      await act(evaluator, '提交绩效评价', async (dialog) => {
        await dialog.getByLabel('举办培训场次的实际完成值').fill(out);
        await dialog.getByLabel('受益企业数的实际完成值').fill(eff);
        // The band is a radio button (its input is drawn by antd as the button's label); a lost click would fail here, not at the total.
        const band = dialog.getByRole('radiogroup', { name: '参训企业满意度的评价档次' });
        await band.getByText('达成（80–100%）', { exact: true }).click();
        await expect.poll(() => band.getByRole('radio', { name: '达成（80–100%）' }).isChecked()).toBe(true);
        await dialog.getByLabel('参训企业满意度的得分比例').fill(percent);
        for (const section of ['基本情况', '评价工作开展情况', '综合评价结论', '绩效分析', '存在问题', '建议']) {
          await dialog.getByLabel(section).fill(`${section}：按方案完成。`);
        }
        preview = (await dialog.getByTestId('preview-total').textContent()) ?? '';
        await snap(evaluator, `evaluation-form-${eff}`);
      });
      await evaluator.getByTestId('project-state').filter({ hasText: '待县财政局审查' }).waitFor();
      expect(preview).toMatch(/^\d+\.\d\d$/);
      // The score the server recorded, as the project page shows it, is the preview.
      await evaluator.getByTestId('evaluation-total').filter({ hasText: preview }).waitFor();
      return preview;
    };
    const firstTotal = await evaluate('12', '80', '90');

    // 8. Finance orders a re-evaluation from the inbox; the evaluator scores again; finance accepts.
    step('8. Finance orders a re-evaluation from the inbox; the evaluator scores again; finance accepts.');
    await waitForTask(finance, baseUrl, code, '绩效评价报告审查');
    await openProject(finance, baseUrl, code);
    await look(finance, 'project-finance-review');
    await waitForTask(finance, baseUrl, code, '绩效评价报告审查');
    await decideInInbox(finance, code, '组织再评价', '受益企业数需核实。');
    await openProject(evaluator, baseUrl, code);
    await evaluator.getByTestId('project-state').filter({ hasText: '再评价中' }).waitFor();
    const secondTotal = await evaluate('12', '100', '95');
    expect(secondTotal).not.toBe(firstTotal);
    await look(evaluator, 'project-evaluated');
    await waitForTask(finance, baseUrl, code, '绩效评价报告审查');
    await decideInInbox(finance, code, '审查通过', '同意评价结论。');

    // 9. The center closes.
    step('9. The center closes.');
    await openProject(center, baseUrl, code);
    await center.getByTestId('project-state').filter({ hasText: '绩效评价已审查' }).waitFor();
    await act(center, '结项', (dialog) => dialog.getByLabel(/意见/).fill('项目结项。'), '已结项');
    await look(center, 'project-closed');

    // The timeline shows every step, in Chinese.
    const events = await center.getByTestId('history-event').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-event')));
    expect(events.filter((type) => type === 'ATTACH_FILE')).toHaveLength(5);
    // The project's files, with the uploader and Beijing time, each a download.
    await center.getByTestId('attachments').getByRole('link', { name: '培训服务合同.pdf' }).waitFor();
    for (const type of ['PROPOSE', 'SUBMIT', 'APPROVE', 'DISBURSE', 'RECORD_INSPECTION', 'CONCLUDE_INSPECTION', 'SUSPEND', 'RESUME', 'SUBMIT_CORRECTION', 'ACCEPT_CORRECTION', 'COMPLETE', 'SUBMIT_EVALUATION', 'REQUEST_REEVALUATION', 'ACCEPT_EVALUATION', 'CLOSE']) {
      expect(events, type).toContain(type);
    }
    expect(events.filter((type) => type === 'APPROVE')).toHaveLength(2);
    expect(events.filter((type) => type === 'SUBMIT_EVALUATION')).toHaveLength(2);
    const timeline = await center.getByLabel('审计记录').textContent();
    expect(timeline).toContain('北京时间');
    expect(timeline).not.toMatch(/\b(APPROVE|SUBMIT|DISBURSE|cli|api)\b/);

    // The projects list and the inbox at phone width.
    await center.goto(`${baseUrl}/projects`);
    await center.getByRole('link', { name: code }).waitFor();
    await look(center, 'projects');
    const phone = await session('finance', 'code', PHONE);
    await look(phone, 'inbox-phone');

    expect(checks.checked.length).toBeGreaterThan(8);
    expect(checks.findings, JSON.stringify(checks.findings, null, 2)).toEqual([]);
  });
});
