import type { Request } from 'express';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Whether the TCP peer is this machine. The socket's own address, never X-Forwarded-For or
 * req.ip: a header is whatever the client writes, and a proxy on this machine is itself loopback.
 */
export function isLoopbackPeer(req: Request): boolean {
  return LOOPBACK.test(req.socket.remoteAddress ?? '');
}
