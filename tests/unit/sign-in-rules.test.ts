import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectPageLink, projectPageUrl } from '../../src/domain/page-links.ts';
import { formatBeijingMinute, safeNextPath } from '../../src/domain/sign-in-rules.ts';
import { renderReminderMail } from '../../src/mail/reminder.template.ts';
import { renderSignInMail } from '../../src/mail/sign-in.template.ts';
import { renderNoticeMail } from '../../src/mail/task.template.ts';

describe('safeNextPath', () => {
  it('keeps paths of this site', () => {
    expect(safeNextPath('/projects/YC-2026-05-001')).toBe('/projects/YC-2026-05-001');
    expect(safeNextPath('/?tab=inbox#x')).toBe('/?tab=inbox#x');
  });

  it('refuses anything a browser could read as another host, and non-strings', () => {
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'evil', '', ' /x', '/x\r\nSet-Cookie: a=b', '/a\\b', 42, null, undefined]) {
      expect(safeNextPath(bad)).toBeNull();
    }
  });

  it('whatever it keeps is resolved by a URL parser to this origin', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (tail) => {
        for (const candidate of [tail, `/${tail}`, `//${tail}`]) {
          const kept = safeNextPath(candidate);
          if (kept !== null) expect(new URL(kept, 'https://fundflow.example').origin).toBe('https://fundflow.example');
        }
      }),
    );
  });
});

describe('project page links', () => {
  it('one builder; API resource links become the page of the project', () => {
    expect(projectPageUrl('https://x.gov.cn/ff/', 'YC-2026-05-001')).toBe('https://x.gov.cn/ff/projects/YC-2026-05-001');
    expect(projectPageLink('http://localhost:3000/api/v1/projects/6c1f9a1e-0000-4000-8000-000000000000', 'YC-2026-05-001')).toBe('http://localhost:3000/projects/YC-2026-05-001');
    expect(projectPageLink('http://localhost:3000/t/abc', 'YC-2026-05-001')).toBe('http://localhost:3000/t/abc');
  });

  it('reminders and notices link to the project page, never the JSON API', () => {
    const api = 'http://localhost:3000/api/v1/projects/6c1f9a1e-0000-4000-8000-000000000000';
    const reminder = renderReminderMail({ locale: 'zh-CN', recipientName: '张三', projectCode: 'YC-2026-05-001', projectTitle: '培训', item: 5, deadline: 'progress.report', dueDate: '2026-06-01', offsetDays: -3, escalated: false, link: api });
    const notice = renderNoticeMail({ locale: 'en', recipientName: 'Alice', template: 'project.approved', projectCode: 'YC-2026-05-001', projectTitle: 'Training', reason: null, link: api });
    for (const mail of [reminder, notice]) {
      expect(mail.text).toContain('http://localhost:3000/projects/YC-2026-05-001');
      expect(mail.html).toContain('href="http://localhost:3000/projects/YC-2026-05-001"');
      expect(mail.text + mail.html).not.toContain('/api/v1/');
    }
  });
});

describe('sign-in mail', () => {
  it('greets, gives the link and code, the Beijing-time expiry, and closes with the sender', () => {
    const mail = renderSignInMail({ locale: 'zh-CN', recipientName: '李四', link: 'http://localhost:3000/sign-in/abc', code: '012345', expiresAt: new Date('2026-06-01T01:15:00Z') });
    expect(mail.subject.startsWith('【阳城县奖励资金】')).toBe(true);
    expect(mail.text.startsWith('李四同志，您好：')).toBe(true);
    expect(mail.text).toContain('012345');
    expect(mail.text).toContain('2026-06-01 09:15（北京时间）');
    expect(mail.text.trim().endsWith('阳城县中小企业发展促进中心')).toBe(true);
    expect(formatBeijingMinute(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01 00:30');
  });
});
