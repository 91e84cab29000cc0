import { esc, gql } from "../shared/gql";
import { enumsFromSchema } from "../shared/schema";

/** The dashboard's filters: the page state, kept in the URL's query string so a link shares the view. */
export interface Filters {
  originCountry: string[];
  targetCountry: string[];
  category: string[];
  actorType: string[];
  publisher: string[];
  disclosedFrom: string;
  disclosedTo: string;
  /** Words to search for (`OperationFilter.text`), offered only where the schema has it. */
  text: string;
}

/** How the time series is split. */
export type Split = "CATEGORY" | "PUBLISHER";

/** URL parameter for each filter field (short, readable in a shared link). */
const PARAMS: Record<keyof Filters, string> = {
  originCountry: "origin",
  targetCountry: "target",
  category: "category",
  actorType: "actorType",
  publisher: "publisher",
  disclosedFrom: "from",
  disclosedTo: "to",
  text: "q",
};

/** Whether the running schema's OperationFilter takes `text` (full-text search); set by buildForm. */
let textSearch = false;
const LISTS = ["originCountry", "targetCountry", "category", "actorType", "publisher"] as const;

/** Reads the filters and the split from a query string (`?origin=CN,RU&category=SCAM&from=2025-01-01`). */
export function readUrl(search: string): { filters: Filters; split: Split } {
  const params = new URLSearchParams(search);
  const list = (name: string) =>
    (params.get(name) ?? "")
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
  const filters = {} as Filters;
  for (const field of LISTS) filters[field] = list(PARAMS[field]);
  filters.disclosedFrom = params.get(PARAMS.disclosedFrom) ?? "";
  filters.disclosedTo = params.get(PARAMS.disclosedTo) ?? "";
  filters.text = params.get(PARAMS.text) ?? "";
  return { filters, split: params.get("split") === "PUBLISHER" ? "PUBLISHER" : "CATEGORY" };
}

/** Writes the filters and the split into a query string; empty filters are left out. */
export function writeUrl(filters: Filters, split: Split): string {
  const params = new URLSearchParams();
  for (const field of LISTS) if (filters[field].length) params.set(PARAMS[field], filters[field].join(","));
  if (filters.disclosedFrom) params.set(PARAMS.disclosedFrom, filters.disclosedFrom);
  if (filters.disclosedTo) params.set(PARAMS.disclosedTo, filters.disclosedTo);
  if (filters.text) params.set(PARAMS.text, filters.text);
  if (split !== "CATEGORY") params.set("split", split);
  const text = params.toString().replace(/%2C/g, ",");
  return text ? `?${text}` : "";
}

/** The OperationFilter the API takes for these filters (only the fields that are set). */
export function toOperationFilter(filters: Filters): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const field of LISTS) if (filters[field].length) filter[field] = filters[field];
  if (filters.disclosedFrom) filter.disclosedFrom = filters.disclosedFrom;
  if (filters.disclosedTo) filter.disclosedTo = filters.disclosedTo;
  if (filters.text.trim() && textSearch) filter.text = filters.text.trim();
  return filter;
}

interface Option {
  value: string;
  label: string;
  title?: string;
}

interface Bucket {
  key: string;
  label: string;
  kind: string;
  count: number;
}

/** A vocabulary value as a reader reads it ("STATE_LINKED" -> "State linked"), for a value no operation has yet. */
const sentenceCase = (value: string) => value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, " ");

/**
 * The choices for each filter, each labelled with how many operations it holds (of all of them):
 * countries and publishers that occur in the data; every category and actor type the schema's
 * codebook lists, in its order, labelled as the statistics label it and described (on hover) by
 * the enum value's description. A value no operation has yet shows (0).
 */
async function loadOptions(): Promise<Record<string, Option[]>> {
  const dims = `buckets { key label kind count }`;
  const by = (name: string, dimension: string) => `${name}: by(dimension: ${dimension}, limit: 500, includeOther: false) { ${dims} }`;
  const [stats, enums] = await Promise.all([
    gql<{ operationStats: Record<string, { buckets: Bucket[] }> }>(
      `{ operationStats { ${by("origin", "ORIGIN_COUNTRY")} ${by("target", "TARGET_COUNTRY")} ${by("publisher", "PUBLISHER")} ${by("category", "CATEGORY")} ${by("actorType", "ACTOR_TYPE")} } }`,
    ).then((d) => d.operationStats),
    enumsFromSchema(["OperationCategory", "ActorType"]),
  ]);
  const fromBuckets = (name: string): Option[] =>
    stats[name].buckets
      .filter((b) => b.kind === "VALUE")
      .map((b) => ({ value: b.key, label: `${b.label} (${b.count})` }))
      .sort((a, b) => a.label.localeCompare(b.label));
  const fromEnum = (name: string, statsName: string): Option[] => {
    const buckets = new Map(stats[statsName].buckets.filter((b) => b.kind === "VALUE").map((b) => [b.key, b]));
    return (enums.get(name)?.enumValues ?? []).map((v) => {
      const bucket = buckets.get(v.name);
      return { value: v.name, label: `${bucket?.label ?? sentenceCase(v.name)} (${bucket?.count ?? 0})`, title: v.description ?? undefined };
    });
  };
  return {
    originCountry: fromBuckets("origin"),
    targetCountry: fromBuckets("target"),
    publisher: fromBuckets("publisher"),
    category: fromEnum("OperationCategory", "category"),
    actorType: fromEnum("ActorType", "actorType"),
  };
}

