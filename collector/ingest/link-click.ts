/**
 * File extensions whose links count as downloads, unless the site names its
 * own (`FOOTFALL_SITES`: `shop;downloads=pdf|zip`).
 */
export const DEFAULT_DOWNLOADS: readonly string[] = Object.freeze([
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'odt',
  'ods',
  'odp',
  'rtf',
  'csv',
  'txt',
  'epub',
  'zip',
  'rar',
  '7z',
  'gz',
  'tgz',
  'bz2',
  'xz',
  'dmg',
  'exe',
  'msi',
  'pkg',
  'deb',
  'rpm',
  'apk',
  'iso',
  'mp3',
  'wav',
  'flac',
  'mp4',
  'mov',
  'avi',
  'mkv',
]);

/** What a link click was: to another host, a file, or neither (not counted). */
export type LinkKind = 'outbound' | 'download' | null;

/**
 * Classifies a click on `link` made on the page `pageUrl`, as the tracker
 * reports every link click: a download when the link has a `download`
 * attribute or its path ends in one of `downloads` (case aside), else outbound
 * when it leads to another host than the page's, else nothing. Only http(s)
 * links count, and without a page to compare with, only downloads.
 */
export function classifyLinkClick(
  link: string,
  pageUrl: string | null | undefined,
  downloadAttribute: string | null | undefined,
  downloads: readonly string[],
): LinkKind {
  let target: URL;
  try {
    target = new URL(link);
  } catch {
    return null;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return null;
  const extension = /\.([^./]+)$/.exec(target.pathname)?.[1]?.toLowerCase();
  if (downloadAttribute != null || (extension !== undefined && downloads.includes(extension))) return 'download';
  const host = pageHost(pageUrl);
  return host !== null && target.host !== host ? 'outbound' : null;
}

function pageHost(url: string | null | undefined): string | null {
  try {
    return url ? new URL(url).host : null;
  } catch {
    return null;
  }
}
