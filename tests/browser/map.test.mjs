// Browser test of the city map (web/map.js) at 1366 px and 390 px: the
// water overview draws Shiyan's 8 county-level divisions (decoded from the
// package's compressed GeoJSON), a dot for every section with coordinates,
// an imported river, counties coloured by an indicator that can be
// switched; a click on a dot opens the section, whose page links to the
// station that serves it, whose page links back. The stations page draws
// its stations (one placed at the section it serves) and a click opens
// one. Checked through the ECharts instance's option, not pixels; the
// browser clock is fixed. Screenshots go to tests/output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { output, makeDatabase, startServer, launchBrowser, ready, signIn } from './harness.mjs';

const env = { ...process.env, QINGSHUI_PWHASH: 'min' };
const COUNTIES = ['丹江口市', '张湾区', '房县', '竹山县', '竹溪县', '茅箭区', '郧西县', '郧阳区'];
// a desk with a mouse, a phone with a touch screen (the map does not pan there)
const VIEWPORTS = [{ width: 1366, height: 900 }, { width: 390, height: 844, touch: true }];
let database, server, base, browser, adminPassword;

before(async () => {
  database = makeDatabase(env);
  database.run(['water', 'sections', 'data/water/sections_demo.csv']);
  database.run(['water', 'import', 'data/water/readings_2025-11.csv']);
  // 羊尾's station with its own place, 陈家坡's without one
  database.run(['station', 'add', '--mn', 'SIM0001_000001', '--password', 'pw-123456', '--st', '21',
    '--name', '羊尾自动站', '--lon', '110.14', '--lat', '32.85']);
  database.run(['station', 'add', '--mn', 'SIM0001_000002', '--password', 'pw-123456', '--st', '21', '--name', '陈家坡自动站']);
  // and an outlet that is nowhere
  database.run(['station', 'add', '--mn', 'QUIET_01', '--password', 'pw-123456', '--st', '32', '--name', '静默排口', '--kind', 'outlet']);
  const river = join(database.dir, 'rivers.geojson');
  writeFileSync(river, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: '神定河' },
    geometry: { type: 'LineString', coordinates: [[110.78, 32.60], [110.77, 32.70], [110.76, 32.81]] } }] }));
  database.run(['geo', 'import', river]);
  adminPassword = readFileSync(`${database.db}.admin-password`, 'utf8').trim();
  ({ proc: server, url: base } = await startServer(database.db, env));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  database?.remove();
});

// The map's ECharts option and what is drawn, read from the instance in EL.
function mapState(page, selector) {
  return page.evaluate((sel) => {
    const chart = window.echarts.getInstanceByDom(document.querySelector(`${sel} .city-map-canvas`));
    const o = chart.getOption();
    const series = (id) => o.series.find((s) => s.id === id).data;
    const features = window.echarts.getMap('十堰').geoJSON.features;
    const numbers = features.flatMap((f) => f.geometry.coordinates.flat(Infinity));
    const numeric = numbers.length > 1000 && numbers.every((x) => Number.isFinite(x));
    const lons = numbers.filter((_, i) => i % 2 === 0);
    return {
      map: o.geo[0].map, roam: o.geo[0].roam, counties: series('counties').map((c) => c.name).sort(), details: series('counties').map((c) => c.detail),
      regions: o.geo[0].regions.map((r) => r.name), lines: series('lines').map((l) => l.name),
      points: series('points').map((p) => ({ name: p.name, value: p.value, href: p.href, color: p.itemStyle.color })),
      numeric, lonRange: [Math.min(...lons), Math.max(...lons)],
    };
  }, selector);
}

// Click the dot named NAME on the map in SELECTOR, where ECharts drew it.
async function clickPoint(page, selector, name) {
  const at = await page.evaluate(([sel, n]) => {
    const el = document.querySelector(`${sel} .city-map-canvas`);
    const chart = window.echarts.getInstanceByDom(el);
    const p = chart.getOption().series.find((s) => s.id === 'points').data.find((d) => d.name === n);
    const [x, y] = chart.convertToPixel({ seriesId: 'points' }, p.value);
    const box = el.getBoundingClientRect();
    return { x: box.left + x, y: box.top + y };
  }, [selector, name]);
  await page.mouse.click(at.x, at.y);
}

async function newPage(viewport) {
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height },
    hasTouch: !!viewport.touch, isMobile: !!viewport.touch, timezoneId: 'Asia/Shanghai' });
  await context.clock.setFixedTime(new Date('2025-11-20T10:00:00+08:00'));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { context, page, errors };
}