const LABELS: Record<(typeof LISTS)[number], string> = {
  originCountry: "Origin country",
  targetCountry: "Target country",
  category: "Category",
  actorType: "Actor type",
  publisher: "Publisher",
};

/**
 * Builds the filter form (labelled multi-selects, date inputs, the split choice) and calls `onChange`
 * with the new state whenever a control changes. Returns a function that sets the controls to a state.
 */
export async function buildForm(form: HTMLFormElement, onChange: (filters: Filters, split: Split) => void): Promise<(filters: Filters, split: Split) => void> {
  const [options, filterType] = await Promise.all([
    loadOptions(),
    gql<{ __type: { inputFields: { name: string }[] } | null }>(`{ __type(name: "OperationFilter") { inputFields { name } } }`),
  ]);
  textSearch = (filterType.__type?.inputFields ?? []).some((f) => f.name === "text");
  let html = "";
  if (textSearch) {
    html += `<div class="control search"><label for="f-text">Search names, aliases and summaries</label><input type="search" id="f-text" name="text" placeholder="e.g. Kimsuky" /></div>`;
  }
  for (const field of LISTS) {
    html += `<div class="control"><label for="f-${field}">${LABELS[field]}</label><select id="f-${field}" name="${field}" multiple size="6" aria-describedby="multi-hint">`;
    html += options[field].map((o) => `<option value="${esc(o.value)}"${o.title ? ` title="${esc(o.title)}"` : ""}>${esc(o.label)}</option>`).join("");
    html += `</select></div>`;
  }
  html += `<div class="control dates"><label for="f-disclosedFrom">Disclosed from</label><input type="date" id="f-disclosedFrom" name="disclosedFrom" />`;
  html += `<label for="f-disclosedTo">Disclosed to</label><input type="date" id="f-disclosedTo" name="disclosedTo" />`;
  html += `<label for="f-split">Split quarters by</label><select id="f-split" name="split"><option value="CATEGORY">category</option><option value="PUBLISHER">publisher</option></select>`;
  html += `<button type="button" id="f-clear" class="secondary">Clear filters</button></div>`;
  html += `<p id="multi-hint" class="muted hint">Choose several with Ctrl (⌘) or Shift; values within a filter are OR'ed, filters are AND'ed.</p>`;
  form.innerHTML = html;

  const read = (): { filters: Filters; split: Split } => {
    const filters = {} as Filters;
    for (const field of LISTS) filters[field] = Array.from((form.elements.namedItem(field) as HTMLSelectElement).selectedOptions, (o) => o.value);
    filters.disclosedFrom = (form.elements.namedItem("disclosedFrom") as HTMLInputElement).value;
    filters.disclosedTo = (form.elements.namedItem("disclosedTo") as HTMLInputElement).value;
    filters.text = (form.elements.namedItem("text") as HTMLInputElement | null)?.value ?? "";
    return { filters, split: (form.elements.namedItem("split") as HTMLSelectElement).value as Split };
  };
  const set = (filters: Filters, split: Split) => {
    for (const field of LISTS) {
      const select = form.elements.namedItem(field) as HTMLSelectElement;
      for (const option of Array.from(select.options)) option.selected = filters[field].includes(option.value);
    }
    (form.elements.namedItem("disclosedFrom") as HTMLInputElement).value = filters.disclosedFrom;
    (form.elements.namedItem("disclosedTo") as HTMLInputElement).value = filters.disclosedTo;
    const text = form.elements.namedItem("text") as HTMLInputElement | null;
    if (text) text.value = filters.text;
    (form.elements.namedItem("split") as HTMLSelectElement).value = split;
  };
  form.addEventListener("change", () => {
    const { filters, split } = read();
    onChange(filters, split);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.querySelector("#f-clear")!.addEventListener("click", () => {
    const empty = readUrl("").filters;
    set(empty, "CATEGORY");
    onChange(empty, "CATEGORY");
  });
  return set;
}
