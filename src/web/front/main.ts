import { esc, gql } from "../shared/gql";
import { linkDocs } from "../shared/nav";
import { availableLeafFields, enumsFromSchema } from "../shared/schema";

linkDocs();

const COUNT_LABELS: [string, string][] = [
  ["operations", "Operations"],
  ["reports", "Threat reports"],
  ["disclosures", "Disclosures"],
  ["statements", "Statements"],
  ["companies", "Companies"],
  ["countries", "Countries"],
];

function showError(id: string, error: unknown): void {
  document.getElementById(id)!.innerHTML = `<p class="error" role="alert">Could not load: ${esc((error as Error).message)}</p>`;
}

interface Dataset {
  counts: Record<string, number>;
  contentHash: string;
  loadedAt: string | null;
  version?: string;
  releasedOn?: string;
  citation?: string;
  licence?: string;
  license?: string;
}

async function loadDataset(): Promise<Dataset> {
  // version, releasedOn, citation and licence come with dataset releases; ask only where the schema has them.
  const optional = await availableLeafFields("Dataset", ["version", "releasedOn", "citation", "licence", "license"]);
  const data = await gql<{ dataset: Dataset }>(
    `{ dataset { counts { ${COUNT_LABELS.map(([key]) => key).join(" ")} } contentHash loadedAt ${optional.join(" ")} } }`,
  );
  const d = data.dataset;
  const counts = COUNT_LABELS.map(([key, label]) => `<div><dt>${label}</dt><dd data-count="${key}">${d.counts[key].toLocaleString("en")}</dd></div>`).join("");
  const facts = [
    d.version ? `<li>Version: <strong data-field="version">${esc(d.version)}</strong>${d.releasedOn ? `, released ${esc(d.releasedOn)}` : ""}</li>` : "",
    `<li>Content hash (SHA-256 of every record in canonical form): <code class="hash" data-field="contentHash">${esc(d.contentHash)}</code></li>`,
    `<li>Last loaded: ${d.loadedAt ? esc(new Date(d.loadedAt).toISOString().replace("T", " ").slice(0, 16)) + " UTC" : "never"}</li>`,
  ].join("");
  document.getElementById("dataset")!.innerHTML = `<dl class="counts">${counts}</dl><ul>${facts}</ul>`;
  return d;
}

async function loadReports(): Promise<void> {
  const data = await gql<{
    reports: { totalCount: number; nodes: { key: string; title: string; url: string; publishedOn: string; publisher: { name: string } }[] };
  }>(`{ reports(first: 10, orderBy: { field: PUBLISHED_ON, direction: DESC }) { totalCount nodes { key title url publishedOn publisher { name } } } }`);
  const rows = data.reports.nodes
    .map(
      (r) =>
        `<tr><td class="date">${esc(r.publishedOn)}</td><td>${esc(r.publisher.name)}</td><td><a href="${esc(r.url)}" rel="noopener noreferrer">${esc(r.title)}</a></td></tr>`,
    )
    .join("");
  document.getElementById("reports")!.innerHTML =
    `<table><caption class="visually-hidden">The ten newest threat reports</caption><thead><tr><th scope="col">Published</th><th scope="col">Publisher</th><th scope="col">Title (the publisher's page)</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<p class="muted">${data.reports.totalCount} reports in all; the links lead to the publishers' own pages.</p>`;
}

async function loadVocabularies(): Promise<void> {
  const [enums, scale] = await Promise.all([
    enumsFromSchema(["OperationCategory", "ActorType", "AttributionConfidence"]),
    gql<{
      __type: { fields: { name: string; description: string | null }[] };
      operationStats: { by: { buckets: { key: string; kind: string; count: number }[] } };
    }>(
      `{ __type(name: "Operation") { fields { name description } } operationStats { by(dimension: BREAKOUT_SCALE, limit: 6) { buckets { key kind count } } } }`,
    ),
  ]);
  const titles: [string, string][] = [
    ["OperationCategory", "Operation categories"],
    ["ActorType", "Actor types"],
    ["AttributionConfidence", "Attribution confidence"],
  ];
  let html = "";
  for (const [name, title] of titles) {
    const info = enums.get(name);
    if (!info) continue;
    html += `<h3>${title} <span class="muted">(<code>${name}</code>)</span></h3>`;
    if (info.description) html += `<p>${esc(info.description)}</p>`;
    html += `<dl class="vocab" data-enum="${name}">${info.enumValues.map((v) => `<dt>${esc(v.name)}</dt><dd>${esc(v.description ?? "")}</dd>`).join("")}</dl>`;
  }
  const field = scale.__type.fields.find((f) => f.name === "breakoutScale");
  const levels = scale.operationStats.by.buckets
    .filter((b) => b.kind === "VALUE")
    .sort((a, b) => Number(a.key) - Number(b.key))
    .map((b) => `<li>Level ${esc(b.key)}: ${b.count} operation${b.count === 1 ? "" : "s"}</li>`)
    .join("");
  html += `<h3>The Breakout Scale <span class="muted">(<code>Operation.breakoutScale</code>)</span></h3><p>${esc(field?.description ?? "")}</p>`;
  if (levels) html += `<p>Ratings in the dataset:</p><ul>${levels}</ul>`;
  document.getElementById("vocabularies")!.innerHTML = html;
}

function showCitation(d: Dataset | null): void {
  const licence = d?.licence ?? d?.license;
  const citation = d?.citation
    ? `<pre data-field="citation">${esc(d.citation)}</pre>`
    : `<p>Cite the dataset by name, the date you queried it and its content hash${d ? ` (<code class="hash">${esc(d.contentHash)}</code>)` : ""}, which identifies exactly the facts you used: two databases with the same hash hold the same facts.</p>`;
  document.getElementById("cite")!.innerHTML =
    citation +
    (licence
      ? `<p>Licence: ${esc(licence)}</p>`
      : `<p>The service's code is under the MIT licence (package.json). The facts come from the publishers' reports cited with every record; quoted statements remain their speakers' words.</p>`);
}

loadDataset().then(showCitation, (error) => {
  showError("dataset", error);
  showCitation(null);
});
loadReports().catch((error) => showError("reports", error));
loadVocabularies().catch((error) => showError("vocabularies", error));
