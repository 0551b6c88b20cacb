// Where the water sections and the monitoring stations are, and what
// serves what (issue 14): the city map of the water overview (sections by
// class, counties by an indicator) and of the stations page (stations by
// state), and the links between a section and the stations that feed it.
// The link is the section's stations column, read by the server
// (GET /api/water/sections served_by, GET /api/stations serves).
import { t } from './i18n.js';
import { api } from './api.js';
import { esc } from './ui.js';
import { mountMap } from './map.js';

// A county's share of passes as a fill: all, some, none.
const SHARE_COLOURS = { all: '#a8dcb5', some: '#ffe08a', none: '#f5a9a0' };
// Station states, as the stations page's lights (style.css .light-*).
const STATE_COLOURS = { online: '#2e8b57', offline: '#7f8c8d', alarm: '#c0392b' };

// The geo features imported with `qingshui geo import`, for the map.
async function mapLines() {
  return (await api('/api/geo')).features;
}

// Sections with an open alarm, by id.
async function alarmedSections() {
  const alarms = await api('/api/water/alarms?state=open');
  return new Set(alarms.map((a) => a.section_id));
}

// Counties filled by the share of RESULTS ([{county, pass}]) that passed.
function countiesByShare(results, word) {
  const byCounty = new Map();
  for (const r of results) {
    const c = byCounty.get(r.county) || { n: 0, pass: 0 };
    c.n += 1;
    c.pass += r.pass ? 1 : 0;
    byCounty.set(r.county, c);
  }
  return [...byCounty].map(([name, c]) => ({
    name, color: SHARE_COLOURS[c.pass === c.n ? 'all' : c.pass ? 'some' : 'none'],
    detail: t(word, { pass: c.pass, n: c.n }),
  }));
}

// The indicators the counties can be coloured by, for the overview's MONTH.
const INDICATORS = {
  compliance: async (overview) => countiesByShare(overview.sections
    .filter((s) => s.month_result?.compliance)
    .map((s) => ({ county: s.county, pass: s.month_result.compliance.met })), 'map.share.compliance'),
  assessment: async (overview) => countiesByShare(
    (await api(`/api/water/monthly?month=${encodeURIComponent(overview.month)}`)).rows, 'map.share.assessment'),
};

function shareLegend() {
  return [['all', 'map.key.all'], ['some', 'map.key.some'], ['none', 'map.key.none']]
    .map(([k, label]) => ({ color: SHARE_COLOURS[k], label: t(label) }));
}

// The water overview's map in BOX: OVERVIEW's sections (GET /api/water/overview)
// as dots of their month's class in COLOURS (the national class colours of
// water.js, whose classText names a class), a red ring on an open alarm;
// counties by the chosen indicator.
export async function mountSectionsMap(box, overview, { colours, classText }) {
  box.innerHTML = `<div class="map-head"><h2>${t('map.sections')}</h2>
    <label>${t('map.colour_by')} <select id="map-indicator">${Object.keys(INDICATORS).map((k) =>
      `<option value="${k}">${t(`map.by.${k}`)}</option>`).join('')}</select></label></div><div id="sections-map"></div>`;
  const [lines, alarmed] = await Promise.all([mapLines(), alarmedSections()]);
  const points = overview.sections.map((s) => {
    const cls = s.month_result?.class || 0;
    return { name: s.name, lon: s.lon, lat: s.lat, color: colours[cls], alarm: alarmed.has(s.id),
      href: `/water/sections/${s.id}`,
      detail: `${s.river} · ${cls ? classText(cls) : t('water.no_data')}${alarmed.has(s.id) ? ` · ${t('map.alarm')}` : ''}` };
  });
  const select = box.querySelector('#map-indicator');
  const counties = () => INDICATORS[select.value](overview);
  const map = await mountMap(box.querySelector('#sections-map'), { points, lines, counties: await counties(),
    legend: shareLegend(), note: unplacedNote(points, 'map.unplaced') });
  select.addEventListener('change', async () => map.update({ counties: await counties() }));
  return map;
}

// "N are not on the map" for POINTS without coordinates (WORD says what), or ''.
function unplacedNote(points, word) {
  const n = points.filter((p) => p.lon == null || p.lat == null).length;
  return n ? t(word, { n }) : '';
}

// A station's place: its own coordinates, else its section's (marked).
function stationPlace(s) {
  if (s.lon != null && s.lat != null) return { lon: s.lon, lat: s.lat, borrowed: false };
  const sec = (s.serves || []).find((x) => x.lon != null && x.lat != null);
  return sec ? { lon: sec.lon, lat: sec.lat, borrowed: true } : { lon: null, lat: null, borrowed: false };
}

async function stationPoints(list) {
  const alarmed = await alarmedSections();
  return list.stations.map((s) => {
    const alarm = (s.serves || []).some((x) => alarmed.has(x.id));
    const place = stationPlace(s);
    const state = alarm ? 'alarm' : s.online ? 'online' : 'offline';
    const detail = [t(s.online ? 'stations.online' : 'stations.offline'), alarm ? t('map.alarm') : '',
      place.borrowed ? t('map.place_of_section') : ''].filter(Boolean).join(' · ');
    return { name: s.name, lon: place.lon, lat: place.lat, color: STATE_COLOURS[state], alarm,
      href: `/stations/${s.id}`, detail };
  });
}

function stateLegend() {
  return [['online', 'stations.online'], ['offline', 'stations.offline'], ['alarm', 'map.alarm']]
    .map(([k, label]) => ({ color: STATE_COLOURS[k], label: t(label) }));
}

// The stations page's map in EL: LIST (GET /api/stations) by state. The
// handle's refresh(list) redraws the dots with a newer list.
export async function mountStationsMap(el, list) {
  const [lines, points] = await Promise.all([mapLines(), stationPoints(list)]);
  const map = await mountMap(el, { points, lines, legend: stateLegend(), note: unplacedNote(points, 'map.unplaced_stations') });
  map.refresh = async (next) => {
    const now = await stationPoints(next);
    map.update({ points: now, note: unplacedNote(now, 'map.unplaced_stations') });
  };
  return map;
}

// "监测站: A, B" for a section page (links to the stations), into EL.
export async function showSectionStations(el, sectionId) {
  const section = (await api('/api/water/sections')).find((s) => String(s.id) === String(sectionId));
  const stations = section?.served_by || [];
  el.innerHTML = `${t('place.served_by')}: ${stations.length ? stations.map((s) =>
    `<a href="/stations/${s.id}" data-link class="served-by">${esc(s.name)}</a> <code class="sub">${esc(s.mn)}</code>`).join('、') : t('common.none')}${
    section?.lon != null ? ` · ${t('place.position', { lon: section.lon, lat: section.lat })}` : ''}`;
}

// "服务断面: X" for a station page header: links to what station S serves.
export function servesLine(s) {
  const serves = s.serves || [];
  return `<p class="meta" id="station-serves">${t('place.serves')}: ${serves.length ? serves.map((x) =>
    `<a href="/water/sections/${x.id}" data-link class="serves">${esc(x.name)}</a>`).join('、') : t('common.none')}</p>`;
}
