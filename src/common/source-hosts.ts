/**
 * Which kind of page a source URL is, told by its host. Old bundles list sources as plain URLs; the
 * importer, the migration that typed the stored sources and `npm run data:check` classify them here,
 * so the host lists live in this one module (and are unit-tested).
 */
import type { SOURCE_KIND_VOCABULARY } from "./vocabulary";

/** A source kind from the codebook. */
export type SourceKind = keyof typeof SOURCE_KIND_VOCABULARY;

/** Sites of the companies that publish threat reports in the dataset: their own pages and PDFs. */
export const PUBLISHER_DOMAINS = [
  "openai.com",
  "anthropic.com",
  "blog.google",
  "cloud.google.com",
  "services.google.com",
  "deepmind.google",
  "microsoft.com",
  "about.fb.com",
  "about.meta.com",
  "transparency.meta.com",
  "transparency.fb.com",
];

/**
 * Publishers' own repositories on shared hosts: Meta publishes each threat report's network
 * summaries and indicators in its own repository, which is the publisher speaking, not a mirror.
 * The repository's root and everything under it count, on GitHub and as raw files.
 */
export const PUBLISHER_REPOSITORIES = ["https://github.com/facebook/threat-research", "https://raw.githubusercontent.com/facebook/threat-research"];

/** True when the URL is one of the publishers' repositories or a page or file under it. */
function inPublisherRepository(url: string): boolean {
  const lower = url.toLowerCase().replace(/^http:/, "https:");
  return PUBLISHER_REPOSITORIES.some((base) => lower.startsWith(base) && (lower.length === base.length || "/?#".includes(lower[base.length])));
}

/** Third-party copies of publishers' texts: code hosts and web archives. */
export const MIRROR_DOMAINS = ["github.com", "raw.githubusercontent.com", "gitlab.com", "web.archive.org", "archive.ph", "archive.today", "archive.org"];

/** News outlets doing their own reporting. */
export const PRESS_DOMAINS = [
  "apnews.com",
  "reuters.com",
  "bbc.com",
  "bbc.co.uk",
  "nytimes.com",
  "washingtonpost.com",
  "theguardian.com",
  "ft.com",
  "wsj.com",
  "bloomberg.com",
  "cnn.com",
  "nbcnews.com",
  "nbclosangeles.com",
  "cbsnews.com",
  "npr.org",
  "politico.com",
  "politico.eu",
  "axios.com",
  "theverge.com",
  "wired.com",
  "arstechnica.com",
  "techcrunch.com",
  "theregister.com",
  "therecord.media",
  "cyberscoop.com",
  "securityweek.com",
  "bleepingcomputer.com",
  "darkreading.com",
  "thehackernews.com",
  "zdnet.com",
  "engadget.com",
  "cnbc.com",
  "forbes.com",
  "fortune.com",
  "businessinsider.com",
  "time.com",
  "theweek.com",
  "techradar.com",
  "techtarget.com",
  "livemint.com",
  "straitstimes.com",
  "ndtvprofit.com",
  "ndtv.com",
  "koreatimes.co.kr",
  "medianama.com",
  "aawsat.com",
  "siasat.com",
  "tribuneindia.com",
  "the-decoder.com",
  "pymnts.com",
  "neowin.net",
  "voanews.com",
  "krdo.com",
  "arynews.tv",
  "jang.com.pk",
  "newsmax.com",
  "news.az",
  "computerweekly.com",
  "scmp.com",
  "japantimes.co.jp",
  "kyodonews.net",
  "nikkei.com",
  "asia.nikkei.com",
  "taipeitimes.com",
  "focustaiwan.tw",
  "france24.com",
  "lemonde.fr",
  "dw.com",
  "aljazeera.com",
  "semafor.com",
  "nbcbayarea.com",
  "abcnews.go.com",
  "yomiuri.co.jp",
  "asahi.com",
  "nhk.or.jp",
  "yonhapnews.co.kr",
  "koreaherald.com",
  "theinformation.com",
  "404media.co",
  "fedscoop.com",
  "euronews.com",
  "scworld.com",
  "computing.co.uk",
  "inc.com",
  "elnashra.com",
  "cybernews.com",
  "eweek.com",
  "gigazine.net",
  "legalnewsline.com",
  "techmonitor.ai",
  "techtimes.com",
  "thecyberwire.com",
  "thequint.com",
  "yen.com.gh",
  "securitybrief.com.au",
  "hindustantimes.com",
  "brecorder.com",
  "aimmediahouse.com",
  "livedoor.com",
];

