import { greeting, sender, SUBJECT_PREFIX_ZH } from './letter.ts';

/**
 * The monthly report to the 省市主管部门 (方案 四.4: "向省市主管部门……及时报告奖励资金监督检查情况"):
 * Chinese only, as the reports attached are.
 */
export function monthlyReportMailText(input: { recipientName: string; monthLabel: string; from: string; to: string; withFundReport: boolean }): { subject: string; text: string } {
  const what = `监督检查情况报告${input.withFundReport ? '和资金执行情况报告' : ''}`;
  return {
    subject: `${SUBJECT_PREFIX_ZH}${input.monthLabel} 监督检查情况及资金执行情况报告`,
    text: [
      greeting(true, input.recipientName),
      `现将 ${input.from} 至 ${input.to} 的${what}（Excel）随附报送，请审阅。`,
      sender(true),
    ].join('\n\n'),
  };
}
