// Who is calling, as far as the platform can tell: on Node the TCP peer's address (the adapter
// passes its IncomingMessage as `c.env.incoming`); elsewhere the client-IP header the platform
// itself sets (Cloudflare's cf-connecting-ip, Vercel's x-real-ip). On Node, headers are never
// trusted: any client could send them.
import type { Context } from 'hono';

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

export function clientAddress(c: Context): string {
  const node = (c.env as NodeBindings | undefined)?.incoming;
  if (node) return node.socket?.remoteAddress ?? 'unknown';
  const header = c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? c.req.header('x-forwarded-for')?.split(',')[0];
  return header?.trim() || 'unknown';
}

/** Node's IncomingMessage when the app runs on @hono/node-server (its body can be read without a web stream). */
export function onNode(c: Context): boolean {
  return (c.env as NodeBindings | undefined)?.incoming !== undefined;
}
