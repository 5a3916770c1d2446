import { Descriptions, Space, Table, Tag, Typography } from 'antd';
import { Loading } from '../../components/Loading.tsx';
import { useLang } from '../../i18n.tsx';
import { formatFen } from '../../lib/format.ts';
import type { RulesView } from './admin-api.ts';
import { useLoad } from './use-load.ts';

const heading = (id: string, text: string) => (
  <Typography.Title level={3} id={id} style={{ fontSize: 16, marginTop: 8 }}>
    {text}
  </Typography.Title>
);

/** 规则: what the system enforces, read-only, in words (GET /api/v1/rules). */
export function RulesTab() {
  const { lang, t } = useLang();
  const rules = useLoad<RulesView>('/api/v1/rules', t('规则加载失败', 'Could not load the rules'));
  if (rules.loading && !rules.data) return <Loading />;
  if (rules.error || !rules.data) return <Typography.Text type="danger">{rules.error}</Typography.Text>;
  const r = rules.data;
  const w = (words: { zh: string; en: string }) => (lang === 'zh' ? words.zh : words.en);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">
        {t('以下为系统正在执行的规则，仅供查阅；如需调整，请联系系统管理员修改配置。', 'These are the rules the system enforces now; read-only. To change one, ask the administrator to change the configuration.')}
      </Typography.Paragraph>
      <section aria-labelledby="rules-plan">
        {heading('rules-plan', t('资金使用方案与支持事项', 'Plan and items'))}
        <Typography.Paragraph>
          {lang === 'zh' ? `《${r.plan.titleZh}》（${r.plan.documentNumber}）；资金来源依据 ${r.plan.fundSourceDocument}。` : `${r.plan.titleEn} (${r.plan.documentNumber}); funded under ${r.plan.fundSourceDocument}.`}
        </Typography.Paragraph>
        <Table
          size="small"
          pagination={false}
          rowKey="id"
          dataSource={r.plan.categories.flatMap((category) => category.items.map((item) => ({ ...item, category: lang === 'zh' ? category.nameZh : category.nameEn })))}
          columns={[
            { title: t('类别', 'Category'), dataIndex: 'category', width: 160 },
            { title: t('事项', 'Item'), key: 'item', render: (_, item) => `${item.id}. ${lang === 'zh' ? item.nameZh : item.nameEn}` },
            { title: t('事项限额', 'Ceiling'), dataIndex: 'ceilingFen', width: 160, render: (fen: number | null) => (fen === null ? t('不单设限额', 'None') : formatFen(fen)) },
            {
              title: t('特别要求', 'Also'),
              key: 'needs',
              render: (_, item) => (
                <>
                  {item.alwaysNeedsLeadership ? <Tag>{t('须县创建领导组审定', 'Leadership group decides')}</Tag> : null}
                  {item.needsBeneficiaryCreditCode ? <Tag>{t('须填受益企业统一社会信用代码', 'Beneficiary credit code required')}</Tag> : null}
                  {item.conditions.length ? (
                    <ul className="rules-conditions">
                      {item.conditions.map((condition) => (
                        <li key={condition.zh}>{w(condition)}</li>
                      ))}
                    </ul>
                  ) : null}
                </>
              ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="rules-materials">
        {heading('rules-materials', t('所需材料', 'Required materials'))}
        <Typography.Paragraph>
          {t('以下办理事项须先在项目页上传所列材料，缺少时系统不予办理并列明所缺材料。', 'These steps need the files listed, uploaded on the project page first; without them the step is refused with what is missing.')}
        </Typography.Paragraph>
        <Table
          size="small"
          pagination={false}
          rowKey="event"
          dataSource={r.materials.events}
          columns={[
            { title: t('办理事项', 'Step'), key: 'event', width: 160, render: (_, entry) => (lang === 'zh' ? entry.nameZh : entry.nameEn) },
            {
              title: t('所需材料', 'Needs'),
              key: 'needs',
              render: (_, entry) => (
                <>
                  {w(entry)}
                  {entry.items.map((override) => (
                    <div key={override.item}>{t(`第${override.item}项：${override.zh}`, `Item ${override.item}: ${override.en}`)}</div>
                  ))}
                </>
              ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="rules-approval">
        {heading('rules-approval', t('审批流程', 'Approval'))}
        <Typography.Paragraph>{w(r.approval)}</Typography.Paragraph>
        <Typography.Paragraph>{w(r.overlap)}</Typography.Paragraph>
      </section>
      <section aria-labelledby="rules-cadence">
        {heading('rules-cadence', t('周期与办理时限', 'Cadences and time limits'))}
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} items={[...r.cadences, ...r.taskDueDays].map((entry) => ({ key: 'key' in entry ? entry.key : entry.kind, label: w(entry), children: t(`${entry.days} 天`, `${entry.days} days`) }))} />
      </section>
      <section aria-labelledby="rules-reminders">
        {heading('rules-reminders', t('提醒与催办', 'Reminders and escalation'))}
        <Typography.Paragraph>{w(r.reminders)}</Typography.Paragraph>
        <Table
          size="small"
          pagination={false}
          rowKey="deadline"
          dataSource={r.reminders.policies}
          columns={[
            { title: t('期限', 'Deadline'), key: 'name', width: 150, render: (_, policy) => w(policy) },
            { title: t('提醒对象', 'Reminded'), key: 'audience', width: 160, render: (_, policy) => w(policy.audience) },
            { title: t('逾期告知', 'Escalated to'), key: 'escalate', width: 160, render: (_, policy) => w(policy.escalateTo) },
            { title: t('提醒安排', 'Schedule'), dataIndex: 'summaryZh' },
          ]}
        />
      </section>
      <section aria-labelledby="rules-tranche">
        {heading('rules-tranche', t('分批拨付', 'Tranches'))}
        <ul>
          {(lang === 'zh' ? r.tranche.zh : r.tranche.en).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="rules-scoring">
        {heading('rules-scoring', t('绩效评价计分', 'Evaluation scoring'))}
        <Descriptions size="small" bordered column={{ xs: 1, md: 4 }} items={r.scoring.levelWeights.map((entry) => ({ key: entry.level, label: t(`${entry.level}指标`, entry.level), children: t(`${entry.points} 分`, `${entry.points} points`) }))} />
        <Typography.Paragraph style={{ marginTop: 8 }}>{w(r.scoring)}</Typography.Paragraph>
        <Typography.Paragraph>{r.scoring.grades.map((grade) => `${grade.grade}：${grade.zh}`).join('；')}</Typography.Paragraph>
      </section>
      <section aria-labelledby="rules-monitoring">
        {heading('rules-monitoring', t('双监控与定时检查', 'Two-way monitoring and scheduled checks'))}
        <Typography.Paragraph>{w(r.monitoring)}</Typography.Paragraph>
        <Typography.Paragraph>
          {t(`每日检查：${r.monitoring.dailyChecks.zh}；月度报告：${r.monitoring.monthlyReports.zh}。`, `Daily checks ${r.monitoring.dailyChecks.en}; monthly reports ${r.monitoring.monthlyReports.en}.`)}
        </Typography.Paragraph>
      </section>
    </Space>
  );
}
