import { echarts } from "./echarts";
import type { EChartsCoreOption } from "./echarts";
import { esc, gql, playgroundLink } from "../shared/gql";
import type { Split } from "./filters";

interface Bucket {
  key: string;
  label: string;
  kind: string;
  count: number;
}

/** A chart's data: its own query defines the response's shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ChartData = any;

/** What a chart needs: its GraphQL document, how to draw the answer, and the data as table rows. */
interface ChartSpec {
  id: string;
  title: string;
  query: (split: Split) => string;
  draw: (
    data: ChartData,
    split: Split,
  ) => {
    option: EChartsCoreOption;
    height?: number;
    /** What one count stands for, said under the chart: a reader must not add up what overlaps. */
    note: string;
    table: { head: string[]; rows: { key: string; cells: (string | number)[] }[] };
  };
}

const BUCKETS = "buckets { key label kind count }";

/** Twelve distinct series colours (Tableau 10 plus two), so no two splits share one. */
const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1b3a5c", "#8c6d00"];

/** How a multi-valued dimension's bars relate to the operations selected. */
function overlapNote(values: string, denominator: number): string {
  return `Each bar counts distinct operations. An operation with several ${values} counts once in each, so the bars can add up to more than the ${denominator} operations selected.`;
}

function byDimension(id: string, title: string, dimension: string, limit: number, values: string): ChartSpec {
  return {
    id,
    title,
    query: () =>
      `query ${id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}($filter: OperationFilter) {\n  operationStats(filter: $filter) {\n    by(dimension: ${dimension}, limit: ${limit}) { denominator ${BUCKETS} }\n  }\n}`,
    draw: (data) => {
      const buckets: Bucket[] = data.operationStats.by.buckets;
      const shown = [...buckets].reverse(); // largest at the top of a horizontal bar chart
      return {
        note: overlapNote(values, data.operationStats.by.denominator),
        option: {
          grid: { left: 8, right: 32, top: 8, bottom: 8 },
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          xAxis: { type: "value", minInterval: 1 },
          yAxis: { type: "category", data: shown.map((b) => b.label), axisLabel: { width: 160, overflow: "truncate" } },
          series: [
            { type: "bar", name: "Operations", data: shown.map((b) => b.count), itemStyle: { color: "#1a5fb4" }, label: { show: true, position: "right" } },
          ],
        },
        table: { head: [title.replace(/^By /, ""), "Operations"], rows: buckets.map((b) => ({ key: b.key, cells: [b.label, b.count] })) },
      };
    },
  };
}

const overTime: ChartSpec = {
  id: "over-time",
  title: "Per quarter of first disclosure",
  query: (split) =>
    `query OperationsPerQuarter($filter: OperationFilter) {\n  operationStats(filter: $filter) {\n    overTime(interval: QUARTER, dateAxis: FIRST_DISCLOSED, splitBy: ${split}) {\n      undated\n      buckets { start count splits { key label count } }\n    }\n  }\n}`,
  draw: (data, split) => {
    const buckets: { start: string; count: number; splits: { key: string; label: string; count: number }[] }[] = data.operationStats.overTime.buckets;
    const quarter = (start: string) => `${start.slice(0, 4)}-Q${Math.floor(Number(start.slice(5, 7)) / 3) + 1}`;
    const keys = new Map<string, string>();
    for (const b of buckets) for (const s of b.splits) keys.set(s.key, s.label);
    const series = [...keys].map(([key, label]) => ({
      type: "bar",
      stack: "total",
      name: label,
      data: buckets.map((b) => b.splits.find((s) => s.key === key)?.count ?? 0),
    }));
    return {
      note:
        split === "CATEGORY"
          ? "Each bar counts the distinct operations first disclosed in the quarter. An operation with several categories counts in each, so a bar's segments can add up to more than its total."
          : "Each bar counts the distinct operations first disclosed in the quarter, split by the publisher of that first disclosure; an operation first disclosed by two publishers the same day counts under both.",
      option: {
        grid: { left: 8, right: 16, top: 56, bottom: 24 },
        legend: { type: "scroll", top: 0 },
        color: PALETTE,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "category", data: buckets.map((b) => quarter(b.start)) },
        yAxis: { type: "value", minInterval: 1 },
        series,
      },
      table: {
        head: ["Quarter", "Operations", ...[...keys.values()].map((l) => `${split === "CATEGORY" ? "Category" : "Publisher"}: ${l}`)],
        rows: buckets.map((b) => ({
          key: quarter(b.start),
          cells: [quarter(b.start), b.count, ...[...keys.keys()].map((k) => b.splits.find((s) => s.key === k)?.count ?? 0)],
        })),
      },
    };
  },
};

