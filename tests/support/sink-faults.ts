import type { EventEmitter } from 'node:events';
import type { SmtpSink } from './smtp-sink.ts';

/**
 * A client killed with -9 in the middle of an SMTP session resets its connection; smtp-server
 * reports that as an 'error' event on the server, which SmtpSink does not listen to (an unhandled
 * 'error' would crash the test process). Collects those errors instead, for the test to inspect.
 */
export function collectConnectionErrors(sink: SmtpSink): Error[] {
  const errors: Error[] = [];
  (sink as unknown as { server: EventEmitter }).server.on('error', (error: Error) => errors.push(error));
  return errors;
}