/** Suffixes of government, parliament and intergovernmental hosts. */
const GOVERNMENT_SUFFIXES = [/\.gov$/, /(^|\.)gov\.[a-z]{2}$/, /(^|\.)gob\.[a-z]{2}$/, /(^|\.)gouv\.[a-z]{2}$/, /\.go\.[a-z]{2}$/, /(^|\.)gc\.ca$/, /\.mil$/];
export const GOVERNMENT_DOMAINS = ["europa.eu", "parliament.uk", "un.org", "nato.int", "oecd.org", "oecd.ai", "senate.gov", "house.gov"];

/**
 * Aggregator, SEO and content-farm sites that republish others' reporting: never evidence.
 * `npm run data:check` fails when one is cited; they classify as OTHER.
 */
export const AGGREGATOR_DOMAINS = [
  "sumtrix.com",
  "tipranks.com",
  "aiapps.com",
  "nairavoice.com.ng",
  "ytechs.org",
  "humai.blog",
  "moneysmarts.news",
  "bargainmama.com",
  "promo-sale.live",
  "voltaireweb.com",
  "aitoolreport.com",
  "newsbreak.com",
  "nextclicknews.com",
  "newsboulevard.com",
  "bnnbreaking.com",
  "cybermaterial.com",
  "particlenews.pages.dev",
  "imaginepro.ai",
  "influencermagazine.uk",
  "nowtrend.net",
  "daily8.com",
  "ainewsinternational.com",
  "vuink.com",
  "europeantech.news",
  "aipressa.com",
  "technologytangle.com",
  "theobserverpost.com",
  "newspage360.com",
  "libertystandard.net",
  "allinoneaicenter.com",
  "allmind.ai",
  "criticalmarkup.org",
  "hashtagplus.com",
  "cybret.ai",
  "ai-jarvis.eu",
  "karlsnotes.com",
  "agoratech.eu",
  "mobileappdaily.com",
  "dagens.com",
  "inkl.com",
  "uat4.www.digitaltrends.com",
  "uyghurtimes.com",
  "spearhead.so",
];

/** The URL's host in lower case without a leading `www.`; null when the text is not a URL. */
export function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, "");
  } catch {
    return null;
  }
}

/** True when `host` is `domain` or one of its subdomains. */
function within(host: string, domains: readonly string[]): boolean {
  return domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** True when the URL's host is a known aggregator or SEO site. */
export function isAggregatorUrl(url: string): boolean {
  const host = hostOf(url);
  return host !== null && within(host, AGGREGATOR_DOMAINS);
}

/**
 * The kind of a source given as a plain URL: a publisher's own site is PUBLISHER, a code host or
 * web archive MIRROR, a known news outlet PRESS, a government host GOVERNMENT, anything else OTHER.
 * Aggregators are checked first, so a content farm on a news-like host never counts as press.
 */
export function classifySourceUrl(url: string): SourceKind {
  const host = hostOf(url);
  if (host === null || within(host, AGGREGATOR_DOMAINS)) return "OTHER";
  if (within(host, PUBLISHER_DOMAINS) || inPublisherRepository(url)) return "PUBLISHER";
  if (within(host, MIRROR_DOMAINS)) return "MIRROR";
  if (within(host, PRESS_DOMAINS)) return "PRESS";
  if (within(host, GOVERNMENT_DOMAINS) || GOVERNMENT_SUFFIXES.some((suffix) => suffix.test(host))) return "GOVERNMENT";
  return "OTHER";
}
