/*
 * The names Footfall gives sources: a well-known site by its name (any host
 * or parent domain of it), a campaign's `utm_source` or `ref` by the name of
 * the source it spells. Ingestion names sources with these; stats read a
 * filter's source through them, so that `source==newsletter` finds what is
 * shown as "Newsletter".
 */

/** Hostnames (or their parent domains) of well-known sources, and the name shown for them. */
const KNOWN_HOSTS: Record<string, string> = {
  'bing.com': 'Bing',
  'duckduckgo.com': 'DuckDuckGo',
  'search.yahoo.com': 'Yahoo!',
  'yahoo.com': 'Yahoo!',
  'baidu.com': 'Baidu',
  'ecosia.org': 'Ecosia',
  'search.brave.com': 'Brave Search',
  'startpage.com': 'Startpage',
  'qwant.com': 'Qwant',
  'kagi.com': 'Kagi',
  'naver.com': 'Naver',
  'news.google.com': 'Google News',
  'mail.google.com': 'Gmail',
  'gemini.google.com': 'Gemini',
  't.co': 'X (Twitter)',
  'twitter.com': 'X (Twitter)',
  'x.com': 'X (Twitter)',
  'facebook.com': 'Facebook',
  'fb.com': 'Facebook',
  'fb.me': 'Facebook',
  'messenger.com': 'Facebook',
  'instagram.com': 'Instagram',
  'linkedin.com': 'LinkedIn',
  'lnkd.in': 'LinkedIn',
  'reddit.com': 'Reddit',
  'redd.it': 'Reddit',
  'github.com': 'GitHub',
  'gitlab.com': 'GitLab',
  'news.ycombinator.com': 'Hacker News',
  'youtube.com': 'YouTube',
  'youtu.be': 'YouTube',
  'tiktok.com': 'TikTok',
  'pinterest.com': 'Pinterest',
  'bsky.app': 'Bluesky',
  'threads.net': 'Threads',
  'threads.com': 'Threads',
  'mastodon.social': 'Mastodon',
  't.me': 'Telegram',
  'web.telegram.org': 'Telegram',
  'wa.me': 'WhatsApp',
  'whatsapp.com': 'WhatsApp',
  'discord.com': 'Discord',
  'slack.com': 'Slack',
  'stackoverflow.com': 'Stack Overflow',
  'wikipedia.org': 'Wikipedia',
  'medium.com': 'Medium',
  'substack.com': 'Substack',
  'producthunt.com': 'Product Hunt',
  'chatgpt.com': 'ChatGPT',
  'chat.openai.com': 'ChatGPT',
  'perplexity.ai': 'Perplexity',
  'claude.ai': 'Claude',
  'copilot.microsoft.com': 'Microsoft Copilot',
};

// Search engines and networks that live under many country domains: google.de, yandex.ru, pinterest.co.uk.
const COUNTRY_DOMAINS: readonly [RegExp, string][] = [
  [/(?:^|\.)google\.(?:com?\.)?[a-z]{2,3}$/, 'Google'],
  [/(?:^|\.)yandex\.(?:com?\.)?[a-z]{2,3}$/, 'Yandex'],
  [/(?:^|\.)pinterest\.(?:com?\.)?[a-z]{2,3}$/, 'Pinterest'],
  [/(?:^|\.)amazon\.(?:com?\.)?[a-z]{2,3}$/, 'Amazon'],
];

/** How campaigns often spell a known source in `utm_source` or `ref`. */
const SOURCE_ALIASES: Record<string, string> = {
  google: 'Google',
  bing: 'Bing',
  duckduckgo: 'DuckDuckGo',
  ddg: 'DuckDuckGo',
  twitter: 'X (Twitter)',
  x: 'X (Twitter)',
  facebook: 'Facebook',
  fb: 'Facebook',
  instagram: 'Instagram',
  ig: 'Instagram',
  linkedin: 'LinkedIn',
  reddit: 'Reddit',
  github: 'GitHub',
  hackernews: 'Hacker News',
  hn: 'Hacker News',
  youtube: 'YouTube',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  newsletter: 'Newsletter',
};

/** The name of a well-known source on this host, or null. */
export function knownSource(host: string): string | null {
  for (let domain = host; ; ) {
    const name = KNOWN_HOSTS[domain];
    if (name) return name;
    const dot = domain.indexOf('.');
    if (dot === -1 || domain.indexOf('.', dot + 1) === -1) break; // stop at the registrable domain
    domain = domain.slice(dot + 1);
  }
  for (const [pattern, name] of COUNTRY_DOMAINS) if (pattern.test(host)) return name;
  return null;
}

/** A source as a campaign spells it: a known name, a host's known name, or as given. */
export function campaignSource(value: string): string {
  const lower = value.trim().toLowerCase();
  return SOURCE_ALIASES[lower] ?? (lower.includes('.') ? knownSource(lower.replace(/^www\./, '')) : null) ?? value.trim();
}
