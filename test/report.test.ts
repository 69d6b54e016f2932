import assert from 'node:assert/strict'
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { SparkSynthError } from '../src/core/errors.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import type { Cell, Table } from '../src/core/io/table.ts'
import { extractMetadata, type ColumnMeta } from '../src/core/meta/document.ts'
import type { ColumnKind } from '../src/core/meta/kinds.ts'
import { loadTensorFlow } from '../src/core/model/tensorflow.ts'
import { sampleIndependentMarginals } from '../src/core/quality/baseline.ts'
import {
  buildQualityReport,
  parseQualityReport,
  QUALITY_BARS,
  REPORT_HTML,
  renderQualityReportHtml,
  REPORT_JSON,
  serializeQualityReport,
  type QualityReport,
  writeQualityReport,
} from '../src/core/report/index.ts'
import { EXAMPLE_ADULT, defined, tempDir } from './helpers.ts'

const close = (actual: number, expected: number, what: string) => {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual}, expected ${expected}`)
}

function table(columns: Record<string, readonly Cell[]>): Table {
  const names = Object.keys(columns)
  return {
    columns: names.map((name) => ({ name, sparkType: { id: 'string' }, nullable: true, nested: false, partition: false })),
    values: names.map((name) => columns[name]),
    rowCount: columns[names[0]].length,
  }
}

function meta(name: string, kind: ColumnKind): ColumnMeta {
  return {
    name,
    sparkType: kind === 'integer' ? 'int' : 'string',
    nullable: true,
    partition: false,
    detectedKind: kind,
    kind,
    exclude: false,
    sensitive: 'keep',
    nullFraction: 0,
    stats: {},
  }
}

// Small enough to score by hand: a and b are perfectly correlated in the real rows, reversed in the synthetic.
const REAL = table({ a: [1, 2, 3, 4], b: [1, 2, 3, 4], c: ['u', 'u', 'v', 'v'] })
const SYNTHETIC = table({ a: [1, 1, 3, 4], b: [4, 3, 2, 1], c: ['u', 'v', 'v', 'v'] })
const COLUMNS = [meta('a', 'integer'), meta('b', 'integer'), meta('c', 'categorical')]
const NOW = new Date('2026-01-02T03:04:05Z')

test('the report figures agree with a small table scored by hand', async () => {
  const report = await buildQualityReport({ real: REAL, synthetic: SYNTHETIC, columns: COLUMNS, now: NOW, backend: 'cpu' })
  // KS: the CDFs of a differ by 0.25 at 1; b is a permutation; TV of c: (|.5−.25| + |.5−.75|) / 2.
  assert.deepEqual(
    report.columns.map((c) => [c.column, c.metric, c.score]),
    [
      ['a', 'KSComplement', 0.75],
      ['c', 'TVComplement', 0.75],
      ['b', 'KSComplement', 1],
    ],
  )
  close(report.scores.columnShapes, 2.5 / 3, 'shapes')
  // Synthetic Pearson r(a, b) = Σdadb / √(Σda² Σdb²) = −5.5 / √(6.75 · 5).
  const syntheticR = -5.5 / Math.sqrt(6.75 * 5)
  const ab = 1 - (1 - syntheticR) / 2
  // Contingency over 10 bins of [1, 4]: a → bins 0 3 6 9 (real), 0 0 6 9 (synthetic); half of b's joint cells move.
  assert.deepEqual(
    report.pairs.map((p) => [p.columns.join('~'), p.metric]),
    [
      ['a~b', 'CorrelationSimilarity'],
      ['b~c', 'ContingencySimilarity'],
      ['a~c', 'ContingencySimilarity'],
    ],
  )
  close(report.pairs[0].score, ab, 'a~b')
  close(report.pairs[1].score, 0.25, 'b~c')
  close(report.pairs[2].score, 0.75, 'a~c')
  close(report.scores.columnPairTrends, (ab + 0.25 + 0.75) / 3, 'pair trends')
  close(report.scores.overall, (report.scores.columnShapes + report.scores.columnPairTrends) / 2, 'overall')

  const { correlation } = report
  assert.deepEqual(correlation.columns, ['a', 'b', 'c'])
  close(correlation.real[0][1], 1, 'real r(a, b)')
  close(correlation.synthetic[0][1], syntheticR, 'synthetic r(a, b)')
  // Cramér's V: every real a-bin holds one c value (V = 1); synthetic χ² = 4/3 over n = 4, k = 2.
  close(correlation.real[0][2], 1, 'real V(a, c)')
  close(correlation.synthetic[0][2], Math.sqrt(1 / 3), 'synthetic V(a, c)')
  assert.deepEqual(
    correlation.real.map((row, i) => row[i]),
    [1, 1, 1],
  )

  const a = report.columns[0].histogram
  assert.equal(a.type, 'numeric')
  assert.equal(a.edges.length, 21)
  close(a.edges[0], 1, 'first edge')
  close(a.edges[20], 4, 'last edge')
  assert.deepEqual([a.real[0], a.real[6], a.real[13], a.real[19]], [0.25, 0.25, 0.25, 0.25])
  assert.deepEqual([a.synthetic[0], a.synthetic[13], a.synthetic[19]], [0.5, 0.25, 0.25])
  const c = report.columns[1].histogram
  assert.equal(c.type, 'categorical')
  assert.deepEqual([c.categories, c.real, c.synthetic, c.realOther, c.syntheticOther], [['u', 'v'], [0.5, 0.5], [0.25, 0.75], 0, 0])

  assert.equal(report.privacy.holdout, 'split')
  assert.match(
    report.privacy.note,
    /^no holdout known .*: the 4 sampled rows were split 80\/20 .* into 3 training and 1 holdout rows.*not a memorisation test$/,
  )
  assert.equal(report.rows.holdout, 1)
  assert.equal(report.privacy.verdict.level, 'untested')
  assert.equal(report.privacy.differentialPrivacy, null)
  const page = renderQualityReportHtml(report)
  assert.match(
    page,
    /<th>Closer to train<\/th><td class="num">[\d.]+<\/td><td>≤ 0\.53<\/td><td><span class="muted">not a memorisation test<\/span>/,
  )
  assert.doesNotMatch(page, /Closer to train.*✓ meets/)
  assert.equal(report.utility, null)
  assert.equal(report.backend, 'cpu')
  assert.equal(report.generatedAt, NOW.toISOString())
})

test('nulls are counted apart from the histogram shares', async () => {
  const real = table({ n: [1, 2, null, NaN], k: ['x', null, 'y', 'x'] })
  const synthetic = table({ n: [1, 9, 2, null], k: ['x', 'z', 'y', null] })
  const report = await buildQualityReport({
    real,
    synthetic,
    columns: [meta('n', 'continuous'), meta('k', 'categorical')],
    holdout: { kind: 'unsampled', rows: real },
  })
  const n = defined(
    report.columns.find((c) => c.column === 'n'),
    'column n',
  ).histogram
  const k = defined(
    report.columns.find((c) => c.column === 'k'),
    'column k',
  ).histogram
  assert.deepEqual([n.realNullShare, n.syntheticNullShare], [0.5, 0.25])
  assert.equal(n.synthetic.at(-1), 2 / 3, 'the real maximum 2 and the out-of-range 9 both land in the last bin')
  assert.equal(k.type, 'categorical')
  assert.deepEqual(
    [k.categories, k.real, k.synthetic],
    [
      ['x', 'y'],
      [2 / 3, 1 / 3],
      [1 / 3, 1 / 3],
    ],
  )
  close(k.syntheticOther, 1 / 3, 'the unseen category z counts as other')
  assert.equal(report.privacy.holdout, 'unsampled')
  assert.match(report.privacy.note, /^holdout: 4 rows of the source that the sample left out, against the 4 sampled rows/)
})

test('a tie counts half to each side; exact copies stand beside the holdout rate, in the JSON and the HTML', async () => {
  const columns = [meta('k', 'categorical'), meta('n', 'integer')]
  // x and y are in both training and holdout rows (duplicates), z only in training, w only in the holdout.
  const train = table({ k: ['x', 'y', 'z'], n: [1, 2, 3] })
  const holdout = table({ k: ['x', 'y', 'w'], n: [1, 2, 4] })
  // Two rows as near to both sides (a tie each) and one copy of a training-only row.
  const synthetic = table({ k: ['x', 'x', 'z'], n: [1, 1, 3] })
  const report = await buildQualityReport({ real: train, synthetic, columns, holdout: { kind: 'share', rows: holdout } })
  const { privacy } = report
  close(privacy.closerToTrainShare, (0.5 + 0.5 + 1) / 3, 'ties count half (to one side only, it would read 1/3)')
  close(privacy.exactCopyShare, 1, 'every synthetic row equals a training row')
  close(privacy.holdoutCopyShare, 2 / 3, 'x and y: the data itself holds copies')
  // Distances to the closest synthetic row: training rows x, y, z at 0, 0.75, 0; holdout rows x, y, w at 0, 0.75, 0.75.
  close(privacy.membershipAuc, (2 * 2.5 + 1) / 9, 'of nine pairs, four nearer training rows and four ties')
  assert.equal(privacy.holdout, 'share')
  assert.match(privacy.note, /^holdout: 3 of the 6 sampled rows, kept out of training \(a seeded share\), against the other 3$/)
  assert.deepEqual(parseQualityReport(serializeQualityReport(report)).privacy, privacy, 'the JSON carries both rates')
  const html = renderQualityReportHtml(report)
  // The verdict comes first, before any figure: every synthetic row copies a training row.
  assert.equal(privacy.verdict.level, 'risk')
  assert.ok(html.indexOf('class="verdict risk"') < html.indexOf('<th>Figure</th>'), 'the privacy verdict leads the page')
  assert.match(html, /<strong>Privacy\.<\/strong> Do not share as is: .*<li>Sample more rows/)
  assert.match(html, /Compared: the 3 real rows the model learned from, all 3 synthetic rows, and 3 real rows it never saw/)
  // Every miss has a line of advice under it: here the copies, which the verdict explains.
  assert.match(
    html,
    /<th>Exact copies beyond the holdout's own<\/th>.*✗ misses.*<\/tr><tr class="advice"><td><\/td><td colspan="3">See the privacy verdict above\.<\/td><\/tr>/,
  )
  assert.equal(report.rows.generated, 3)
  assert.match(html, /<th>Exact copies beyond the holdout's own<\/th><td class="num">100\.00 % \(holdout 66\.67 %\)<\/td>/)
  assert.match(html, /Holdout rows identical to a training row \(the data's own duplicates\)<\/th><td class="num">66\.67 %/)
  assert.match(html, /Membership-inference AUC[^<]*<\/th><td class="num">0\.667</)
  // Fresh rows from the holdout's distribution, none copied: as near to either side, half and half.
  const fresh = await buildQualityReport({ real: train, synthetic: holdout, columns, holdout: { kind: 'share', rows: holdout } })
  close(fresh.privacy.closerToTrainShare, (0.5 + 0.5 + 0) / 3, 'w sits in the holdout only')
  close(fresh.privacy.exactCopyShare, 2 / 3, 'as many copies as the holdout holds itself')
})

test('on Adult against independent marginals, relationship-heavy pairs rank among the worst', async () => {
  const { summary, table: adult } = await sampleDataset(EXAMPLE_ADULT, { rows: 5000 })
  const columns = extractMetadata(summary, adult).columns
  const marginals = sampleIndependentMarginals(adult, adult.rowCount, 1)
  const { tf, backend } = await loadTensorFlow()
  const report = await buildQualityReport({
    real: adult,
    synthetic: marginals,
    columns,
    target: { column: 'income', positive: '>50K' },
    tf,
    backend,
  })
  assert.ok(
    report.scores.columnPairTrends < report.scores.columnShapes,
    `pairs ${report.scores.columnPairTrends} < shapes ${report.scores.columnShapes}`,
  )
  const rank = report.pairs.findIndex((p) => p.columns.join() === 'education,education-num')
  assert.ok(rank >= 0 && rank < 5, `education ~ education-num ranks ${rank + 1} of ${report.pairs.length}`)
  const worst = report.pairs.slice(0, 10).map((p) => p.columns.join(' ~ '))
  assert.ok(
    worst.some((p) => p.includes('relationship')),
    `a relationship pair among the worst ten: ${worst.join(', ')}`,
  )
  const education = report.correlation.columns.indexOf('education')
  const educationNum = report.correlation.columns.indexOf('education-num')
  assert.ok(report.correlation.real[education][educationNum] > 0.95, 'education determines education-num')
  assert.ok(report.correlation.synthetic[education][educationNum] < 0.2, 'independent columns lose it')
  assert.equal(
    report.columns.length,
    columns.filter((c) => !c.exclude && c.kind !== 'identifier' && c.kind !== 'text' && c.kind !== 'constant').length,
  )
  assert.ok(report.utility, 'a target and tf give a utility figure')
  close(report.utility.ratio, report.utility.syntheticAuc / report.utility.realAuc, 'ratio')
  assert.ok(report.utility.ratio < 0.9, `marginals carry little signal: ratio ${report.utility.ratio}`)
  assert.ok(report.privacy.exactCopyShare < 0.005)
})

test('the HTML is self-contained, inert, escapes hostile names and lists columns worst first', async () => {
  const hostile = '<script>alert(1)</script>'
  const quotes = `"&'`
  const real = table({ [hostile]: ['<b>x</b>', 'y', 'y', 'x', 'y'], [quotes]: [1, 2, 3, 4, 5], ok: ['p', 'p', 'q', 'q', 'p'] })
  const synthetic = table({ [hostile]: ['<b>x</b>', 'x', 'y', 'x', 'y'], [quotes]: [1, 2, 3, 4, 5], ok: ['q', 'q', 'q', 'q', 'p'] })
  const columns = [meta(hostile, 'categorical'), meta(quotes, 'integer'), meta('ok', 'categorical')]
  const report = await buildQualityReport({ real, synthetic, columns, backend: '<i>wasm</i>' })
  const folder = await tempDir()
  const written = await writeQualityReport(report, path.join(folder, 'report'))
  assert.deepEqual(await readdir(path.join(folder, 'report')), [REPORT_HTML, REPORT_JSON].sort(), 'no temporary file is left behind')
  const html = await readFile(written.html, 'utf8')
  assert.doesNotMatch(html, /https?:\/\//)
  assert.doesNotMatch(html, /<script/i)
  assert.doesNotMatch(html, /<b>x<\/b>|<i>wasm/)
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
  assert.ok(html.includes('&quot;&amp;&#39;'))
  assert.ok(html.includes('&lt;b&gt;x&lt;/b&gt;'))
  assert.doesNotMatch(html, /"&'/)
  assert.match(html, /prefers-color-scheme: dark/)
  assert.match(html, /Data validity.*Data structure/s, 'the diagnostic figures')
  const { columnShapes, columnPairTrends, tstrRatio, closerToTrainShare, exactCopyShare } = QUALITY_BARS
  for (const bar of [
    `≥ ${columnShapes.atLeast}`,
    `≥ ${columnPairTrends.atLeast}`,
    `≥ ${tstrRatio.atLeast}`,
    `≤ ${closerToTrainShare.atMost}`,
  ])
    assert.ok(html.includes(`<td>${bar}</td>`), `the bar ${bar} from QUALITY_BARS`)
  assert.ok(html.includes(`<td>≤ ${exactCopyShare.atMost * 100} %</td>`), 'the exact-copy bar as a percentage')
  assert.ok(html.includes('<td>= 1 (ranges, categories, keys)</td>'), 'a share that must be 1')
  assert.ok(html.includes('bench/results/peers.md'), "says where the peers' figures are")
  const headings = [...html.matchAll(/<h3>(.*?)<\/h3>/g)].map((m) => m[1])
  assert.deepEqual(headings, ['ok', '&lt;script&gt;alert(1)&lt;/script&gt;', '&quot;&amp;&#39;'], 'worst column first')
  assert.deepEqual(
    report.columns.map((c) => c.score),
    [0.6, 0.8, 1],
  )
})

