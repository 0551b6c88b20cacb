// Water benchmark, DuckDB side (issue 4): the same monthly and annual
// evaluation of all sections as bench_water, done by DuckDB
// (@duckdb/node-api) over the same raw readings, with the ratios against
// qingshui's figures.
//
// bench_water generates the readings (one generator, so both sides see the
// same numbers to the last bit) and, with --csv, writes them out; this
// script runs it at the chosen size, keeps its figures, loads the CSV into a
// DuckDB table shaped like qingshui's water_reading (section, item, time,
// value), then times per period the means DuckDB computes (pH through the
// hydrogen-ion concentration, a year as the mean of its monthly means).
// Classes are not timed on the DuckDB side: the means go through
// `qingshui water classify` (the server's code) once, only to check that
// both sides reach the same classes (the checksums bench_water prints).
//
// Usage: node bench/bench_water_duckdb.mjs [--build DIR] [--sections N] [--years Y] [--runs R]
// Defaults: build-bench, 100 sections, 2 years (the issue's full size is --years 10), 5 runs.
import { DuckDBInstance } from '@duckdb/node-api';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const ITEMS = ['PH', 'DO', 'CODMN', 'NH3N', 'TP', 'TN'];
const FIRST_YEAR = 2016;

function options(argv) {
  const o = { build: 'build-bench', sections: 100, years: 2, runs: 5 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in o) || i + 1 >= argv.length) throw new Error(`usage: bench_water_duckdb.mjs [--build DIR] [--sections N] [--years Y] [--runs R] (not ${argv[i]})`);
    o[name] = name === 'build' ? argv[++i] : Number(argv[++i]);
  }
  return o;
}

// bench_water at this size, its output shown as it comes and kept.
function runQingshui(o, csv) {
  return new Promise((resolve, reject) => {
    const proc = spawn(join(o.build, 'bench', 'bench_water'),
      [o.build, '--sections', String(o.sections), '--years', String(o.years), '--csv', csv], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk) => { out += chunk; process.stdout.write(chunk); });
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`bench_water exited ${code}`))));
  });
}

// qingshui's figures from bench_water's output: milliseconds and checksums.
function figures(out) {
  const num = (re) => { const m = out.match(re); if (!m) throw new Error(`bench_water printed no ${re}`); return m.slice(1).map(Number); };
  const [monthMs, monthSum] = num(/\(b\) one month,.*?:\s+([\d.]+) ms\s+checksum (\d+)/);
  const [yearMs, yearSum] = num(/\(b\) one year ,.*?:\s+([\d.]+) ms\s+checksum (\d+)/);
  const [monthSqlMs] = num(/\(c\) one month,.*?:\s+([\d.]+) ms/);
  const [yearSqlMs] = num(/\(c\) one year ,.*?:\s+([\d.]+) ms/);
  const [allMs, allSum] = num(/\(b\) every month and every year .*?:\s+([\d.]+) ms\s+checksum (\d+)/);
  return { monthMs, monthSum, yearMs, yearSum, monthSqlMs, yearSqlMs, allMs, allSum };
}

// The class checksum of MEANS (Map "section|period" → {item: mean}) by
// `qingshui water classify`, the code the server evaluates with.
function classChecksum(build, means) {
  const lines = [`section,type,time,${ITEMS.join(',')}`];
  for (const [key, values] of means) {
    const [section, period] = key.split('|');
    lines.push(`${section},${Number(section) % 10 === 0 ? 'lake' : 'river'},${period},${ITEMS.map((i) => values[i] ?? '').join(',')}`);
  }
  const out = execFileSync(join(build, 'qingshui'), ['water', 'classify', '-'], { input: lines.join('\n') + '\n', maxBuffer: 1 << 28 }).toString();
  const rows = out.trim().split('\n');
  const col = rows[0].split(',').indexOf('class');
  return rows.slice(1).reduce((sum, row) => sum + Number(row.split(',')[col]), 0);
}

// Rows [section, item, period, mean] into the Map classChecksum reads.
function collect(rows, into = new Map()) {
  for (const [section, item, period, mean] of rows) {
    const key = `${section}|${period}`;
    if (!into.has(key)) into.set(key, {});
    into.get(key)[item] = mean;
  }
  return into;
}

const MONTH_SQL = `SELECT section, item, $3 AS period,
    CASE WHEN item = 'PH' THEN -log10(avg(pow(10, -value))) ELSE avg(value) END
  FROM reading WHERE ts >= $1::TIMESTAMP AND ts < $2::TIMESTAMP GROUP BY section, item`;
const YEAR_SQL = `SELECT section, item, $3 AS period, CASE WHEN item = 'PH' THEN -log10(avg(m)) ELSE avg(m) END
  FROM (SELECT section, item, avg(CASE WHEN item = 'PH' THEN pow(10, -value) ELSE value END) AS m
        FROM reading WHERE ts >= $1::TIMESTAMP AND ts < $2::TIMESTAMP GROUP BY section, item, date_trunc('month', ts))
  GROUP BY section, item`;
