import { describe, expect, it } from "vitest";
import { externalReferences, publisherByHost } from "../../src/export/stix/stix-references";

/**
 * The rendering of sources into STIX external references, case by case, as docs/stix.md
 * ("Sources: external_references") states it; the shipped data has no titles or archived copies,
 * so those cases are here.
 */
const publishers = publisherByHost([
  { key: "openai", name: "OpenAI", website: "https://openai.com", urls: ["https://openai.com/index/a/", "https://cdn.openai.com/r.pdf"] },
  { key: "meta", name: "Meta", website: "https://about.meta.com", urls: ["https://transparency.fb.com/x", "https://github.com/facebook/threat-research/y"] },
  { key: "other", name: "Other Co", website: "https://other.example", urls: ["https://github.com/other/reports/z"] },
]);

describe("externalReferences", () => {
  it("names each kind of source as docs/stix.md says, url unchanged", () => {
    const url = "https://www.Axios.com/2024/10/09/a?b=c%20d";
    expect(
      externalReferences(
        [
          { url, kind: "PRESS" },
          { url: "https://oecd.ai/en/incidents/1", kind: "GOVERNMENT" },
          { url: "https://github.com/facebook/threat-research", kind: "MIRROR" },
          { url: "https://cybernews.com/news/x/", kind: "OTHER" },
        ],
        publishers,
      ),
    ).toEqual([
      { source_name: "press: axios.com", url },
      { source_name: "government: oecd.ai", url: "https://oecd.ai/en/incidents/1" },
      { source_name: "mirror: github.com", url: "https://github.com/facebook/threat-research" },
      { source_name: "other: cybernews.com", url: "https://cybernews.com/news/x/" },
    ]);
  });

  it("names a PUBLISHER page after the publisher on its host, its website's domain, or else by its host", () => {
    const name = (url: string) => externalReferences([{ url, kind: "PUBLISHER" }], publishers)[0].source_name;
    expect(name("https://cdn.openai.com/another.pdf")).toBe("OpenAI"); // a host of OpenAI's report pages
    expect(name("https://transparency.fb.com/other")).toBe("Meta"); // not Meta's website's domain, but its reports' host
    expect(name("https://help.openai.com/x")).toBe("OpenAI"); // a subdomain of OpenAI's website
    expect(name("https://github.com/facebook/threat-research/q")).toBe("publisher: github.com"); // two publishers' pages are there
    expect(name("https://unknown.example/x")).toBe("publisher: unknown.example");
    // The caller's fallback (a report's own publisher) applies only where the host does not tell.
    expect(externalReferences([{ url: "https://unknown.example/x", kind: "PUBLISHER" }], (u) => publishers(u) ?? "Anthropic")[0].source_name).toBe("Anthropic");
  });

  it("gives a title as description, an archived copy as a mirror after it, and each URL once", () => {
    expect(
      externalReferences(
        [
          {
            url: "https://openai.com/index/a/",
            kind: "PUBLISHER",
            title: "Disrupting A",
            archivedUrl: "https://web.archive.org/web/2024/https://openai.com/index/a/",
          },
          { url: "https://openai.com/index/a/", kind: "PRESS" },
        ],
        publishers,
      ),
    ).toEqual([
      { source_name: "OpenAI", url: "https://openai.com/index/a/", description: "Disrupting A" },
      {
        source_name: "mirror: web.archive.org",
        url: "https://web.archive.org/web/2024/https://openai.com/index/a/",
        description: "Archived copy of https://openai.com/index/a/",
      },
    ]);
  });
});