test('the JSON round-trips and validates its own shape', async () => {
  const report = await buildQualityReport({ real: REAL, synthetic: SYNTHETIC, columns: COLUMNS, now: NOW })
  const folder = await tempDir()
  const { json } = await writeQualityReport(report, folder)
  const text = await readFile(json, 'utf8')
  assert.equal(text, serializeQualityReport(report))
  assert.match(text, /^\{\n {2}"generatedBy": "Spark Synth",\n {2}"generatedAt"/)
  const parsed = parseQualityReport(text)
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(report)))
  assert.equal(serializeQualityReport(parsed), text, 'stable key order')
  // Histograms as plain JSON: the edits put in what the type forbids.
  const broken = JSON.parse(text) as { columns: { histogram: { real: unknown[]; type: string } }[] }
  broken.columns[1].histogram.real[0] = 'x'
  assert.throws(() => parseQualityReport(JSON.stringify(broken)), /columns\[1\] \("c"\)\.histogram\.real\[0\] must be number/)
  broken.columns[1].histogram.type = 'pie'
  assert.throws(
    () => parseQualityReport(JSON.stringify(broken)),
    /columns\[1\] \("c"\)\.histogram\.type "pie" is not one this format knows/,
  )
  assert.throws(() => parseQualityReport(JSON.stringify({ ...report, utility: { target: 1 } })), /utility\.target must be string/)
})

