import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export type BodyText = { readonly ok: true; readonly text: string; readonly bytes: number } | { readonly ok: false; readonly tooLarge: boolean };

/**
 * The request body as text, refused past `maxBytes` (by its Content-Length, or
 * as it arrives when it has none). Under the Node server it reads the socket
 * stream itself: building a WHATWG Request and stream for every beacon costs
 * more than everything else ingestion does.
 */
export function readBody(c: Context, maxBytes: number): Promise<BodyText> {
  const declared = Number(c.req.header('content-length'));
  if (declared > maxBytes) return Promise.resolve({ ok: false, tooLarge: true });
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.readableEnded && incoming.readableFlowing === null) return readIncoming(incoming, maxBytes);
  return c.req.text().then((text) => {
    const bytes = Buffer.byteLength(text);
    return bytes > maxBytes ? { ok: false, tooLarge: true } : { ok: true, text, bytes };
  });
}

/** The body of a Node request, refused past `maxBytes` as it arrives. */
export function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<BodyText> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: BodyText) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else {
        done({ ok: false, tooLarge: true });
        incoming.resume(); // discard the rest; the answer is already decided
      }
    };
    const onEnd = () => done({ ok: true, text: Buffer.concat(chunks, size).toString('utf8'), bytes: size });
    const onGone = () => done({ ok: false, tooLarge: false });
    incoming.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}