// Every month and every year in one statement (DuckDB's best shot at (b)'s loop).
const ALL_SQL = `WITH m AS (SELECT section, item, date_trunc('month', ts) AS month,
    avg(CASE WHEN item = 'PH' THEN pow(10, -value) ELSE value END) AS v FROM reading GROUP BY ALL)
  SELECT section, item, strftime(month, '%Y-%m'), CASE WHEN item = 'PH' THEN -log10(v) ELSE v END FROM m
  UNION ALL
  SELECT section, item, strftime(month, '%Y'), CASE WHEN item = 'PH' THEN -log10(avg(v)) ELSE avg(v) END
  FROM m GROUP BY section, item, strftime(month, '%Y')`;

const monthRange = (y, m) => [`${y}-${String(m).padStart(2, '0')}-01`, m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`];

async function query(statement, values) {
  statement.bind(values);
  return (await statement.runAndReadAll()).getRows();
}

// The median of RUNS timings of FN (milliseconds), and FN's last result.
async function timed(runs, fn) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}

const fmt = (ms) => ms.toFixed(2).padStart(9);
const ratio = (a, b) => (a / b >= 10 ? (a / b).toFixed(0) : (a / b).toFixed(1));

async function main() {
  const o = options(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'qingshui-bench-duckdb-'));
  try {
    const csv = join(dir, 'readings.csv');
    const q = figures(await runQingshui(o, csv));

    const threads = availableParallelism();
    const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
    const con = await instance.connect();
    const version = (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
    let t0 = performance.now();
    await con.run(`CREATE TABLE reading AS
      UNPIVOT (SELECT * FROM read_csv('${csv.replace(/'/g, "''")}', header = true, timestampformat = '%Y-%m-%d %H:%M',
               columns = {'section': 'INTEGER', 'ts': 'TIMESTAMP', ${ITEMS.map((i) => `'${i}': 'DOUBLE'`).join(', ')}}))
      ON ${ITEMS.map((i) => `"${i}"`).join(', ')} INTO NAME item VALUE value`);
    const n = Number((await con.runAndReadAll('SELECT count(*) FROM reading')).getRows()[0][0]);
    console.log(`DuckDB ${version} (${threads} threads): loaded ${n} readings from bench_water's CSV in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const month = await con.prepare(MONTH_SQL);
    const year = await con.prepare(YEAR_SQL);
    const last = FIRST_YEAR + o.years - 1;
    const oneMonth = await timed(o.runs, () => query(month, [...monthRange(last, 6), `${last}-06`]));
    const oneYear = await timed(o.runs, () => query(year, [`${last}-01-01`, `${last + 1}-01-01`, String(last)]));
    const everyPeriod = await timed(1, async () => {
      const rows = [];
      for (let y = FIRST_YEAR; y <= last; y++) {
        for (let m = 1; m <= 12; m++) rows.push(...await query(month, [...monthRange(y, m), `${y}-${String(m).padStart(2, '0')}`]));
        rows.push(...await query(year, [`${y}-01-01`, `${y + 1}-01-01`, String(y)]));
      }
      return rows;
    });
    const allAtOnce = await timed(o.runs, async () => (await con.runAndReadAll(ALL_SQL)).getRows());

    const sums = {
      month: classChecksum(o.build, collect(oneMonth.result)),
      year: classChecksum(o.build, collect(oneYear.result)),
      every: classChecksum(o.build, collect(everyPeriod.result)),
      all: classChecksum(o.build, collect(allAtOnce.result)),
    };
    const check = (got, want) => (got === want ? `classes as qingshui's (checksum ${got})` : `CHECKSUM ${got} DIFFERS from qingshui's ${want}`);
    const periods = o.years * 13;
    console.log(`DuckDB one month, all ${o.sections} sections:  ${fmt(oneMonth.ms)} ms (median of ${o.runs})  ${check(sums.month, q.monthSum)}`);
    console.log(`DuckDB one year , all ${o.sections} sections:  ${fmt(oneYear.ms)} ms (median of ${o.runs})  ${check(sums.year, q.yearSum)}`);
    console.log(`DuckDB every month and year, ${periods} queries: ${fmt(everyPeriod.ms)} ms  ${check(sums.every, q.allSum)}`);
    console.log(`DuckDB every month and year, one query:  ${fmt(allAtOnce.ms)} ms (median of ${o.runs})  ${check(sums.all, q.allSum)}`);
    console.log('ratios (time / qingshui from aggregates; above 1 qingshui is faster):');
    console.log(`  one month:   DuckDB ${ratio(oneMonth.ms, q.monthMs)}x   SQLite SQL over raw ${ratio(q.monthSqlMs, q.monthMs)}x   (qingshui ${q.monthMs} ms)`);
    console.log(`  one year:    DuckDB ${ratio(oneYear.ms, q.yearMs)}x   SQLite SQL over raw ${ratio(q.yearSqlMs, q.yearMs)}x   (qingshui ${q.yearMs} ms)`);
    console.log(`  all periods: DuckDB ${ratio(everyPeriod.ms, q.allMs)}x in ${periods} queries, ${ratio(allAtOnce.ms, q.allMs)}x in one   (qingshui ${q.allMs} ms)`);
    if (sums.month !== q.monthSum || sums.year !== q.yearSum || sums.every !== q.allSum || sums.all !== q.allSum) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(`bench_water_duckdb: ${err.message}`); process.exit(1); });
