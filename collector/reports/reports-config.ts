/** `SMTP_URL` and `REPORTS_FROM`: how reports are emailed. */
export interface ReportsConfig {
  /** `smtp://user:password@host:587` or `smtps://…:465`; null: no email (webhooks still go). */
  readonly smtpUrl: string | null;
  /** The From address of reports. */
  readonly from: string;
}

export const DEFAULT_REPORTS_FROM = 'Footfall <footfall@localhost>';

/** `SMTP_URL`: an smtp:// or smtps:// URL, or null when unset; throws the reason it is not. */
export function parseSmtpUrl(value: string | undefined): string | null {
  const url = value?.trim() || null;
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('is not a URL such as smtp://user:password@mail.example.com:587');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new Error('must start with smtp:// or smtps://');
  return url;
}

/** `REPORTS_FROM`: an address, bare or as `Name <address>`; throws the reason it is not. */
export function parseReportsFrom(value: string | undefined): string {
  const from = value?.trim() || DEFAULT_REPORTS_FROM;
  if (!/^[^<>@\s]+@[^<>@\s]+$|<[^<>@\s]+@[^<>@\s]+>$/.test(from))
    throw new Error('is not an email address such as "Footfall <reports@example.com>"');
  return from;
}
