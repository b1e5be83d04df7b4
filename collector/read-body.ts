import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { FieldError } from './responses.ts';
import { Refusal } from './refusal.ts';

export type BodyText =
  | { readonly ok: true; readonly text: string; readonly bytes: number }
  | { readonly ok: false; readonly tooLarge: boolean };

/**
 * The request body as text, refused past `maxBytes`: by its Content-Length
 * before a byte is read, and by the bytes as they arrive, whatever the header
 * said. Under the Node server it reads the socket stream itself: building a
 * WHATWG Request and stream for every beacon costs more than everything else
 * ingestion does.
 */
export function readBody(c: Context, maxBytes: number): Promise<BodyText> {
  if (declaredTooLarge(c, maxBytes)) return Promise.resolve({ ok: false, tooLarge: true });
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.readableEnded && incoming.readableFlowing === null) return readIncoming(incoming, maxBytes);
  return readStream(c.req.raw.body, maxBytes);
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

/**
 * A body stream as text, given up (and cancelled) at the first chunk past
 * `maxBytes`. Not for a Node request: cancelling its stream closes the
 * connection, and the client may never read the answer.
 */
export async function readStream(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<BodyText> {
  if (body === null) return { ok: true, text: '', bytes: 0 };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        reader.cancel().catch(() => {});
        return { ok: false, tooLarge: true };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, tooLarge: false };
  }
  return { ok: true, text: Buffer.concat(chunks, size).toString('utf8'), bytes: size };
}

/**
 * Reads the body once within `maxBytes` and keeps it, so that every later
 * reader (`c.req.json()`, `c.req.text()`, the route's validators) parses these
 * very bytes; a 413 naming the limit past it, a 400 when it was cut off.
 */
export async function bufferBody(c: Context, maxBytes: number): Promise<string> {
  // Hono keeps each read of the body as a promise under its kind; it types the cache as the methods it stands for.
  const cache = c.req.bodyCache as { text?: Promise<string> };
  if (cache.text) return cache.text;
  const body = await readBody(c, maxBytes);
  if (!body.ok) throw new Refusal(body.tooLarge ? 413 : 400, [bodyError(body, maxBytes)]);
  cache.text = Promise.resolve(body.text);
  return body.text;
}

/** What is wrong with a body that could not be read. */
export function bodyError(body: { readonly tooLarge: boolean }, maxBytes: number): FieldError {
  return { field: 'body', reason: body.tooLarge ? `larger than ${maxBytes} bytes` : 'was cut off before its end' };
}

/** A body's text as JSON, or what is wrong with it. */
export function parseJsonBody(text: string): { readonly value: unknown } | { readonly error: FieldError } {
  if (text.trim() === '') return { error: { field: 'body', reason: 'is empty; expected a JSON object' } };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: { field: 'body', reason: `is not valid JSON (${(error as Error).message})` } };
  }
}

function declaredTooLarge(c: Context, maxBytes: number): boolean {
  return Number(c.req.header('content-length')) > maxBytes;
}
