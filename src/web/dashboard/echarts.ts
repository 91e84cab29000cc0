// ECharts, tree-shaken to the parts the dashboard draws: bars, a heatmap, and their axes, tooltips,
// legend, colour scale and the aria description of each chart.
import * as echarts from "echarts/core";
import { BarChart, HeatmapChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, HeatmapChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export { echarts };
export type { EChartsCoreOption } from "echarts/core";
