import net from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { Database } from '../store/database.ts';
import { saveLocalMail } from '../store/observability.store.ts';

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

/**
 * The pool's connections. Nagle's algorithm is off: nodemailer writes a message's terminating dot in
 * a small write of its own, which otherwise waits for the server's delayed ACK (about 40 ms on Linux)
 * and holds each connection to some 20 messages a second. Instead, the writes of one turn of the
 * event loop (commands, the message's chunks, the dot) leave as one: some 14 writes a message would
 * otherwise each be a packet (measured against a local server: a third less CPU on both sides, a
 * quarter more messages a second). TLS (smtps, STARTTLS) is negotiated by nodemailer on this socket
 * as usual.
 */
export function smtpSocket(options: SMTPPool.Options, callback: (error: Error | null, socketOptions?: { connection: net.Socket }) => void): void {
  const socket = net.connect(Number(options.port) || (options.secure ? 465 : 587), options.host ?? 'localhost');
  socket.setNoDelay(true);
  const write = socket.write.bind(socket) as net.Socket['write'];
  socket.write = ((...args: Parameters<net.Socket['write']>) => {
    if (!socket.writableCorked) {
      socket.cork();
      setImmediate(() => socket.uncork());
    }
    return write(...args);
  }) as net.Socket['write'];
  // nodemailer's own connection timeout covers only sockets it opens itself.
  const timeoutMs = options.connectionTimeout ?? 30_000;
  socket.setTimeout(timeoutMs, () => socket.destroy(Object.assign(new Error(`SMTP connection timeout after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
  const onError = (error: Error) => callback(error);
  socket.once('error', onError);
  socket.once('connect', () => {
    socket.setTimeout(0);
    socket.off('error', onError);
    callback(null, { connection: socket });
  });
}

/**
 * SMTP connections of the pool unless SMTP_URL says maxConnections=N: a burst of reminders (09:00)
 * waits on the pool more than on anything else (benchmarked: 5 connections let the worker send about
 * 300 a second, 10 about 400); most mail servers accept this many from one client.
 */
export const DEFAULT_SMTP_CONNECTIONS = 10;

/** One pooled SMTP transport for the process. Options in the URL (e.g. ?maxConnections=4) win over these defaults. */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport: Transporter = nodemailer.createTransport(new SMTPPool({ url: smtpUrl, pool: true, maxConnections: DEFAULT_SMTP_CONNECTIONS, getSocket: smtpSocket }));
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
      await saveLocalMail(db, {
        messageId: mail.messageId,
        recipient: mail.to,
        subject: mail.subject,
        textBody: mail.attachments?.length ? `${mail.text}\n\n[attachments: ${mail.attachments.map((a) => a.filename).join(', ')}]` : mail.text,
        htmlBody: mail.html,
      });
    },
    close: () => {},
  };
}

export function createMailer(options: { smtpUrl: string | undefined; from: string; db: Database }): Mailer {
  return options.smtpUrl ? smtpMailer(options.smtpUrl, options.from) : localMailer(options.db);
}
