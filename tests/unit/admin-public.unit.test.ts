import { describe, expect, it } from 'vitest';
import { PROJECT_STATES } from '../../src/domain/vocabulary.ts';
import { renderInviteMail } from '../../src/mail/invite.template.ts';
import { publicStateOf, PUBLIC_STATE_ZH } from '../../src/usecases/disclosure/public-state.ts';
import { scheduleInWords } from '../../src/usecases/rules/get-rules-in-force.ts';
import { adminMenuLabel, adminTabsOf } from '../../web/src/pages/admin/admin-menu.ts';
import { creditCodeProblem } from '../../web/src/pages/admin/credit-code-check.ts';

describe('which state the public reads', () => {
  it('maps every machine state; supervision states read 实施中 until concluded', () => {
    const seen = Object.fromEntries(PROJECT_STATES.map((state) => [state, PUBLIC_STATE_ZH[publicStateOf(state)]]));
    for (const state of ['executing', 'inspected', 'deviated-corrected.correcting', 'deviated-corrected.verifying', 'suspended.held', 'suspended.stop-requested']) {
      expect(seen[state], state).toBe('实施中');
    }
    expect(seen.approved).toBe('已批准');
    expect(seen['evaluated.finance-review']).toBe('绩效评价中');
    expect(seen.closed).toBe('已结项');
    expect(seen.terminated).toBe('已停止执行');
    expect(new Set(Object.values(seen)).size).toBeLessThanOrEqual(5);
  });
});

describe('rules and invitations in words', () => {
  it('says the cron of the checks in Beijing time, and any other cron as written', () => {
    expect(scheduleInWords('0 8 * * *').zh).toBe('每天 08:00（北京时间）');
    expect(scheduleInWords('30 9 1 * *').zh).toBe('每月1日 09:30（北京时间）');
    expect(scheduleInWords('*/5 * * * *').zh).toContain('*/5 * * * *');
  });

  it('writes the invitation as a notice: greeting, role, until when (Beijing time), the sender; HTML escaped', () => {
    const mail = renderInviteMail({ locale: 'zh-CN', recipientName: '李<明>', roleName: '县财政局', link: 'http://x/sign-in/abc', code: '123456', expiresAt: new Date('2026-12-01T01:00:00Z'), signInPage: 'http://x/sign-in' });
    expect(mail.subject).toBe('【阳城县奖励资金】账号开通通知');
    expect(mail.text).toMatch(/^李<明>同志，您好：/);
    expect(mail.text).toContain('2026-12-01 09:00（北京时间）');
    expect(mail.text.endsWith('阳城县中小企业发展促进中心')).toBe(true);
    expect(mail.html).toContain('李&lt;明&gt;');
    expect(mail.html).toContain('<strong>123456</strong>');
  });
});

describe('the admin page by role', () => {
  it('gives admins everything, center and finance the registry and rules, other staff the rules, applicants nothing', () => {
    expect(adminTabsOf('admin')).toEqual(['users', 'orgs', 'tokens', 'beneficiaries', 'rules']);
    expect(adminTabsOf('finance')).toEqual(['beneficiaries', 'rules']);
    expect(adminTabsOf('inspector')).toEqual(['rules']);
    expect(adminTabsOf('applicant')).toEqual([]);
    expect(adminMenuLabel('admin', 'zh')).toBe('人员与单位');
    expect(adminMenuLabel('center', 'zh')).toBe('受益企业与规则');
    expect(adminMenuLabel('applicant', 'zh')).toBeNull();
  });

  it('checks a credit code as it is typed, with the server’s checker, in words', () => {
    expect(creditCodeProblem('91140522MA0GRY8H92', 'zh')).toBeNull();
    expect(creditCodeProblem('91140522ma0gry8h92', 'zh')).toBeNull();
    expect(creditCodeProblem('91140522MA0GRY8H93', 'zh')).toBe('统一社会信用代码校验码错误，请核对');
    expect(creditCodeProblem('9114', 'zh')).toBe('统一社会信用代码应为 18 位，当前 4 位');
    expect(creditCodeProblem('91140522MA0GRY8HO2', 'zh')).toMatch(/不允许的字符/);
  });
});
