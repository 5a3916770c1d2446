import { Alert, Button, Form, Input, Modal, Radio } from 'antd';
import { useState } from 'react';
import { request } from '../api/client.ts';
import type { Task } from '../api/types.ts';
import { useLang } from '../i18n.tsx';
import { ApiError, messageOfProblem } from '../lib/problem.ts';
import { decisionLabel, type Decision } from '../lib/decisions.ts';
import { DECISION_FIELDS, DECISION_ITEMS } from '../lib/event-forms.ts';
import { DateField } from './DateField.tsx';

/** Item 13 is decided by 县政府 or 县创建领导组: its last step (the leadership group's review) names the 会议纪要. */
const asksDecisionReference = (task: Task, decision: Decision) => decision === 'approve' && task.kind === 'review' && task.item !== undefined && DECISION_ITEMS.includes(task.item) && task.role === 'leadership';

/** One decision on one task (POST /api/v1/tasks/:id/decision), with the comment it needs. */
export function DecisionModal(props: { task: Task; decision: Decision; onClose: (done: boolean) => void }) {
  const { lang, t } = useLang();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; reload: boolean } | null>(null);
  const label = decisionLabel(props.task.kind, props.decision, lang);
  const needsText = props.decision !== 'approve';

  const withDecision = asksDecisionReference(props.task, props.decision);

  async function submit(values: { comment?: string; decisionBody?: string; decisionNumber?: string; decisionDate?: string }) {
    setBusy(true);
    setError(null);
    try {
      const comment = values.comment?.trim();
      const decisionReference = withDecision ? { decisionReference: { body: values.decisionBody, number: values.decisionNumber?.trim(), date: values.decisionDate } } : {};
      await request('POST', `/api/v1/tasks/${props.task.id}/decision`, { decision: props.decision, ...(comment ? { comment } : {}), ...decisionReference });
      props.onClose(true);
    } catch (failure) {
      setError(failure instanceof ApiError ? messageOfProblem(failure.problem, lang) : { text: t('提交失败，请稍后再试', 'Could not submit'), reload: false });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open title={`${label}：${props.task.projectCode} ${props.task.projectTitle}`} onCancel={() => props.onClose(false)} footer={null} destroyOnHidden>
      <Form layout="vertical" onFinish={submit} initialValues={{ decisionBody: 'leadership-group' }}>
        {error ? (
          <Alert
            type="error"
            showIcon
            message={error.text}
            style={{ marginBottom: 12 }}
            action={error.reload ? <Button size="small" onClick={() => props.onClose(true)}>{t('刷新', 'Reload')}</Button> : undefined}
          />
        ) : null}
        {withDecision
          ? DECISION_FIELDS.map((field) => (
              <Form.Item key={field.name} name={field.name} label={lang === 'zh' ? field.zh : field.en} rules={[{ required: true, whitespace: true, message: t('请填写此项', 'Required') }]}>
                {field.kind === 'radio' ? (
                  <Radio.Group options={(field.options ?? []).map((option) => ({ value: option.value, label: lang === 'zh' ? option.zh : option.en }))} />
                ) : field.kind === 'date' ? (
                  <DateField />
                ) : (
                  <Input maxLength={100} />
                )}
              </Form.Item>
            ))
          : null}
        <Form.Item
          label={needsText ? t('意见（必填）', 'Comment (required)') : t('意见（可选）', 'Comment (optional)')}
          name="comment"
          rules={needsText ? [{ required: true, whitespace: true, message: t('请填写意见', 'Enter a comment') }] : []}
        >
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8 }}>
          <Button onClick={() => props.onClose(false)}>{t('取消', 'Cancel')}</Button>
          <Button type="primary" danger={props.decision === 'reject'} htmlType="submit" loading={busy}>
            {label}
          </Button>
        </div>
      </Form>
    </Modal>
  );
}
