import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { columnIndex } from '../src/core/io/columnLookup.ts'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { SparkFolderWriter } from '../src/core/io/sparkWriter.ts'
import type { Cell, Table } from '../src/core/io/table.ts'
import { extractMetadata, type MetadataDocument } from '../src/core/meta/document.ts'
import { reportFromDatasets } from '../src/core/report/fromDatasets.ts'
import { buildQualityReport, parseQualityReport, renderQualityReportHtml, serializeQualityReport } from '../src/core/report/index.ts'
import { keepingPercent, rulesSummary } from '../src/core/report/rules.ts'
import { rowsKeeping } from '../src/core/rules/check.ts'
import type { Rule } from '../src/core/rules/rule.ts'
import { rulesProblems } from '../src/core/rules/validate.ts'
import { ADULT_CSV, defined, tempDir } from './helpers.ts'

const ROWS = 2000
const { summary, table: adult } = await sampleDataset(ADULT_CSV, { rows: ROWS, seed: 7 })
const extracted = extractMetadata(summary, adult)
const support = { rows: ROWS, exceptions: 0 }

const AGE_RANGE: Rule = { kind: 'range', column: 'age', min: 17, max: 90, status: 'accepted', origin: 'user' }
const EDUCATION_BEFORE_AGE: Rule = {
  kind: 'inequality',
  low: 'education-num',
  high: 'age',
  strict: true,
  status: 'proposed',
  origin: 'detected',
  support,
}
const EDUCATION_PAIRS: Rule = {
  kind: 'combination',
  columns: ['education', 'education-num'],
  status: 'accepted',
  origin: 'detected',
  support,
}
// Many real rows work longer: judged, this rule would fail.
const PART_TIME: Rule = { kind: 'range', column: 'hours-per-week', max: 40, status: 'rejected', origin: 'detected', support }
const RULES = [AGE_RANGE, EDUCATION_BEFORE_AGE, EDUCATION_PAIRS, PART_TIME]
const document: MetadataDocument = { ...extracted, rules: RULES }

/** A copy of the table whose column `name` is `edit`ed: the sampled rows stay as read. */
function edited(table: Table, name: string, edit: (values: Cell[]) => void): Table {
  const values = table.values.map((column) => [...column])
  edit(values[columnIndex(table.columns, name)])
  return { ...table, values }
}

const column = (table: Table, name: string) => table.values[columnIndex(table.columns, name)]

/** Synthetic rows that break two kept rules: ten ages above 90, and one education with another's number. */
function breakingRows(): Table {
  const older = edited(adult, 'age', (ages) => ages.fill(95, 0, 10))
  const numbers = column(adult, 'education-num')
  const notDoctorate = numbers.findIndex((n) => n !== 16)
  return edited(older, 'education', (educations) => {
    educations[notDoctorate] = 'Doctorate'
  })
}

test('the Adult rules are a valid document, and the rejected one breaks on real rows', () => {
  assert.deepEqual(rulesProblems(document), [])
  assert.ok(rowsKeeping(PART_TIME, adult) < ROWS, 'some sampled rows work over 40 hours')
  assert.ok(column(adult, 'education').includes('Doctorate'), 'Doctorate is a real education, with number 16')
})

test('synthetic rows that keep every kept rule: each holds on 100 % of them, the rejected rule is not judged', async () => {
  const synthetic = { ...adult, values: adult.values.map((values) => [...values].reverse()) }
  const report = await buildQualityReport({ real: adult, synthetic, columns: extracted.columns, rules: RULES })
  const rules = defined(report.rules, 'the rules section')
  assert.deepEqual(
    rules.map((r) => [r.description, r.verdict]),
    [
      ['17 <= `age` <= 90', 'holds'],
      ['`education-num` < `age`', 'holds'],
      ['only seen combinations of `education`, `education-num`', 'holds'],
      ['`hours-per-week` <= 40', 'rejected'],
    ],
  )
  for (const r of rules.slice(0, 3)) {
    assert.deepEqual(r.synthetic, { rows: ROWS, keeping: ROWS, share: 1 }, r.description)
    assert.deepEqual(r.real, { rows: ROWS, keeping: ROWS, share: 1 }, r.description)
  }
  assert.deepEqual([rules[3].synthetic, rules[3].real, rules[3].rule], [null, null, PART_TIME], 'rejected: listed, not judged')
  assert.equal(rulesSummary(rules), '3 kept, all hold on every synthetic row, 1 rejected (not judged)')

  const html = renderQualityReportHtml(report)
  assert.match(html, /<h2>Rules<\/h2>\n<p>3 kept, all hold on every synthetic row, 1 rejected \(not judged\)\.<\/p>/)
  assert.match(
    html,
    /<th>Business rules<\/th><td class="num">100 % \(lowest\)<\/td><td>= 1 \(every kept rule on every synthetic row\)<\/td><td><span class="pass">✓ meets/,
  )
  assert.match(
    html,
    /<td><code>17 &lt;= `age` &lt;= 90<\/code><\/td><td>accepted, added by the user<\/td><td class="num">100 %<br><span class="muted">2,000 of 2,000<\/span><\/td><td class="num">100 %<br><span class="muted">2,000 of 2,000<\/span><\/td><td><span class="pass">✓ holds<\/span>/,
  )
  assert.match(
    html,
    /<td><code>`hours-per-week` &lt;= 40<\/code><\/td><td>rejected \(not kept\), detected<\/td><td colspan="3" class="muted">not judged<\/td>/,
  )
  assert.doesNotMatch(html, /✗/)
  assert.deepEqual(parseQualityReport(serializeQualityReport(report)).rules, rules, 'the JSON carries the same')
})

