import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../src/mail/mailer.ts';
import { previousMonth, sendMonthlyReports } from '../../src/usecases/reports/send-monthly-reports.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { SmtpSink } from '../support/smtp-sink.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let database: TestDatabase;
let app: TestApp;
let sink: SmtpSink;
let smtpUrl: string;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database.db);
  sink = new SmtpSink();
  smtpUrl = await sink.start();
});
afterAll(async () => {
  await sink?.stop();
  await app?.close();
  await database?.drop();
});

describe('the monthly reports to the authority role', () => {
  it('previousMonth is the calendar month before, in Asia/Shanghai dates', () => {
    expect(previousMonth('2024-11-01')).toEqual({ from: '2024-10-01', to: '2024-10-31', label: '2024-10' });
    expect(previousMonth('2025-01-15')).toEqual({ from: '2024-12-01', to: '2024-12-31', label: '2024-12' });
    expect(previousMonth('2024-03-01')).toEqual({ from: '2024-02-01', to: '2024-02-29', label: '2024-02' });
  });

  it('emails the supervision and fund execution reports once per month and recipient, as workbooks that open', async () => {
    await driveTo(app, 'suspended.held');
    await driveTo(app, 'deviated-corrected.correcting');
    app.clock.set('2024-11-01T01:00:00Z');
    const mailer = smtpMailer(smtpUrl, 'fundflow <noreply@fundflow.test>');
    expect(await sendMonthlyReports({ db: app.db, mailer, now: app.clock.now })).toBe(1);
    expect(await sendMonthlyReports({ db: app.db, mailer, now: app.clock.now })).toBe(0);
    mailer.close();
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail.to).toContain(app.users.authority.email);
    expect(mail.subject).toContain('2024-10 监督检查情况及资金执行情况报告');
    const attachments = mail.raw.attachments;
    expect(attachments.map((a) => a.filename)).toEqual(['supervision-2024-10.xlsx', 'fund-execution-2024-10.xlsx']);
    for (const attachment of attachments) {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(attachment.content as unknown as ArrayBuffer);
      expect(workbook.worksheets.length).toBeGreaterThan(1);
    }
    expect(mail.html).toContain('暂缓');
  });
});
