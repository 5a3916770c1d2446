import { Alert, App, Button, Form, Input, Modal, Radio } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { eventPayloadSchemas, type ProjectEventType } from '../../../machines/project.schemas.ts';
import { sendEvent } from '../api/projects.ts';
import type { ProjectView } from '../api/types.ts';
import { useLang } from '../i18n.tsx';
import { eventFieldsFor, formFieldOf, payloadOf, zodMessageZh, type FieldSpec } from '../lib/event-forms.ts';
import { formatFen } from '../lib/format.ts';
import { eventName } from '../lib/labels.ts';
import type { MoneySummary } from '../lib/money.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';
import { DANGER_EVENTS } from './ActionPanel.tsx';
import { MaterialsForEvent } from './Attachments.tsx';
import { DateField } from './DateField.tsx';
import { Footer } from './Footer.tsx';
import { Loading } from './Loading.tsx';
import { TargetsEditor, targetsOf } from './TargetsEditor.tsx';

const EvaluationForm = lazy(() => import('./EvaluationForm.tsx'));

/**
 * One action's dialog: its form, checked with the server's zod schema before it is sent; a 409
 * offers to reload, a 422 shows the rule's text. In its own chunk: the forms, the schemas and the
 * date picker load when an action is first opened, not with every project page.
 */
export default function EventModal(props: { type: ProjectEventType; project: ProjectView; money: MoneySummary; onClose: (changed: boolean) => void }) {
  const { lang, t } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; reload: boolean } | null>(null);
  const { type, project } = props;
  // An upload in this dialog moves the project's version on (it is an audit event); the event is sent on the newest.
  const [version, setVersion] = useState(project.version);
  const wide = type === 'SUBMIT_EVALUATION' || type === 'UPDATE_TARGETS' || type === 'AMEND_TARGETS';

  /** Validates with the server's schema, then sends; returns whether it was applied. */
  async function submit(payload: Record<string, unknown>, fieldOf: (path: (string | number)[]) => (string | number)[] = (path) => formFieldOf(type, path)) {
    setError(null);
    const parsed = eventPayloadSchemas[type].safeParse(payload);
    if (!parsed.success) {
      const fields = new Map<string, { name: (string | number)[]; errors: string[] }>();
      for (const issue of parsed.error.issues) {
        const name = fieldOf(issue.path.filter((part): part is string | number => typeof part !== 'symbol'));
        const key = JSON.stringify(name);
        const entry = fields.get(key) ?? { name, errors: [] };
        entry.errors.push(lang === 'zh' ? zodMessageZh(issue.message) : issue.message);
        fields.set(key, entry);
      }
      form.setFields([...fields.values()]);
      setError({ text: t('请按提示修改后再提交', 'Please correct the marked fields'), reload: false });
      return false;
    }
    setBusy(true);
    try {
      await sendEvent(project.id, version, type, payload);
      message.success(t(`已提交：${eventName(type, 'zh')}`, `Done: ${eventName(type, 'en')}`));
      props.onClose(true);
      return true;
    } catch (failure) {
      setError(failure instanceof ApiError ? messageOfProblem(failure.problem, lang) : { text: t('提交失败，请稍后再试', 'Could not submit'), reload: false });
      return false;
    } finally {
      setBusy(false);
    }
  }

  const errorBox = error ? (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={error.text}
      style={{ marginBottom: 12 }}
      action={
        error.reload ? (
          <Button size="small" onClick={() => props.onClose(true)}>
            {t('刷新', 'Reload')}
          </Button>
        ) : undefined
      }
    />
  ) : null;

  let body;
  if (type === 'SUBMIT_EVALUATION') {
    body = (
      <Suspense fallback={<Loading />}>
        {errorBox}
        <EvaluationForm project={project} busy={busy} onSubmit={(payload, fieldOf) => submit(payload, fieldOf)} onCancel={() => props.onClose(false)} />
      </Suspense>
    );
  } else if (type === 'UPDATE_TARGETS' || type === 'AMEND_TARGETS') {
    const textField = type === 'AMEND_TARGETS' ? 'reason' : 'comment';
    body = (
      <Form
        form={form}
        layout="vertical"
        initialValues={{ targets: project.context.pendingAmendment?.targets ?? project.context.proposal.targets }}
        onFinish={(values: Record<string, unknown>) =>
          void submit({ targets: targetsOf(values.targets as never), [textField]: typeof values[textField] === 'string' && values[textField] ? String(values[textField]).trim() : undefined }, (path) => path.slice(0, path[0] === 'targets' ? 3 : 1))
        }
      >
        {errorBox}
        <TargetsEditor form={form} />
        <Form.Item name={textField} label={type === 'AMEND_TARGETS' ? t('变更理由', 'Reason') : t('意见（可选）', 'Comment (optional)')} style={{ marginTop: 12 }}>
          <Input.TextArea rows={2} maxLength={4000} />
        </Form.Item>
        <Footer busy={busy} label={eventName(type, lang)} onCancel={() => props.onClose(false)} />
      </Form>
    );
  } else {
    const fields = eventFieldsFor(type, project);
    body = (
      <Form form={form} layout="vertical" initialValues={initialValuesOf(type)} onFinish={(values: Record<string, unknown>) => void submit(payloadOf(type, values, project.state))}>
        {errorBox}
        {type === 'DISBURSE' ? (
          <Alert
            type="info"
            style={{ marginBottom: 12 }}
            message={`${t('批准金额', 'Approved')}：${formatFen(props.money.approvedFen)}；${t('已拨付', 'Disbursed')}：${formatFen(props.money.disbursedFen)}；${t('剩余可拨付额度', 'Commitment left')}：${formatFen(props.money.remainingFen)}`}
          />
        ) : null}
        <MaterialsForEvent project={project} eventType={type} onUploaded={setVersion} />
        <Fields fields={fields} form={form} />
        <Footer busy={busy} label={eventName(type, lang)} danger={DANGER_EVENTS.has(type)} onCancel={() => props.onClose(false)} />
      </Form>
    );
  }

  return (
    <Modal open width={wide ? 1000 : 600} title={`${eventName(type, lang)}：${project.code} ${project.title}`} onCancel={() => props.onClose(false)} footer={null} destroyOnHidden>
      {body}
    </Modal>
  );
}

