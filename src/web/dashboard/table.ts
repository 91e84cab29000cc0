import { esc, gql, playgroundLink } from "../shared/gql";

/** The operations table's query: a page of 50 matching operations, newest disclosure first, with sources. */
export const OPERATIONS_QUERY = `query MatchingOperations($filter: OperationFilter, $after: String) {
  operations(first: 50, after: $after, filter: $filter, orderBy: { field: FIRST_DISCLOSED, direction: DESC }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      key name categories actorType firstDisclosedOn
      origins { country { code name } confidence }
      reports(first: 5) { nodes { title url publisher { name } } }
      sources { url kind }
    }
  }
}`;

interface OperationRow {
  key: string;
  name: string;
  categories: string[];
  actorType: string;
  firstDisclosedOn: string | null;
  origins: { country: { code: string; name: string }; confidence: string }[];
  reports: { nodes: { title: string; url: string; publisher: { name: string } }[] };
  sources: { url: string; kind: string }[];
}

const words = (value: string) => value.toLowerCase().replace(/_/g, " ");

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return url;
  }
}

/**
 * Shows the operations matching the filter, 50 at a time, with their disclosing reports and sources;
 * Previous/Next page with the connection's cursors. Returns the total count.
 */
export async function updateTable(container: HTMLElement, filter: Record<string, unknown>, cursors: (string | null)[] = [null]): Promise<number> {
  const after = cursors[cursors.length - 1];
  const variables = { filter, after };
  const data = await gql<{ operations: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: OperationRow[] } }>(
    OPERATIONS_QUERY,
    variables,
  );
  const { totalCount, pageInfo, nodes } = data.operations;
  const first = (cursors.length - 1) * 50 + 1;
  const rows = nodes
    .map(
      (op) => `<tr data-key="${esc(op.key)}">
  <th scope="row">${esc(op.name)}</th>
  <td>${op.categories.map(words).map(esc).join("; ")}</td>
  <td>${esc(words(op.actorType))}</td>
  <td>${op.origins.map((o) => `${esc(o.country.name)} <span class="muted">(${esc(words(o.confidence))})</span>`).join("; ") || '<span class="muted">none stated</span>'}</td>
  <td class="date">${esc(op.firstDisclosedOn ?? "")}</td>
  <td>${op.reports.nodes.map((r) => `<a href="${esc(r.url)}" rel="noopener noreferrer">${esc(r.publisher.name)}: ${esc(r.title)}</a>`).join("<br />")}</td>
  <td>${op.sources.map((s) => `<a href="${esc(s.url)}" rel="noopener noreferrer" title="${esc(s.kind)}">${esc(hostOf(s.url))}</a>`).join("<br />")}</td>
</tr>`,
    )
    .join("");
  container.innerHTML = `
<p><span id="operations-count">${totalCount}</span> operations match${totalCount ? `; showing ${first} to ${first + nodes.length - 1}` : ""}.
  <a href="${esc(playgroundLink(OPERATIONS_QUERY, variables))}">Open this query in the playground</a></p>
<div class="table-scroll"><table>
  <caption class="visually-hidden">Operations matching the filters, newest first disclosure first</caption>
  <thead><tr><th scope="col">Operation</th><th scope="col">Categories</th><th scope="col">Actor type</th><th scope="col">Origin (confidence)</th><th scope="col">First disclosed</th><th scope="col">Disclosed in</th><th scope="col">Sources</th></tr></thead>
  <tbody>${rows}</tbody>
</table></div>
<nav class="pager" aria-label="Operations pages">
  <button type="button" class="secondary" id="page-prev"${cursors.length > 1 ? "" : " disabled"}>Previous 50</button>
  <button type="button" class="secondary" id="page-next"${pageInfo.hasNextPage ? "" : " disabled"}>Next 50</button>
</nav>`;
  container.querySelector("#page-prev")!.addEventListener("click", () => void updateTable(container, filter, cursors.slice(0, -1)));
  container.querySelector("#page-next")!.addEventListener("click", () => void updateTable(container, filter, [...cursors, pageInfo.endCursor]));
  return totalCount;
}
