import { Alert, Card, Col, Form, Input, Row, Select } from 'antd';
import type { FormInstance } from 'antd';
import { DEFAULT_ITEM_RULES, LISTING_BOARDS, type ListingBoard } from '../../../config/item-rules.ts';
import { labelOf } from '../../../src/i18n/messages.ts';
import type { Listing } from '../../../machines/project.schemas.ts';
import { useLang } from '../i18n.tsx';
import { formatFen } from '../lib/format.ts';
import { DateField } from './DateField.tsx';

export interface ListingValues {
  board?: ListingBoard;
  announcementRef?: string;
  announcementDate?: string;
}

/** Item 11's fields → the proposal's listing (only for a listing item, and only once a board is chosen). */
export function listingOf(item: number | undefined, values: ListingValues | undefined): Partial<Listing> | undefined {
  if (item === undefined || !DEFAULT_ITEM_RULES.listingItems.includes(item) || !values?.board) return undefined;
  return {
    board: values.board,
    ...(values.announcementRef?.trim() ? { announcementRef: values.announcementRef.trim() } : {}),
    ...(values.announcementDate ? { announcementDate: values.announcementDate } : {}),
  };
}

/** What the plan asks of the chosen item, said before SUBMIT refuses it; item 11's board and listing announcement. */
export function ItemConditions({ form }: { form: FormInstance }) {
  const { lang, t } = useLang();
  const item = Form.useWatch('item', form) as number | undefined;
  if (item === undefined) return null;
  const rules = DEFAULT_ITEM_RULES;
  const notes: string[] = [];
  if (rules.trainingCategories.length && (rules.allowedCategories[String(item)] ?? []).some((c) => rules.trainingCategories.includes(c))) {
    notes.push(
      t(
        `培训费按县培训费管理规定执行：每人每天不超过 ${formatFen(rules.trainingFeeCaps.perPersonPerDayFen)}，每期不超过 ${formatFen(rules.trainingFeeCaps.perSessionFen)}；培训费预算须填写人数、天数和期数。`,
        `Training fees follow the county standard: at most ${formatFen(rules.trainingFeeCaps.perPersonPerDayFen)} per person per day and ${formatFen(rules.trainingFeeCaps.perSessionFen)} per session; training rows need persons, days and sessions.`,
      ),
    );
  }
  if (rules.noCostClauseItems.includes(item)) notes.push(t('方案对本事项未规定开支范围，由审核人逐项判断预算明细是否合理。', 'The plan gives this item no cost clause: reviewers judge each budget line.'));
  if (rules.enterpriseTypeItems.includes(item)) {
    notes.push(t('本事项只支持专精特新企业、高新技术企业、科技型中小企业和创新型中小企业，以受益企业名录登记的类型为准。', 'This item supports only 专精特新, high-tech, technology-based and innovative SMEs, as registered in the beneficiary registry.'));
  }
  if (rules.decisionItems.includes(item)) notes.push(t('本事项须有县政府或县创建领导组的决定，最后一级审批时填写会议纪要文号和日期。', 'This item needs a decision of the county government or the leadership group, named at the final approval.'));
  const listing = rules.listingItems.includes(item);
  if (!notes.length && !listing) return null;
  return (
    <Card size="small" style={{ marginTop: 16 }} title={<h3 style={{ fontSize: 16, margin: 0 }}>{t('本事项的条件', 'Conditions of this item')}</h3>}>
      {notes.map((note) => (
        <Alert key={note} type="info" showIcon message={note} style={{ marginBottom: 8 }} />
      ))}
      {listing ? (
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name={['listing', 'board']} label={t('上市挂牌板块', 'Board')} required>
              <Select options={LISTING_BOARDS.map((board) => ({ value: board, label: labelOf('listingBoard', board)[lang] }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name={['listing', 'announcementRef']} label={t('上市挂牌公告文号', 'Listing announcement')} required>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name={['listing', 'announcementDate']} label={t('公告日期', 'Announcement date')} required>
              <DateField />
            </Form.Item>
          </Col>
        </Row>
      ) : null}
    </Card>
  );
}