function initialValuesOf(type: string): Record<string, unknown> {
  if (type === 'RECORD_INSPECTION') return { kind: 'regular' };
  if (type === 'APPROVE') return { decisionBody: 'leadership-group' };
  if (type === 'CONCLUDE_INSPECTION') return { outcome: 'on-track' };
  return {};
}

function Fields({ fields, form }: { fields: FieldSpec[]; form: ReturnType<typeof Form.useForm>[0] }) {
  const { lang } = useLang();
  const values = Form.useWatch([], form) as Record<string, unknown> | undefined;
  return (
    <>
      {fields
        .filter((field) => !field.when || values?.[field.when.field] === field.when.value)
        .map((field) => (
          <Form.Item key={field.name} name={field.name} label={lang === 'zh' ? field.zh : field.en} required={field.required}>
            {field.kind === 'textarea' ? (
              <Input.TextArea rows={3} maxLength={4000} />
            ) : field.kind === 'date' ? (
              <DateField />
            ) : field.kind === 'yuan' ? (
              <Input inputMode="decimal" suffix="元" placeholder="例如 200000.00" />
            ) : field.kind === 'radio' ? (
              <Radio.Group options={(field.options ?? []).map((option) => ({ value: option.value, label: lang === 'zh' ? option.zh : option.en }))} />
            ) : (
              <Input maxLength={field.kind === 'list' ? 500 : 100} />
            )}
          </Form.Item>
        ))}
    </>
  );
}
