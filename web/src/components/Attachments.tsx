import { Alert, App, Card, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { ATTACHMENT_UPLOADERS, requirementFor, DEFAULT_REQUIRED_MATERIALS } from '../../../config/required-materials.ts';
import type { Role } from '../../../config/roles.ts';
import { ATTACHMENT_KINDS, type AttachmentKind } from '../../../src/domain/vocabulary.ts';
import { en } from '../../../src/i18n/en.ts';
import { zhCN } from '../../../src/i18n/zh-CN.ts';
import { api, unwrap } from '../api/client.ts';
import type { ProjectView } from '../api/types.ts';
import { useLang } from '../i18n.tsx';
import { formatBeijing } from '../lib/format.ts';
import { ApiError, messageOfProblem } from '../lib/problem.ts';
import { useSession } from '../session.tsx';
import { takeOpeningAttachments } from '../boot/first-screen.ts';

/**
 * 项目材料 (issue 14): the project's files with kind, name, size, uploader and Beijing time, each a
 * download link (served as an attachment, never shown inline); and uploads, the kind chosen
 * first. The server decides the type from the content and refuses what it must (shown here).
 */

interface Attachment {
  id: string;
  kind: AttachmentKind;
  fileName: string;
  sizeBytes: number;
  uploadedBy: { id: string; name: string | null };
  uploadedAt: string;
  auditSeq: number;
  downloadUrl: string;
}

const ACCEPT = '.pdf,.ofd,.jpg,.jpeg,.png,.docx,.xlsx';

export function kindLabel(kind: AttachmentKind, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? zhCN.attachmentKind[kind] : en.attachmentKind[kind];
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const listAttachments = (id: string) => unwrap<{ items: Attachment[] }>(api.GET('/api/v1/projects/{id}/attachments', { params: { path: { id } } }));

/** Uploads one file (multipart; the session's CSRF header goes along through the client). */
export async function uploadAttachment(projectId: string, kind: AttachmentKind, file: File): Promise<Attachment> {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', file, file.name);
  return unwrap<Attachment>(
    api.POST('/api/v1/projects/{id}/attachments', {
      params: { path: { id: projectId } },
      body: form as never,
      bodySerializer: (body: unknown) => body as FormData,
    }),
  );
}

/** A kind picker and a file input: choosing a file uploads it at once. */
function UploadRow(props: { projectId: string; kinds: readonly AttachmentKind[]; label: string; onUploaded: (attachment: Attachment) => void }) {
  const { lang, t } = useLang();
  const { message } = App.useApp();
  const inputId = useId();
  const [kind, setKind] = useState<AttachmentKind>(props.kinds[0]!);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!props.kinds.length) return null;

  async function upload(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const attachment = await uploadAttachment(props.projectId, kind, file);
      message.success(t(`已上传：${attachment.fileName}`, `Uploaded: ${attachment.fileName}`));
      props.onUploaded(attachment);
    } catch (failure) {
      setError(failure instanceof ApiError ? uploadProblemText(failure, lang) : t('上传失败，请稍后再试', 'Upload failed'));
    } finally {
      setBusy(false);
      input.value = '';
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="small">
      <Space wrap align="center">
        {props.kinds.length > 1 ? (
          <Select
            aria-label={t(`${props.label}的材料类型`, `${props.label}: kind`)}
            value={kind}
            onChange={setKind}
            style={{ minWidth: 140 }}
            options={props.kinds.map((value) => ({ value, label: kindLabel(value, lang) }))}
          />
        ) : null}
        <label htmlFor={inputId}>{props.label}</label>
        <input id={inputId} type="file" accept={ACCEPT} disabled={busy} onChange={(event) => void upload(event.currentTarget)} />
      </Space>
      {error ? <Alert type="error" showIcon role="alert" message={error} /> : null}
    </Space>
  );
}

function uploadProblemText(failure: ApiError, lang: 'zh' | 'en'): string {
  const field = failure.problem.errors?.[0];
  if (failure.status === 400 && field) {
    return lang === 'zh' ? `文件未被接受：${field.message}（仅接受 PDF、OFD、JPG、PNG、DOCX、XLSX，且扩展名须与文件内容一致）` : `The file was refused: ${field.message}`;
  }
  return messageOfProblem(failure.problem).text;
}

function AttachmentTable(props: { items: Attachment[] }) {
  const { lang, t } = useLang();
  return (
    <Table<Attachment>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={props.items}
      locale={{ emptyText: t('尚未上传材料', 'No files yet') }}
      columns={[
        { title: t('类型', 'Kind'), dataIndex: 'kind', render: (kind: AttachmentKind) => kindLabel(kind, lang) },
        {
          title: t('文件名', 'File'),
          dataIndex: 'fileName',
          render: (name: string, row) => (
            <a href={row.downloadUrl} download={name}>
              {name}
            </a>
          ),
        },
        { title: t('大小', 'Size'), dataIndex: 'sizeBytes', render: sizeText },
        { title: t('上传人', 'Uploaded by'), render: (_value, row) => row.uploadedBy.name ?? '—' },
        { title: t('上传时间（北京时间）', 'Uploaded (Beijing time)'), dataIndex: 'uploadedAt', render: (at: string) => formatBeijing(at) },
      ]}
    />
  );
}

/** The project page's card: every file of the project, and an upload for the kinds the user brings. */
export function Attachments(props: { project: ProjectView; onChanged: () => void }) {
  const { t } = useLang();
  const { user } = useSession();
  // Opened on this project, its list came with the app (boot/first-screen.ts): shown in the first render.
  const [items, setItems] = useState<Attachment[] | null>(() => takeOpeningAttachments<Attachment>(props.project.id));
  const openedWithList = useRef(items !== null);
  const load = useCallback(async () => setItems((await listAttachments(props.project.id)).items), [props.project.id]);
  useEffect(() => {
    if (openedWithList.current) {
      openedWithList.current = false;
      return;
    }
    void load().catch(() => setItems([]));
  }, [load, props.project.version]);
  const mine = ATTACHMENT_KINDS.filter((kind) => ATTACHMENT_UPLOADERS[kind].includes(user.role as Role));
  const closed = ['closed', 'rejected', 'withdrawn'].includes(props.project.state);
  return (
    <Card size="small" title={<h3 style={{ fontSize: 16, margin: 0 }}>{t('项目材料', 'Files')}</h3>} data-testid="attachments">
      <Space direction="vertical" style={{ width: '100%' }}>
        <AttachmentTable items={items ?? []} />
        {closed || !mine.length ? null : (
          <UploadRow projectId={props.project.id} kinds={mine} label={t('上传材料', 'Upload a file')} onUploaded={() => props.onChanged()} />
        )}
        <Typography.Text type="secondary">
          {t('接受 PDF、OFD、JPG、PNG、DOCX、XLSX 文件；下载时以附件方式保存，不在浏览器中打开。', 'PDF, OFD, JPG, PNG, DOCX and XLSX; downloads are saved, never opened in the browser.')}
        </Typography.Text>
      </Space>
    </Card>
  );
}

/**
 * Where an action asks for materials (申报, 拨付, 出具检查结论, 提交整改): what the rule requires for
 * this event, an upload for each group, and the files uploaded here. `onUploaded` gets the audit
 * seq of the upload, which is the project's version after it (the action is sent on that version).
 */
export function MaterialsForEvent(props: { project: ProjectView; eventType: string; onUploaded: (version: number) => void }) {
  const { lang, t } = useLang();
  const { user } = useSession();
  const [uploaded, setUploaded] = useState<Attachment[]>([]);
  const [earlier, setEarlier] = useState<Attachment[]>([]);
  const requirement = requirementFor(DEFAULT_REQUIRED_MATERIALS, props.project.context.proposal.item, props.eventType);
  // Files uploaded before that still count (groups that need no fresh file, e.g. a draft's 申报书).
  const lasting = new Set((requirement?.groups ?? []).filter((group) => !group.fresh).flatMap((group) => group.anyOf));
  const projectId = props.project.id;
  useEffect(() => {
    if (!lasting.size) return;
    void listAttachments(projectId)
      .then((answer) => setEarlier(answer.items.filter((item) => lasting.has(item.kind))))
      .catch(() => setEarlier([]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [projectId]);
  if (!requirement || !requirement.groups.length) return null;
  const shown = [...earlier.filter((item) => !uploaded.some((mine) => mine.id === item.id)), ...uploaded];
  const canUpload = (kind: AttachmentKind) => ATTACHMENT_UPLOADERS[kind].includes(user.role as Role);
  const when =
    requirement.outcomes && props.eventType === 'CONCLUDE_INSPECTION' ? t('（结论为存在偏差或偏离严重时须上传）', ' (needed for a deviation or a serious finding)') : '';
  return (
    <Card size="small" style={{ marginBottom: 12 }} title={<span>{t('所需材料', 'Required materials') + when}</span>} data-testid="required-materials">
      <Space direction="vertical" style={{ width: '100%' }}>
        {requirement.groups.map((group) => {
          const names = group.anyOf.map((kind) => kindLabel(kind, lang)).join(lang === 'zh' ? '或' : ' or ');
          const kinds = group.anyOf.filter(canUpload);
          const label = t(`上传${names}`, `Upload ${names}`);
          const fresh = group.fresh ? (
            <Typography.Text type="secondary">{t('（须为本次办理新上传的材料，以前上传的不再计入）', ' (a file uploaded for this step; earlier ones do not count)')}</Typography.Text>
          ) : null;
          return kinds.length ? (
            <Space key={group.anyOf.join('|')} direction="vertical" size={0} style={{ width: '100%' }}>
              <UploadRow
                projectId={props.project.id}
                kinds={kinds}
                label={label}
                onUploaded={(attachment) => {
                  setUploaded((before) => [...before, attachment]);
                  props.onUploaded(attachment.auditSeq);
                }}
              />
              {fresh}
            </Space>
          ) : (
            <Typography.Text key={group.anyOf.join('|')}>{t(`须由相关单位上传${names}`, `${names} must be uploaded by those who hold it`)}</Typography.Text>
          );
        })}
        {requirement.voucherNumber ? <Typography.Text type="secondary">{t('并填写国库支付凭证号。', 'And enter the treasury payment voucher number.')}</Typography.Text> : null}
        {shown.length ? <AttachmentTable items={shown} /> : null}
      </Space>
    </Card>
  );
}