const heatmap: ChartSpec = {
  id: "origin-by-category",
  title: "Origin country by category",
  query: () =>
    `query OriginByCategory($filter: OperationFilter) {\n  operationStats(filter: $filter) {\n    crossTab(rows: ORIGIN_COUNTRY, columns: CATEGORY) {\n      grandTotal\n      rows { key label count }\n      columns { key label count }\n      cells { row column count }\n    }\n  }\n}`,
  draw: (data) => {
    const tab = data.operationStats.crossTab as { rows: Bucket[]; columns: Bucket[]; cells: { row: string; column: string; count: number }[] };
    const rows = [...tab.rows].reverse();
    const rowIndex = new Map(rows.map((r, i) => [r.key, i]));
    const colIndex = new Map(tab.columns.map((c, i) => [c.key, i]));
    const max = Math.max(1, ...tab.cells.map((c) => c.count));
    return {
      height: Math.max(300, rows.length * 24 + 240), // one readable row per origin
      note: `Each cell counts distinct operations with that origin and category; an operation with two origins or categories counts in each of its cells. ${data.operationStats.crossTab.grandTotal} operations in all.`,
      option: {
        grid: { left: 8, right: 16, top: 8, bottom: 120 },
        tooltip: { position: "top" },
        xAxis: { type: "category", data: tab.columns.map((c) => c.label), axisLabel: { rotate: 35, interval: 0 } },
        yAxis: { type: "category", data: rows.map((r) => r.label) },
        visualMap: {
          min: 0,
          max,
          calculable: false,
          orient: "horizontal",
          left: "center",
          bottom: 0,
          itemHeight: 80,
          // The legend's ends say what the colours count.
          text: [`${max} operations`, "0"],
          inRange: { color: ["#e8f0fe", "#0b3d91"] },
        },
        series: [
          {
            type: "heatmap",
            name: "Operations",
            data: tab.cells.map((c) => [colIndex.get(c.column), rowIndex.get(c.row), c.count]),
            label: { show: true },
          },
        ],
      },
      table: {
        head: ["Origin", ...tab.columns.map((c) => c.label)],
        rows: tab.rows.map((r) => ({
          key: r.key,
          cells: [r.label, ...tab.columns.map((c) => tab.cells.find((x) => x.row === r.key && x.column === c.key)?.count ?? 0)],
        })),
      },
    };
  },
};

/** The dashboard's charts, in page order; each is one GraphQL query over the same OperationFilter. */
export const CHARTS: ChartSpec[] = [
  byDimension("by-origin", "By origin country", "ORIGIN_COUNTRY", 15, "origin countries"),
  byDimension("by-category", "By category", "CATEGORY", 20, "categories"),
  byDimension("by-ai-tool", "By AI tool", "AI_TOOL", 10, "AI tools"),
  byDimension("by-platform", "By platform", "PLATFORM", 10, "platforms"),
  byDimension("by-publisher", "By publisher", "PUBLISHER", 10, "disclosing publishers"),
  overTime,
  heatmap,
];

const instances = new Map<string, ReturnType<typeof echarts.init>>();

/** Lays out one panel per chart: title, drawing, data table, query and playground link. */
export function layoutCharts(container: HTMLElement): void {
  container.innerHTML = CHARTS.map(
    (c) => `<section class="chart${c.id === "over-time" || c.id === "origin-by-category" ? " wide" : ""}" id="${c.id}" aria-labelledby="${c.id}-title">
  <h2 id="${c.id}-title">${esc(c.title)}</h2>
  <p class="counts" id="${c.id}-counts"></p>
  <div class="canvas" role="img" aria-labelledby="${c.id}-title" aria-describedby="${c.id}-table"></div>
  <details class="data"><summary>Data table</summary><div id="${c.id}-table" class="table-wrap"></div></details>
  <details class="query"><summary>GraphQL query</summary><pre><code></code></pre></details>
  <p class="open"><a class="playground-link" href="/graphql">Open this query in the playground</a></p>
</section>`,
  ).join("");
  const resize = () => instances.forEach((chart) => chart.resize());
  window.addEventListener("resize", resize);
}

function renderTable(spec: ChartSpec, table: { head: string[]; rows: { key: string; cells: (string | number)[] }[] }): string {
  const head = table.head.map((h, i) => `<th scope="col"${i > 0 ? ' class="num"' : ""}>${esc(h)}</th>`).join("");
  const body = table.rows
    .map(
      (r) =>
        `<tr data-key="${esc(r.key)}">${r.cells.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td class="num" data-count>${esc(c)}</td>`)).join("")}</tr>`,
    )
    .join("");
  return `<table><caption>${esc(spec.title)}: operations</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/**
 * Runs every chart's query for the filter and redraws it; resolves when all are drawn. Each panel shows
 * its exact document and variables, and links them into the playground.
 */
export async function updateCharts(filter: Record<string, unknown>, split: Split): Promise<void> {
  const variables = { filter };
  await Promise.all(
    CHARTS.map(async (spec) => {
      const panel = document.getElementById(spec.id)!;
      const query = spec.query(split);
      panel.querySelector("pre code")!.textContent = `${query}\n\n# variables\n${JSON.stringify(variables, null, 2)}`;
      panel.querySelector<HTMLAnchorElement>("a.playground-link")!.href = playgroundLink(query, variables);
      const canvas = panel.querySelector<HTMLElement>(".canvas")!;
      try {
        const data = await gql(query, variables);
        const { option, table, height, note } = spec.draw(data, split);
        panel.querySelector(".counts")!.textContent = note;
        if (height) canvas.style.height = `${height}px`;
        let chart = instances.get(spec.id);
        if (!chart) {
          chart = echarts.init(canvas, undefined, { renderer: "svg" });
          instances.set(spec.id, chart);
        }
        chart.setOption({ aria: { enabled: true }, animation: false, ...option }, { notMerge: true });
        chart.resize();
        panel.querySelector(".table-wrap")!.innerHTML = table.rows.length ? renderTable(spec, table) : `<p>No operations match.</p>`;
        panel.querySelector(".error")?.remove();
      } catch (error) {
        panel.querySelector(".error")?.remove();
        canvas.insertAdjacentHTML("beforebegin", `<p class="error" role="alert">${esc((error as Error).message)}</p>`);
        throw error;
      }
    }),
  );
}
