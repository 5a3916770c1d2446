import { mailWords } from './letter.ts';

/**
 * The monthly report to the 省市主管部门 (方案 四.4: "向省市主管部门……及时报告奖励资金监督检查情况"):
 * Chinese only, as the reports attached are.
 */
export function monthlyReportMailText(input: { recipientName: string; monthLabel: string; from: string; to: string; withFundReport: boolean }): { subject: string; text: string } {
  const words = mailWords(true);
  return {
    subject: words.monthlyReportSubject(input.monthLabel),
    text: [words.greeting(input.recipientName), words.monthlyReportBody(input.from, input.to, input.withFundReport), words.sender].join('\n\n'),
  };
}