for (const viewport of VIEWPORTS) {
  test(`water map at ${viewport.width} px: counties, sections, river, indicator, click through to the station and back`, async () => {
    const { context, page, errors } = await newPage(viewport);
    await signIn(page, base, 'admin', adminPassword);
    await page.goto(`${base}/water`);
    await ready(page, '/water');
    const s = await mapState(page, '#water-map');
    assert.equal(s.map, '十堰');
    assert.equal(s.roam, !viewport.touch);
    assert.deepEqual(s.counties, [...COUNTIES].sort());
    assert.ok(s.numeric, 'the compressed county outlines are decoded into numbers');
    assert.ok(s.lonRange[0] > 109.4 && s.lonRange[1] < 111.7, `Shiyan's longitudes, not ${s.lonRange}`);
    assert.equal(s.points.length, 16, 'every demo section has coordinates');
    const yangwei = s.points.find((p) => p.name === '羊尾');
    assert.deepEqual(yangwei.value, [110.13, 32.84]);
    assert.match(yangwei.href, /^\/water\/sections\/\d+$/);
    assert.equal(yangwei.color, '#00CCFF', '羊尾 is class Ⅱ in 2025-11, in the national class colour');
    assert.deepEqual(s.lines, ['神定河']);
    assert.ok(s.regions.includes('郧西县') && s.details.some((d) => /^达标 \d+\/\d+ 个断面$/.test(d)), s.details.join());
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
    await page.locator('#water-map').screenshot({ path: join(output, `map-water-${viewport.width}.png`) });

    await page.selectOption('#map-indicator', 'assessment');
    await page.waitForFunction(() => window.echarts.getInstanceByDom(document.querySelector('#water-map .city-map-canvas'))
      .getOption().series[0].data.some((c) => c.detail.startsWith('考核合格')));

    await clickPoint(page, '#water-map', '羊尾');
    await page.waitForFunction(() => /^\/water\/sections\/\d+/.test(document.body.dataset.ready));
    assert.equal(await page.locator('h1').innerText(), '羊尾');
    const station = page.locator('#section-stations a.served-by');
    assert.equal(await station.innerText(), '羊尾自动站');
    await station.click();
    await page.waitForSelector('#station-serves');
    assert.match(await page.evaluate(() => location.pathname), /^\/stations\/\d+$/);
    await page.locator('#station-serves a.serves', { hasText: '羊尾' }).click();
    await page.waitForFunction(() => /^\/water\/sections\/\d+/.test(document.body.dataset.ready));
    assert.equal(await page.locator('h1').innerText(), '羊尾');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`stations map at ${viewport.width} px: stations by state, placed at their section when they have no place`, async () => {
    const { context, page, errors } = await newPage(viewport);
    await signIn(page, base, 'admin', adminPassword);
    await page.goto(`${base}/stations`);
    await ready(page, '/stations');
    const s = await mapState(page, '#stations-map');
    assert.deepEqual(s.counties, [...COUNTIES].sort());
    const byName = Object.fromEntries(s.points.map((p) => [p.name, p]));
    assert.deepEqual(Object.keys(byName).sort(), ['羊尾自动站', '陈家坡自动站']);
    assert.deepEqual(byName['羊尾自动站'].value, [110.14, 32.85]);
    assert.deepEqual(byName['陈家坡自动站'].value, [110.58, 32.84], 'placed at 陈家坡');
    // no packet ever came: offline, or alarmed where the section has an open alarm
    for (const p of s.points) assert.ok(['#7f8c8d', '#c0392b'].includes(p.color), p.color);
    assert.equal(await page.locator('#stations-map .map-note').innerText(), '1 个监测站既无坐标也未服务有坐标的断面，未在图上标出');
    await page.locator('#stations-map').screenshot({ path: join(output, `map-stations-${viewport.width}.png`) });
    await clickPoint(page, '#stations-map', '陈家坡自动站');
    await page.waitForSelector('#station-serves');
    assert.equal(await page.locator('h1').innerText(), '陈家坡自动站');
    assert.equal(await page.locator('#station-serves a.serves').innerText(), '陈家坡');
    await page.click('#lang-toggle');
    await page.waitForFunction(() => document.getElementById('station-serves')?.innerText.startsWith('Serves: '));
    await page.goBack();
    await ready(page, '/stations');
    assert.match(await page.locator('#stations-map .map-legend').innerText(), /Online[\s\S]*Offline[\s\S]*Open alarm/);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
