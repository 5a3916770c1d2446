import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  raw: ParsedMail;
  /** Date.now() when the message's DATA ended: where a benchmark times delivery. */
  receivedAt: number;
}

/** A real SMTP server in the test process; `failing` makes it refuse messages with a 451, `refused` some recipients with a 550. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  failing = false;
  readonly refused = new Set<string>();
  private server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.refused.has(address.address)) callback(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
        else callback();
      },
      onData: (stream, _session, callback) => {
        if (this.failing) {
          stream.resume();
          stream.on('end', () => callback(Object.assign(new Error('try again later'), { responseCode: 451 })));
          return;
        }
        let receivedAt = 0;
        stream.once('end', () => (receivedAt = Date.now()));
        simpleParser(stream)
          .then((mail) => {
            this.received.push({
              to: Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(',') : (mail.to?.text ?? ''),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              messageId: mail.messageId ?? '',
              raw: mail,
              receivedAt: receivedAt || Date.now(),
            });
            callback();
          })
          .catch(callback);
      },
    });
  }

  async start(port = 0): Promise<string> {
    // A client killed mid-session (ECONNRESET) is part of the fault tests, not a test failure.
    this.server.on('error', () => {});
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
