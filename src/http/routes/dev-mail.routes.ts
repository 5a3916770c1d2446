import { Router } from 'express';
import type { Database } from '../../usecases/system/open-database.ts';

import { listLocalMail } from '../../usecases/dev/list-local-mail.ts';
import { escapeHtml } from '../../domain/escape-html.ts';
import { isLoopbackPeer } from '../loopback.ts';
import { sendProblem } from '../problem.ts';

/**
 * Mail kept locally when no SMTP_URL is set, for a newcomer clicking through the demo. Never mounted
 * in production. The mailbox holds live /t/ links (anyone reading it can approve as the recipient),
 * so it answers loopback clients only, unless DEV_MAIL_REMOTE=true (`allowRemote`).
 */
export function devMailRouter(db: Database, options: { allowRemote?: boolean } = {}): Router {
  const router = Router();
  router.use('/dev/mail', (req, res, next) => {
    if (options.allowRemote || isLoopbackPeer(req)) return next();
    sendProblem(res, 403, '无权访问 / Not allowed', 'the local mailbox answers only on this machine (127.0.0.1); set DEV_MAIL_REMOTE=true to share it', {
      code: 'forbidden',
    });
  });
  router.get('/dev/mail', async (req, res) => {
    const rows = await listLocalMail({ db });
    if (req.accepts(['html', 'json']) === 'json') return void res.json({ items: rows });
    const items = rows
      .map((row) => `<article><h2>${escapeHtml(row.subject)}</h2><p>→ ${escapeHtml(row.recipient)} · ${new Date(row.created_at).toISOString()}</p><pre>${escapeHtml(row.text_body)}</pre></article>`)
      .join('<hr>');
    res.type('html').send(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>本地邮件 / local mail</title><body><h1>本地邮件 / local mail (${rows.length})</h1>${items}</body></html>`);
  });
  return router;
}
