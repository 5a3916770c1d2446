import { Alert, App, Button, Card, Col, Form, Input, Result, Row, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { createProjectSchema, eventPayloadSchemas } from '../../../machines/project.schemas.ts';
import { request } from '../api/client.ts';
import { loadProject, resolveProjectId, sendEvent } from '../api/projects.ts';
import { MaterialsForEvent } from '../components/Attachments.tsx';
import type { ProjectView } from '../api/types.ts';
import { Loading } from '../components/Loading.tsx';
import { TargetsEditor, targetsOf, type TargetRow } from '../components/TargetsEditor.tsx';
import { BudgetLinesEditor } from '../components/BudgetLinesEditor.tsx';
import { budgetLinesOf, budgetRowsOf, type BudgetRow } from '../lib/budget-lines.ts';
import { ItemConditions, listingOf, type ListingValues } from '../components/ItemConditions.tsx';
import { useLang } from '../i18n.tsx';
import { zodMessageZh } from '../lib/event-forms.ts';
import { fenToYuanText, parseYuanToFen } from '../lib/format.ts';
import { itemGroups } from '../lib/labels.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';
import { checkWeights } from '../lib/targets.ts';
import { DateField } from '../components/DateField.tsx';

interface Values {
  title?: string;
  description?: string;
  item?: number;
  amount?: string;
  periodStart?: string;
  periodEnd?: string;
  beneficiaryCreditCode?: string;
  targets?: TargetRow[];
  budgetLines?: BudgetRow[];
  listing?: ListingValues;
}

/** 申报: a new proposal or a returned draft; save as draft, or submit for review. */
export default function ProposalPage() {
  const { ref } = useParams();
  const { lang, t } = useLang();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [project, setProject] = useState<ProjectView | null>(null);
  const [loading, setLoading] = useState(Boolean(ref));
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [error, setError] = useState<{ text: string; reload: boolean } | null>(null);

  useEffect(() => {
    if (!ref) return;
    void (async () => {
      try {
        const id = await resolveProjectId(ref);
        if (!id) throw new ApiError({ status: 404 });
        const view = await loadProject(id);
        setProject(view);
        const p = view.context.proposal;
        form.setFieldsValue({
          title: p.title,
          description: p.description ?? '',
          item: p.item,
          amount: fenToYuanText(p.requestedFen),
          periodStart: p.periodStart,
          periodEnd: p.periodEnd,
          beneficiaryCreditCode: p.beneficiaryCreditCode ?? '',
          targets: p.targets as TargetRow[],
          budgetLines: budgetRowsOf(p.budgetLines),
          listing: p.listing ? { board: p.listing.board, announcementRef: p.listing.announcementRef ?? '', announcementDate: p.listing.announcementDate ?? '' } : {},
        });
      } catch (failure) {
        setError(failure instanceof ApiError ? messageOfProblem(failure.problem) : { text: t('加载失败', 'Could not load'), reload: false });
      } finally {
        setLoading(false);
      }
    })();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ref]);

  function proposalOf(values: Values) {
    const fen = parseYuanToFen(values.amount ?? '');
    const code = values.beneficiaryCreditCode?.trim();
    return {
      title: (values.title ?? '').trim(),
      ...(values.description?.trim() ? { description: values.description.trim() } : {}),
      item: values.item,
      ...(fen !== null ? { requestedFen: fen } : {}),
      periodStart: values.periodStart,
      periodEnd: values.periodEnd,
      ...(code ? { beneficiaryCreditCode: code } : {}),
      targets: targetsOf(values.targets),
      budgetLines: budgetLinesOf(values.budgetLines),
      ...(listingOf(values.item, values.listing) ? { listing: listingOf(values.item, values.listing) } : {}),
    };
  }

  /** Checks with the server's schema; marks the fields; returns the proposal or null. */
  function validated(values: Values) {
    const proposal = proposalOf(values);
    const parsed = createProjectSchema.safeParse(proposal);
    if (parsed.success) return proposal;
    form.setFields(
      parsed.error.issues.map((issue) => {
        const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
        const name =
          path[0] === 'requestedFen'
            ? ['amount']
            : path[0] === 'targets'
              ? path.slice(0, 3)
              : path[0] === 'budgetLines'
                ? ['budgetLines', path[1] ?? 0, path[2] === 'amountFen' ? 'amount' : (path[2] ?? 'description')]
                : path[0] === 'listing'
                  ? path.slice(0, 2)
                  : path.slice(0, 1);
        return { name: name as never, errors: [lang === 'zh' ? zodMessageZh(issue.message) : issue.message] };
      }),
    );
    setError({ text: t('请按提示修改后再保存', 'Please correct the marked fields'), reload: false });
    return null;
  }

  async function save(submit: boolean) {
    setError(null);
    const values = form.getFieldsValue(true) as Values;
    const proposal = validated(values);
    if (!proposal) return;
    if (submit && !checkWeights(proposal.targets).ok) {
      setError({ text: checkWeights(proposal.targets).message, reload: false });
      return;
    }
    setBusy(submit ? 'submit' : 'save');
    try {
      let view: ProjectView;
      if (project) {
        const update = eventPayloadSchemas.UPDATE_PROPOSAL.parse({ ...proposal, beneficiaryCreditCode: proposal.beneficiaryCreditCode ?? null, listing: proposal.listing ?? null });
        view = await sendEvent(project.id, project.version, 'UPDATE_PROPOSAL', update as Record<string, unknown>);
      } else {
        view = await request<ProjectView>('POST', '/api/v1/projects', proposal);
      }
      setProject(view);
      if (submit) {
        await sendEvent(view.id, view.version, 'SUBMIT', {});
        message.success(t('申报已提交，等待县促进中心审核', 'Submitted for review'));
        navigate(`/projects/${encodeURIComponent(view.code)}`);
      } else {
        message.success(t(`草稿已保存（${view.code}）`, `Draft saved (${view.code})`));
        if (!ref) navigate(`/projects/${encodeURIComponent(view.code)}/edit`, { replace: true });
      }
    } catch (failure) {
      setError(failure instanceof ApiError ? messageOfProblem(failure.problem, lang) : { text: t('保存失败，请稍后再试', 'Could not save'), reload: false });
    } finally {
      setBusy(null);
    }
  }

  if (loading) return <Loading />;
  if (ref && !project && error) return <Result status="warning" title={error.text} extra={<Link to="/projects">{t('返回项目列表', 'Back to projects')}</Link>} />;
  if (project && project.state !== 'proposed.draft') {
    return <Result status="info" title={t('该申报已提交，不能再修改', 'This proposal is no longer a draft')} extra={<Link to={`/projects/${encodeURIComponent(project.code)}`}>{t('查看项目', 'Open project')}</Link>} />;
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
        {project ? t(`修改申报：${project.code}`, `Edit proposal ${project.code}`) : t('新建申报', 'New proposal')}
      </Typography.Title>
      {error ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          message={error.text}
          action={error.reload ? <Button size="small" onClick={() => window.location.reload()}>{t('刷新', 'Reload')}</Button> : undefined}
        />
      ) : null}
      <Form form={form} layout="vertical" initialValues={{ targets: [], budgetLines: [], listing: {} }} onFinish={() => void save(true)}>
        <Card size="small" title={<h3 style={{ fontSize: 16, margin: 0 }}>{t('基本信息', 'Basics')}</h3>}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="title" label={t('项目名称', 'Title')} required>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="item" label={t('支持事项', 'Item')} required>
                <Select showSearch optionFilterProp="label" placeholder={t('请选择（共 4 类 13 项）', 'Choose (13 items in 4 categories)')} options={itemGroups(lang)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="amount" label={t('申请金额（元）', 'Requested (yuan)')} required>
                <Input inputMode="decimal" suffix="元" placeholder="例如 300000.00" />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="periodStart" label={t('实施开始日期', 'Start')} required>
                <DateField />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="periodEnd" label={t('实施结束日期', 'End')} required>
                <DateField />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="beneficiaryCreditCode" label={t('受益单位统一社会信用代码（可选）', 'Beneficiary credit code (optional)')}>
                <Input maxLength={18} />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="description" label={t('项目内容', 'Description')}>
                <Input.TextArea rows={3} maxLength={10000} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <ItemConditions form={form} />
        <Card size="small" style={{ marginTop: 16 }} title={<h3 style={{ fontSize: 16, margin: 0 }}>{t('预算明细', 'Budget lines')}</h3>}>
          <BudgetLinesEditor form={form} />
        </Card>
        <Card size="small" style={{ marginTop: 16 }} title={<h3 style={{ fontSize: 16, margin: 0 }}>{t('绩效目标', 'Performance targets')}</h3>}>
          <TargetsEditor form={form} />
        </Card>
        <Card size="small" style={{ marginTop: 16 }} title={<h3 style={{ fontSize: 16, margin: 0 }}>{t('申报材料', 'Proposal documents')}</h3>}>
          {project ? (
            <MaterialsForEvent project={project} eventType="SUBMIT" onUploaded={(version) => setProject({ ...project, version })} />
          ) : (
            <Typography.Text type="secondary">{t('请先保存草稿，再上传申报书和预算明细。', 'Save the draft first, then upload the application form and budget details.')}</Typography.Text>
          )}
        </Card>
        <Space style={{ marginTop: 16 }}>
          <Button onClick={() => void save(false)} loading={busy === 'save'}>
            {t('保存草稿', 'Save draft')}
          </Button>
          <Button type="primary" htmlType="submit" loading={busy === 'submit'}>
            {t('提交申报', 'Submit')}
          </Button>
        </Space>
      </Form>
    </Space>
  );
}
