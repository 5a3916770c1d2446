import nodemailer, { type Transporter } from 'nodemailer';
import type { Database } from '../store/database.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per notification, so a resend is recognisable as the same message. */
  messageId: string;
  attachments?: { filename: string; content: Buffer }[];
}

export interface Mailer {
  readonly kind: 'smtp' | 'local';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** One pooled SMTP transport for the process. */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  // With a URL nodemailer ignores other options, so the pool is asked for in the URL itself.
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  if (!url.searchParams.has('maxConnections')) url.searchParams.set('maxConnections', '5');
  const transport: Transporter = nodemailer.createTransport(url.toString());
  return {
    kind: 'smtp',
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        ...(mail.attachments ? { attachments: mail.attachments } : {}),
      });
    },
    close: () => transport.close(),
  };
}

/** With no SMTP_URL, mail is kept in the database and listed at /dev/mail (never in production). */
export function localMailer(db: Database): Mailer {
  return {
    kind: 'local',
    async send(mail) {
      await db.query(
        `INSERT INTO local_mail (message_id, recipient, subject, text_body, html_body) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (message_id) DO NOTHING`,
        [mail.messageId, mail.to, mail.subject, mail.attachments?.length ? `${mail.text}\n\n[attachments: ${mail.attachments.map((a) => a.filename).join(', ')}]` : mail.text, mail.html],
      );
    },
    close: () => {},
  };
}

export function createMailer(options: { smtpUrl: string | undefined; from: string; db: Database }): Mailer {
  return options.smtpUrl ? smtpMailer(options.smtpUrl, options.from) : localMailer(options.db);
}
