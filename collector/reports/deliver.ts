import { createHmac } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Message } from './content.ts';

/** The header a webhook's body is signed in: `sha256=` and the hex HMAC-SHA256 of the body under the schedule's secret. */
export const SIGNATURE_HEADER = 'X-Footfall-Signature';
/** A receiver that has not answered in this long has failed this attempt. */
const WEBHOOK_TIMEOUT_MS = 10_000;

/** `sha256=HEX`: the signature of a webhook body. */
export const signBody = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** POSTs the message's JSON, signed; throws on a network error, a timeout or a status other than 2xx. */
export async function sendWebhook(url: string, secret: string, message: Message): Promise<void> {
  const body = JSON.stringify(message.payload);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'User-Agent': 'Footfall reports', [SIGNATURE_HEADER]: signBody(secret, body) },
    body,
    redirect: 'error',
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`the webhook answered ${res.status}`);
}

/** Sends the message as an email with a text and an HTML part. */
export async function sendEmail(transport: Transporter, from: string, to: string, message: Message): Promise<void> {
  await transport.sendMail({ from, to, subject: message.subject, text: message.text, html: message.html });
}

export interface RetryOptions {
  /** Tries in all (the first and its retries). */
  readonly attempts: number;
  /** The wait before the first retry; each next one waits twice as long. */
  readonly backoffMs: number;
}

export const DEFAULT_RETRIES: RetryOptions = { attempts: 4, backoffMs: 30_000 };

/**
 * Tries `send` until it succeeds or `attempts` are spent, waiting backoffMs,
 * 2 × backoffMs, … between tries; `onFailure` hears of each failed try.
 */
export async function withRetries(
  send: () => Promise<void>,
  options: RetryOptions,
  onFailure: (attempt: number, error: unknown, final: boolean) => void,
): Promise<{ ok: boolean; attempts: number; error: string | null }> {
  let error: unknown = null;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      await send();
      return { ok: true, attempts: attempt, error: null };
    } catch (caught) {
      error = caught;
      const final = attempt === options.attempts;
      onFailure(attempt, caught, final);
      if (!final) await new Promise((resolve) => setTimeout(resolve, options.backoffMs * 2 ** (attempt - 1)).unref?.());
    }
  }
  return { ok: false, attempts: options.attempts, error: String(error instanceof Error ? error.message : error) };
}
