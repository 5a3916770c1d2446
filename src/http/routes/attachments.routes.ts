import contentDisposition from 'content-disposition';
import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { ATTACHMENT_KINDS } from '../../domain/vocabulary.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { DEFAULT_ATTACHMENT_MAX_BYTES } from '../../usecases/attachments/attachment-policy.ts';
import { downloadAttachment } from '../../usecases/attachments/download-attachment.ts';
import { listAttachments } from '../../usecases/attachments/list-attachments.ts';
import { uploadAttachment } from '../../usecases/attachments/upload-attachment.ts';
import { requireUser } from '../auth.ts';
import { parseOrThrow } from '../problem.ts';
import { channelOf } from '../session-auth.ts';

/** The text fields of an upload (multipart/form-data, with the file in the part named `file`). */
export const attachmentUploadFieldsSchema = z.object({
  kind: z.enum(ATTACHMENT_KINDS),
  eventSeq: z.coerce.number().int().min(1).optional(),
});

/** The download's CSP: nothing may load or run, and the response is sandboxed should a browser render it anyway. */
const DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'";

/** Multer's limit errors, as the 400 that names the field. */
function multerProblem(error: unknown, maxBytes: number): AppError | undefined {
  if (!(error instanceof multer.MulterError)) return undefined;
  const field = error.field ?? 'file';
  switch (error.code) {
    case 'LIMIT_FILE_SIZE':
      return AppError.badInput([{ field, message: `the file is larger than the limit of ${maxBytes} bytes` }], 'the file was refused');
    case 'LIMIT_UNEXPECTED_FILE':
      return AppError.badInput([{ field, message: 'send exactly one file, in the part named "file"' }]);
    default:
      return AppError.badInput([{ field, message: `the upload is malformed: ${error.message}` }]);
  }
}

export function attachmentsRouter(deps: EngineDeps, options: { maxBytes?: number } = {}): Router {
  const maxBytes = options.maxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES;
  const router = Router();
  // Memory storage with the size limit: nothing touches the disk, and a larger file is cut off
  // while it streams. preservePath keeps "../x.pdf" as sent, so the name check refuses it rather
  // than busboy silently shortening it; utf8 keeps Chinese names as the browser sent them.
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12, fieldSize: 1024 },
    preservePath: true,
    defParamCharset: 'utf8',
  }).single('file');
  const receive = (req: Request, res: Response, next: NextFunction) => {
    upload(req, res, (error: unknown) => {
      if (error) return next(multerProblem(error, maxBytes) ?? error);
      next();
    });
  };

  router.post('/projects/:id/attachments', (req, res, next) => {
    // Authenticated before the body is read: an anonymous caller never gets to stream a file.
    requireUser(req);
    if (!req.is('multipart/form-data')) {
      return next(AppError.badInput([{ field: 'file', message: 'send the file as multipart/form-data, in the part named "file"' }]));
    }
    receive(req, res, next);
  }, async (req, res) => {
    const user = requireUser(req);
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const fields = parseOrThrow(attachmentUploadFieldsSchema, { ...req.body });
    const file = req.file;
    if (!file) throw AppError.badInput([{ field: 'file', message: 'no file: send it in the part named "file"' }]);
    const view = await uploadAttachment(
      deps,
      user,
      { projectId: id, kind: fields.kind, eventSeq: fields.eventSeq, givenName: file.originalname, bytes: new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength) },
      { maxBytes, channel: channelOf(req) },
    );
    res.status(201).json(view);
  });

  router.get('/projects/:id/attachments', async (req, res) => {
    const user = requireUser(req);
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    res.json({ items: await listAttachments(deps, user, id) });
  });

  router.get('/projects/:id/attachments/:attachmentId/content', async (req, res) => {
    const user = requireUser(req);
    const id = parseOrThrow(z.uuid(), req.params.id, ['id']);
    const attachmentId = parseOrThrow(z.uuid(), req.params.attachmentId, ['attachmentId']);
    const content = await downloadAttachment(deps, user, { projectId: id, attachmentId });
    res
      .status(200)
      .set({
        'Content-Type': content.mediaType,
        'Content-Length': String(content.bytes.byteLength),
        // RFC 6266 with an RFC 5987 filename* for the Chinese name, and an ASCII fallback.
        'Content-Disposition': contentDisposition(content.fileName, { type: 'attachment' }),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': DOWNLOAD_CSP,
        'Cache-Control': 'private, no-store',
        ETag: `"${content.sha256}"`,
      })
      .end(Buffer.from(content.bytes.buffer, content.bytes.byteOffset, content.bytes.byteLength));
  });

  return router;
}