test('synthetic rows that break kept rules: the share below 100 % is a failure, in the HTML and the JSON', async () => {
  const report = await buildQualityReport({ real: adult, synthetic: breakingRows(), columns: extracted.columns, rules: RULES })
  const rules = defined(report.rules, 'the rules section')
  assert.deepEqual(
    rules.map((r) => [r.verdict, r.synthetic?.keeping, r.synthetic?.share]),
    [
      ['fails', ROWS - 10, (ROWS - 10) / ROWS],
      ['holds', ROWS, 1],
      ['fails', ROWS - 1, (ROWS - 1) / ROWS],
      ['rejected', undefined, undefined],
    ],
  )
  assert.deepEqual(
    rules.map((r) => r.real?.share),
    [1, 1, 1, undefined],
    'the real rows, unedited, keep every rule',
  )
  assert.equal(keepingPercent(rules[2].synthetic?.share ?? 1), '99.9 %', 'one row in 2,000 never reads as 100 %')
  const line =
    '3 kept, 2 fail (must hold on every row): 17 <= `age` <= 90 on 99.5 % of synthetic rows; only seen combinations of `education`, `education-num` on 99.9 % of synthetic rows, 1 rejected (not judged)'
  assert.equal(rulesSummary(rules), line)

  const html = renderQualityReportHtml(report)
  assert.ok(html.includes(`<p>${line.replaceAll('<', '&lt;')}.</p>`), 'the summary line leads the section')
  assert.match(
    html,
    /<td><code>17 &lt;= `age` &lt;= 90<\/code><\/td><td>accepted, added by the user<\/td><td class="num">99\.5 %<br><span class="muted">1,990 of 2,000<\/span><\/td><td class="num">100 %<br><span class="muted">2,000 of 2,000<\/span><\/td><td><span class="fail">✗ fails: a kept rule must hold on 100 % of rows<\/span>/,
  )
  assert.match(
    html,
    /<th>Business rules<\/th><td class="num">99\.5 % \(lowest\)<\/td>.*✗ misses<\/span><\/td><\/tr><tr class="advice">.*the Rules section below names it/,
  )
  assert.equal([...html.matchAll(/✗ fails/g)].length, 2)

  const parsed = defined(parseQualityReport(serializeQualityReport(report)).rules, 'the JSON rules')
  assert.deepEqual(parsed, rules)
  assert.equal(parsed[0].verdict, 'fails')
  assert.equal(parsed[0].synthetic?.share, 0.995)
})

test('a report without rules has no Rules section and stays valid; a broken rules field is refused', async () => {
  const report = await buildQualityReport({ real: adult, synthetic: adult, columns: extracted.columns, rules: [] })
  assert.equal('rules' in report, false, 'a document without rules: no rules field, as in reports written before them')
  assert.doesNotMatch(renderQualityReportHtml(report), /<h2>Rules<\/h2>|Business rules/)
  assert.deepEqual(parseQualityReport(serializeQualityReport(report)), JSON.parse(serializeQualityReport(report)))

  const judged = await buildQualityReport({ real: adult, synthetic: adult, columns: extracted.columns, rules: RULES })
  const json = JSON.parse(serializeQualityReport(judged)) as { rules: Record<string, unknown>[] }
  json.rules[0].verdict = 'mostly'
  assert.throws(
    () => parseQualityReport(JSON.stringify(json)),
    /rules\[0\]\.verdict must be one of "holds", "fails", "rejected", "unchecked"/,
  )
})

test('from the datasets: rules read the columns they need, and one naming an excluded column is not checked', async () => {
  const folder = path.join(await tempDir(), 'synthetic')
  const synthetic = breakingRows()
  const writer = await SparkFolderWriter.open(folder, synthetic.columns)
  writer.write(synthetic)
  await writer.commit()
  // fnlwgt as an identifier is neither scored nor compared for privacy: only its rule reads it.
  const columns = document.columns.map((c) =>
    c.name === 'fnlwgt' ? { ...c, kind: 'identifier' as const } : c.name === 'capital-gain' ? { ...c, exclude: true } : c,
  )
  const weight: Rule = { kind: 'range', column: 'fnlwgt', min: 0, status: 'accepted', origin: 'user' }
  const gain: Rule = { kind: 'range', column: 'capital-gain', min: 0, status: 'accepted', origin: 'user' }
  const report = await reportFromDatasets({
    real: ADULT_CSV,
    synthetic: folder,
    document: { ...document, columns, rules: [...RULES, weight, gain] },
  })
  const rules = defined(report.rules, 'the rules section')
  assert.deepEqual(
    rules.map((r) => [r.description, r.verdict, r.synthetic?.keeping, r.real?.keeping]),
    [
      ['17 <= `age` <= 90', 'fails', ROWS - 10, ROWS],
      ['`education-num` < `age`', 'holds', ROWS, ROWS],
      ['only seen combinations of `education`, `education-num`', 'fails', ROWS - 1, ROWS],
      ['`hours-per-week` <= 40', 'rejected', undefined, undefined],
      ['0 <= `fnlwgt`', 'holds', ROWS, ROWS],
      ['0 <= `capital-gain`', 'unchecked', undefined, undefined],
    ],
  )
  assert.equal(rules[5].note, '`capital-gain` is not in the synthetic output (excluded), so the rule cannot be checked')
  assert.ok(!report.columns.some((c) => c.column === 'fnlwgt'), 'the identifier is read for its rule, not scored')
  assert.match(rulesSummary(rules), /^5 kept, 2 fail .*, 1 not checked \(a column is left out or rewritten\), 1 rejected \(not judged\)$/)
})