/** The report's JSON with the field at `path` set to `value`, or removed when `value` is undefined. */
function withField(report: QualityReport, [...parents]: readonly (string | number)[], value: unknown): string {
  const copy: unknown = JSON.parse(serializeQualityReport(report))
  const key = parents.pop() ?? assert.fail('a field path')
  const parent = parents.reduce((node, step) => (node as Record<string | number, unknown>)[step], copy) as Record<string | number, unknown>
  if (value === undefined) Reflect.deleteProperty(parent, key)
  else parent[key] = value
  return JSON.stringify(copy)
}

test('a report that breaks its schema is refused, naming the field', async () => {
  const report = await buildQualityReport({ real: REAL, synthetic: SYNTHETIC, columns: COLUMNS, now: NOW })
  const refused = (path: readonly (string | number)[], value: unknown, message: RegExp) => {
    assert.throws(
      () => parseQualityReport(withField(report, path, value), 'out/quality-report.json'),
      (error: unknown) => error instanceof SparkSynthError && message.test(error.message),
    )
  }
  refused(
    ['privacy', 'exactCopyShare'],
    undefined,
    /^out\/quality-report\.json: the quality report is invalid: privacy\.exactCopyShare is missing\./,
  )
  refused(['privacy', 'holdout'], 'given', /privacy\.holdout must be one of "unsampled", "share", "split"/)
  refused(['columns', 0, 'kind'], 'fancy', /columns\[0\] \("a"\)\.kind must be one of "continuous", /)
  refused(['scores', 'extra'], 1, /scores\.extra is not a known field/)
  refused(['pairs', 0, 'columns'], ['a'], /pairs\[0\]\.columns must NOT have fewer than 2 items/)
  refused(['generatedBy'], null, /generatedBy must be string/)
  assert.throws(() => parseQualityReport('{"generatedBy": '), /the quality report is not valid JSON/)
})

