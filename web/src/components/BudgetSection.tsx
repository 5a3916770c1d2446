import { Alert, Descriptions, Space, Table } from 'antd';
import { DEFAULT_ITEM_RULES } from '../../../config/item-rules.ts';
import type { BudgetLine, Listing } from '../../../machines/project.schemas.ts';
import { reviewFlags } from '../../../src/domain/item-rules.ts';
import { labelOf } from '../../../src/i18n/messages.ts';
import { useLang } from '../i18n.tsx';
import { formatFen } from '../lib/format.ts';

/**
 * 预算明细 on the project page, with what the plan leaves to the reviewers' judgment (item 10 has no
 * cost clause; item 13 needs a decision of 县政府 or 县创建领导组) and item 11's listing.
 */
export function BudgetSection({ proposal }: { proposal: { item: number; budgetLines?: BudgetLine[] | undefined; listing?: Listing | undefined } }) {
  const { lang, t } = useLang();
  const flags = reviewFlags({ item: proposal.item, ...(proposal.listing ? { listing: proposal.listing } : {}) }, undefined, DEFAULT_ITEM_RULES);
  const lines = proposal.budgetLines ?? [];
  const figures = (line: BudgetLine) =>
    [line.persons !== undefined ? t(`${line.persons} 人`, `${line.persons} persons`) : '', line.days !== undefined ? t(`${line.days} 天`, `${line.days} days`) : '', line.sessions !== undefined ? t(`${line.sessions} 期`, `${line.sessions} sessions`) : '']
      .filter(Boolean)
      .join(' × ');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {flags.map((flag) => (
        <Alert key={flag.code} type="warning" showIcon message={lang === 'zh' ? flag.zh : flag.en} />
      ))}
      {proposal.listing ? (
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('上市挂牌板块', 'Board')}>{labelOf('listingBoard', proposal.listing.board)[lang]}</Descriptions.Item>
          <Descriptions.Item label={t('上市挂牌公告', 'Announcement')}>{proposal.listing.announcementRef ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('公告日期', 'Date')}>{proposal.listing.announcementDate ?? '—'}</Descriptions.Item>
        </Descriptions>
      ) : null}
      <Table
        size="small"
        pagination={false}
        rowKey={(_, index) => String(index)}
        dataSource={lines}
        locale={{ emptyText: t('尚未填报预算明细', 'No budget lines') }}
        columns={[
          { title: t('开支类别', 'Category'), render: (_: unknown, line: BudgetLine) => labelOf('budgetCategory', line.category)[lang] },
          { title: t('用途', 'Purpose'), dataIndex: 'description' },
          { title: t('人数、天数、期数', 'Persons, days, sessions'), render: (_: unknown, line: BudgetLine) => figures(line) },
          { title: t('金额', 'Amount'), align: 'right' as const, render: (_: unknown, line: BudgetLine) => formatFen(line.amountFen) },
        ]}
      />
    </Space>
  );
}
