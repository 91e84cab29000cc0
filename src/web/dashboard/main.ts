import { esc } from "../shared/gql";
import { layoutCharts, updateCharts } from "./charts";
import { buildForm, readUrl, toOperationFilter, writeUrl } from "./filters";
import type { Filters, Split } from "./filters";
import { updateTable } from "./table";
import { linkDocs } from "../shared/nav";

const form = document.getElementById("filters") as HTMLFormElement;
const status = document.getElementById("status")!;
const charts = document.getElementById("charts")!;
const operations = document.getElementById("operations")!;

let generation = 0;

/**
 * Redraws every chart and the table for a state. `data-state` on <main> says "loading" or "ready" and
 * `data-generation` counts updates, so a reader (or a test) can tell when the page shows the state.
 */
async function show(filters: Filters, split: Split): Promise<void> {
  const mine = ++generation;
  const main = document.querySelector("main")!;
  main.dataset.state = "loading";
  status.textContent = "Updating…";
  const filter = toOperationFilter(filters);
  linkExports(filter);
  try {
    const [, total] = await Promise.all([updateCharts(filter, split), updateTable(operations, filter)]);
    if (mine !== generation) return;
    status.textContent = `${total} operation${total === 1 ? "" : "s"} match the filters.`;
  } catch (error) {
    if (mine !== generation) return;
    status.innerHTML = `<span class="error">${esc((error as Error).message)}</span>`;
  } finally {
    if (mine === generation) {
      main.dataset.state = "ready";
      main.dataset.generation = String(mine);
    }
  }
}

/**
 * Points the download links at the exports of the operations the filters select: the list exports
 * take the API's filter as JSON (`?filter=`), the STIX bundle one parameter per filter field.
 */
function linkExports(filter: Record<string, unknown>): void {
  const json = Object.keys(filter).length ? `?filter=${encodeURIComponent(JSON.stringify(filter))}` : "";
  const fields = new URLSearchParams(Object.entries(filter).map(([name, value]) => [name, Array.isArray(value) ? value.join(",") : String(value)])).toString();
  document.getElementById("export-csv")?.setAttribute("href", `/export/operations.csv${json}`);
  document.getElementById("export-ndjson")?.setAttribute("href", `/export/operations.ndjson${json}`);
  document.getElementById("export-stix")?.setAttribute("href", `/export/stix${fields ? `?${fields}` : ""}`);
}

async function start(): Promise<void> {
  linkDocs();
  layoutCharts(charts);
  const setForm = await buildForm(form, (filters, split) => {
    const search = writeUrl(filters, split);
    if (search !== window.location.search) history.pushState(null, "", `${window.location.pathname}${search}`);
    void show(filters, split);
  });
  const fromUrl = () => {
    const { filters, split } = readUrl(window.location.search);
    setForm(filters, split);
    void show(filters, split);
  };
  window.addEventListener("popstate", fromUrl);
  fromUrl();
}

start().catch((error) => {
  status.innerHTML = `<span class="error">The dashboard could not start: ${esc((error as Error).message)}</span>`;
});
