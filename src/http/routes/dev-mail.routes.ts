import { Router } from 'express';
import type { Database } from '../../store/database.ts';

import { escapeHtml } from '../../domain/escape-html.ts';

/** Mail kept locally when no SMTP_URL is set, for a newcomer clicking through the demo. Never mounted in production. */
export function devMailRouter(db: Database): Router {
  const router = Router();
  router.get('/dev/mail', async (req, res) => {
    const rows = await db.query<{ id: number; message_id: string; recipient: string; subject: string; text_body: string; html_body: string; created_at: Date }>(
      'SELECT * FROM local_mail ORDER BY id DESC LIMIT 200',
    );
    if (req.accepts(['html', 'json']) === 'json') return void res.json({ items: rows });
    const items = rows
      .map((row) => `<article><h2>${escapeHtml(row.subject)}</h2><p>→ ${escapeHtml(row.recipient)} · ${new Date(row.created_at).toISOString()}</p><pre>${escapeHtml(row.text_body)}</pre></article>`)
      .join('<hr>');
    res.type('html').send(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>本地邮件 / local mail</title><body><h1>本地邮件 / local mail (${rows.length})</h1>${items}</body></html>`);
  });
  return router;
}
