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
  const transport: Transporter = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: 5 } as never);
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