test('the diagnostic checks ranges, categories, keys and columns as SDMetrics does', async () => {
  const columns = [meta('n', 'continuous'), meta('c', 'categorical'), meta('k', 'identifier')]
  const real = table({ n: [1, 5, null], c: ['a', 'b', null], k: ['x', 'y', 'z'] })
  const synthetic = table({ n: [0, 3, null, 5], c: ['a', 'c', null, 'b'], k: ['p', 'p', 'q', 'r'] })
  const { diagnostic } = await buildQualityReport({ real, synthetic, columns, holdout: { kind: 'unsampled', rows: real } })
  // n: the real column has nulls, so synthetic nulls are left out: 0 is out of [1, 5] → 2/3.
  // c: "c" is no real category, a null is valid where the real column has nulls → 3/4. k: "p" twice → 2/4.
  assert.deepEqual(
    diagnostic.columns.map((c) => [c.column, c.metric]),
    [
      ['n', 'BoundaryAdherence'],
      ['c', 'CategoryAdherence'],
      ['k', 'KeyUniqueness'],
    ],
  )
  diagnostic.columns.forEach((c, i) => {
    close(c.score, [2 / 3, 3 / 4, 2 / 4][i], c.column)
  })
  close(diagnostic.validity, (2 / 3 + 3 / 4 + 2 / 4) / 3, 'validity')
  close(diagnostic.structure, 1, 'structure')
  const { n, c } = { n: synthetic.values[0], c: synthetic.values[1] }
  const missingKey = { columns: synthetic.columns.slice(0, 2), values: [n, c], rowCount: 4 }
  close(
    (await buildQualityReport({ real, synthetic: missingKey, columns, holdout: { kind: 'unsampled', rows: real } })).diagnostic.structure,
    2 / 3,
    'a missing column',
  )
})
