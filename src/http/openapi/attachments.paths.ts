import { ATTACHMENT_KINDS } from '../../domain/vocabulary.ts';

/** OpenAPI of the attachments routes (src/http/routes/attachments.routes.ts), spread into /openapi.json. */
const problem = { description: 'problem+json', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [String(status), problem]));
const uuid = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });

const pair = { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } }, required: ['zh', 'en'] };

export const attachmentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    projectId: { type: 'string', format: 'uuid' },
    eventSeq: { type: ['integer', 'null'] },
    kind: { type: 'string', enum: [...ATTACHMENT_KINDS] },
    kindName: pair,
    fileName: { type: 'string' },
    mediaType: { type: 'string' },
    sizeBytes: { type: 'integer' },
    sha256: { type: 'string' },
    uploadedBy: { type: 'object', properties: { id: { type: 'string' }, name: { type: ['string', 'null'] } }, required: ['id', 'name'] },
    uploadedAt: { type: 'string', format: 'date-time' },
    auditSeq: { type: 'integer', description: 'the ATTACH_FILE event that put the hash into the audit chain' },
    downloadUrl: { type: 'string' },
  },
  required: ['id', 'projectId', 'eventSeq', 'kind', 'kindName', 'fileName', 'mediaType', 'sizeBytes', 'sha256', 'uploadedBy', 'uploadedAt', 'auditSeq', 'downloadUrl'],
};

export const attachmentPaths = {
  '/api/v1/projects/{id}/attachments': {
    get: {
      summary: 'The files attached to a project (staff; the applicant on its own projects)',
      parameters: [uuid('id')],
      responses: {
        200: {
          description: 'files in upload order',
          content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: attachmentSchema } }, required: ['items'] } } },
        },
        ...errors(400, 401, 404),
      },
    },
    post: {
      summary:
        'Attach one file (PDF, OFD, JPEG, PNG, DOCX or XLSX, judged by its content; at most ATTACHMENT_MAX_BYTES). Its SHA-256 enters the audit chain (ATTACH_FILE event)',
      parameters: [uuid('id')],
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                file: { type: 'string', format: 'binary' },
                kind: { type: 'string', enum: [...ATTACHMENT_KINDS] },
                eventSeq: { type: 'integer', minimum: 1, description: 'the event the file belongs to; absent: the project' },
              },
              required: ['file', 'kind'],
            },
          },
        },
      },
      responses: {
        201: { description: 'attached', content: { 'application/json': { schema: attachmentSchema } } },
        ...errors(400, 401, 403, 404, 409, 422),
      },
    },
  },
  '/api/v1/projects/{id}/attachments/{attachmentId}/content': {
    get: {
      summary: 'Download one file: Content-Disposition attachment (RFC 6266, filename* per RFC 5987), nosniff, a CSP that runs nothing',
      parameters: [uuid('id'), uuid('attachmentId')],
      responses: {
        200: { description: 'the bytes', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        ...errors(400, 401, 404, 503),
      },
    },
  },
};
