// The one chart helper of the web UI (issue 14, "charts that do not
// mislead"): every ECharts chart of the pages is mounted here, so that each
// resizes with its box (a ResizeObserver, for as long as the chart lives),
// is disposed of once the router has replaced its element, and plots time
// on a time axis with its gaps showing.
//
//   const c = await mountChart(el, option);   c.set(option); c.chart; c.dispose()
//   timeAxis()                      an x axis of type 'time'
//   withGaps(points, stepMs)        [[ms, value]] with a null point wherever
//                                   two neighbours are more than 1.5 steps apart
//   usualStep(points)               the median distance of neighbours (ms)
//   classBands(bands, direction, colours, names)   markArea data: a labelled
//                                   band per GB 3838 class
//   targetLine(value, label)        markLine data: the section's target
import { loadECharts } from './ui.js';

// Charts mounted and not yet disposed of.
const mounted = new Set();

function disposeDetached() {
  for (const c of mounted) if (!c.el.isConnected) c.dispose();
}

// Draw OPTION into EL; resolves to { el, chart, set(option), dispose() }.
export async function mountChart(el, option) {
  const echarts = await loadECharts();
  disposeDetached();
  const chart = echarts.init(el);
  const resize = new ResizeObserver(() => chart.resize());
  resize.observe(el);
  const handle = {
    el, chart,
    set: (next) => chart.setOption({ animation: false, ...next }, true),
    dispose: () => { resize.disconnect(); chart.dispose(); mounted.delete(handle); },
  };
  mounted.add(handle);
  handle.set(option);
  return handle;
}

// An x axis for time. useUTC in the option (see time.js chartTime) keeps
// China wall times as they are in every browser zone.
export function timeAxis(extra = {}) {
  return { type: 'time', axisLabel: { hideOverlap: true }, ...extra };
}

// POINTS ([[ms, value]], in time order) with [ms, null] between two whose
// distance is over 1.5 × STEP_MS, so that a line breaks (connectNulls
// false) where data is missing instead of joining across the gap.
export function withGaps(points, stepMs) {
  const out = [];
  if (!stepMs) return points;
  for (let k = 0; k < points.length; k++) {
    if (k && points[k][0] - points[k - 1][0] > 1.5 * stepMs) out.push([points[k - 1][0] + stepMs, null]);
    out.push(points[k]);
  }
  return out;
}

// The median distance in time of POINTS' neighbours ([[ms, …]]), for
// series whose step is not fixed (a station's packets); 0 for fewer than two.
export function usualStep(points) {
  const steps = points.slice(1).map((p, k) => p[0] - points[k][0]).sort((a, b) => a - b);
  return steps.length ? steps[Math.floor(steps.length / 2)] : 0;
}

// The GB 3838 class bands as markArea data. BANDS are the limits of
// classes Ⅰ… (as the trend API sends them); DIRECTION 'upper' (a value at
// most the limit: bands go up from 0), 'lower' (at least: dissolved
// oxygen, bands go down) or 'range' (pH: one band of the allowed range).
// COLOURS[k] and NAMES[k] are class k's colour and name.
export function classBands(bands, direction, colours, names) {
  const area = (from, to, k, name) => [
    { yAxis: from, name, itemStyle: { color: colours[k], opacity: 0.25 },
      label: { show: true, position: 'insideRight', color: '#345', fontSize: 11 } },
    { yAxis: to }];
  if (direction === 'range') return [area(bands[0], bands[1], 1, names.range)];
  if (direction === 'lower') {
    return bands.map((b, k) => area(b, k ? bands[k - 1] : b * 1.5, k + 1, names[k + 1]));
  }
  return bands.map((b, k) => area(k ? bands[k - 1] : 0, b, k + 1, names[k + 1]));
}

// The target as a labelled dashed line at VALUE (markLine data).
export function targetLine(value, label) {
  return [{ yAxis: value, name: label, lineStyle: { color: '#b00020', type: 'dashed', width: 1.5 },
    label: { formatter: label, position: 'insideStartTop', color: '#b00020' } }];
}
