import { describe, expect, it } from "vitest";
import { classifySourceUrl, hostOf, isAggregatorUrl } from "../../src/common/source-hosts";

describe("classifySourceUrl", () => {
  it.each([
    // A publisher's own pages and PDFs, including subdomains such as its CDN.
    ["https://openai.com/index/disrupting-malicious-uses-of-ai-stop-news-2024/", "PUBLISHER"],
    ["https://cdn.openai.com/threat-intelligence-reports/threat-intel-report-may-2024.pdf", "PUBLISHER"],
    ["https://www-cdn.anthropic.com/b2a76c6f6992465c09a6f2fce282f6c0cea8c200.pdf", "PUBLISHER"],
    ["https://cloud.google.com/blog/topics/threat-intelligence/adversarial-misuse-generative-ai", "PUBLISHER"],
    ["https://www.microsoft.com/en-us/security/blog/2024/02/14/staying-ahead-of-threat-actors-in-the-age-of-ai/", "PUBLISHER"],
    ["https://about.fb.com/news/2024/05/metas-adversarial-threat-report-first-quarter-2024/", "PUBLISHER"],
    // Mirrors: code hosts and web archives.
    ["https://github.com/AaronBergman/openai_monitor/blob/abc/pages/openai.com/index/x/index.md", "MIRROR"],
    ["https://raw.githubusercontent.com/someone/repo/main/report.md", "MIRROR"],
    ["https://github.com/facebook/threat-research/blob/main/reports/2024-q1-adversarial-threat-report.md", "PUBLISHER"],
    // Meta's repository is the publisher at its root too, and as raw files; a look-alike name is not.
    ["https://github.com/facebook/threat-research", "PUBLISHER"],
    ["https://github.com/facebook/threat-research/", "PUBLISHER"],
    ["https://raw.githubusercontent.com/facebook/threat-research/main/indicators/csv/x.csv", "PUBLISHER"],
    ["https://github.com/facebook/threat-research-copy", "MIRROR"],
    // News outlets that were once left as OTHER.
    ["https://www.euronews.com/next/2024/08/16/x", "PRESS"],
    ["https://www.scworld.com/brief/x", "PRESS"],
    ["https://www.computing.co.uk/news/4347864/x", "PRESS"],
    ["https://www.computerweekly.com/news/366579820/x", "PRESS"],
    ["https://www.inc.com/kit-eaton/x/91107159", "PRESS"],
    ["https://elnashra.com/news/show/1682142/x", "PRESS"],
    ["https://web.archive.org/web/2024/https://openai.com/", "MIRROR"],
    // News outlets, with or without www and on mobile subdomains.
    ["https://www.axios.com/2024/10/09/openai-election-interference-political-misinformation", "PRESS"],
    ["http://m.koreatimes.co.kr/pages/article.asp?newsIdx=392769", "PRESS"],
    ["https://www.reuters.com/technology/x", "PRESS"],
    // Government and parliament hosts, by suffix or by name.
    ["https://chinaselectcommittee.house.gov/media/press-releases/x", "GOVERNMENT"],
    ["https://www.hassan.senate.gov/news/press-releases/x", "GOVERNMENT"],
    ["https://www.cas.go.jp/jp/x.html", "GOVERNMENT"],
    ["https://digital-strategy.ec.europa.eu/en/policies/x", "GOVERNMENT"],
    ["https://www.gov.uk/government/news/x", "GOVERNMENT"],
    ["https://www.canada.ca/en.html", "OTHER"],
    ["https://www.cyber.gc.ca/en/x", "GOVERNMENT"],
    // Aggregators are never press, and unknown sites are OTHER.
    ["https://www.tipranks.com/news/openai-identifies-chinese-threat", "OTHER"],
    ["https://sumtrix.com/?p=4194", "OTHER"],
    ["https://www.thoughtworks.com/insights/blog/x", "OTHER"],
    ["not a url", "OTHER"],
  ])("%s is %s", (url, kind) => {
    expect(classifySourceUrl(url)).toBe(kind);
  });

  it("matches whole domain labels, not substrings", () => {
    expect(classifySourceUrl("https://notopenai.com/page")).toBe("OTHER");
    expect(classifySourceUrl("https://openai.com.example.net/page")).toBe("OTHER");
    expect(classifySourceUrl("https://mygithub.com/x")).toBe("OTHER");
  });
});

describe("isAggregatorUrl and hostOf", () => {
  it("flags the aggregator and SEO hosts found in the shipped data, with or without www", () => {
    for (const url of [
      "https://www.aiapps.com/news/x",
      "https://www.nairavoice.com.ng/x/",
      "https://ytechs.org/x/amp",
      "https://www.humai.blog/x/",
      "https://moneysmarts.news/?p=1",
      "https://bargainmama.com/x",
      "https://promo-sale.live/ai/1/x",
    ]) {
      expect(isAggregatorUrl(url)).toBe(true);
    }
    expect(isAggregatorUrl("https://www.axios.com/2024/10/09/x")).toBe(false);
    expect(isAggregatorUrl("not a url")).toBe(false);
  });

  it("lower-cases the host and drops a leading www", () => {
    expect(hostOf("https://WWW.Example.ORG/Path")).toBe("example.org");
    expect(hostOf("nonsense")).toBeNull();
  });
});
