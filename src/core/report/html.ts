import type { PairTrendScore } from '../quality/score.ts'
import { copiesBeyondHoldout } from './privacyVerdict.ts'
import { keepingPercent, lowestRuleShare, rulesSummary } from './rules.ts'
import {
  QUALITY_BARS,
  type ColumnReport,
  type CorrelationMatrices,
  type QualityReport,
  type RowsKeepingRule,
  type RuleReport,
} from './types.ts'
import { formatCount } from '../formatCount.ts'

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Every string from data or metadata goes through here: the page must stay inert whatever the names. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

const fixed = (value: number, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : '–')
const percent = (value: number, digits = 1) => `${(value * 100).toFixed(digits)} %`

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0;
  --real: #0969da; --synthetic: #cf222e; --pass: #1a7f37; --fail: #cf222e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #161b22; --line: #30363d;
  --real: #4493f8; --synthetic: #f85149; --pass: #3fb950; --fail: #f85149; } }
/* Shown in VS Code (its webviews give the body a theme class): the editor's theme colours. */
body[class*="vscode-"] { --fg: var(--vscode-foreground); --muted: var(--vscode-descriptionForeground); --bg: var(--vscode-editor-background);
  --panel: var(--vscode-editorWidget-background); --line: var(--vscode-editorWidget-border, var(--vscode-panel-border));
  --real: var(--vscode-charts-blue); --synthetic: var(--vscode-charts-red); --pass: var(--vscode-charts-green); --fail: var(--vscode-errorForeground); }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; padding: 24px; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted { color: var(--muted); } table { border-collapse: collapse; } td, th { padding: 4px 10px; text-align: left; border-bottom: 1px solid var(--line); }
td.num { text-align: right; font-variant-numeric: tabular-nums; } .pass { color: var(--pass); font-weight: 600; } .fail { color: var(--fail); font-weight: 600; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 12px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.card h3 { font-size: 14px; margin: 0 0 4px; overflow-wrap: anywhere; } .legend span { margin-right: 14px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; opacity: .6; }
.swatch.real { background: var(--real); } .swatch.synthetic { background: var(--synthetic); }
.heatmaps { display: flex; flex-wrap: wrap; gap: 16px; } svg text { fill: var(--fg); font-size: 10px; }
tr.advice td { color: var(--muted); border-bottom-style: dashed; padding-top: 0; }
.verdict { border-left: 4px solid var(--muted); background: var(--panel); padding: 8px 12px; margin: 12px 0; }
.verdict p { margin: 0; } .verdict ul { margin: 6px 0 0; padding-left: 20px; }
.verdict.good { border-color: var(--pass); } .verdict.risk { border-color: var(--fail); } .verdict.caution { border-color: #bf8700; }
`

type Bar = { readonly atLeast: number } | { readonly atMost: number }

/** A bar as text, its figure shown by `show`; a share that must be at least 1 must be exactly 1. */
function barText(bar: Bar, show: (value: number) => string = String): string {
  if ('atMost' in bar) return `≤ ${show(bar.atMost)}`
  return bar.atLeast === 1 ? '= 1' : `≥ ${show(bar.atLeast)}`
}

/** A share as a percentage with only the digits it needs (0.005 → 0.5 %). */
const sharePercent = (value: number) => `${Number((value * 100).toPrecision(12))} %`

/** Which rows the figures compare, and how they were chosen. */
function rowsCompared(rows: QualityReport['rows']): string {
  const synthetic =
    rows.synthetic === rows.generated
      ? `all ${formatCount(rows.generated)} synthetic rows`
      : `${formatCount(rows.synthetic)} of the ${formatCount(rows.generated)} synthetic rows (a seeded sample, as many as the real rows)`
  return `Compared: the ${formatCount(rows.real)} real rows the model learned from, ${synthetic}, and ${formatCount(rows.holdout)} real rows it never saw (the holdout).`
}

/** What to do when a figure misses its bar, one line each. */
const ADVICE: Readonly<Record<string, string>> = {
  'Column shapes':
    'Train longer (more epochs, or a larger time budget) or on more rows; the columns below are worst first, and a column learned as the wrong kind (a code as a number, say) is fixed in the metadata editor.',
  'Column pair trends': 'Train longer or on more rows; the worst pairs below show which relationships are lost.',
  'TSTR AUC ratio':
    'A model trained on the synthetic rows predicts the target less well than one trained on the real rows: train longer or on more rows.',
  'Closer to train': 'See the privacy verdict above.',
  "Exact copies beyond the holdout's own": 'See the privacy verdict above.',
  'Data validity': 'Some values fall outside the real ranges or categories, or keys repeat: the column cards below show where.',
  'Data structure': 'The output’s columns or types differ from the source’s: check the excluded columns and the kinds in the metadata.',
  'Business rules':
    'A kept rule must hold on every synthetic row, and some rows break one: the Rules section below names it. Do not use these rows where the rule matters; if it is no rule of the data, reject it in the metadata editor and generate again.',
}

function barRow(name: string, value: number | null, shown: string, bar: Bar, barNote = '', showBar?: (value: number) => string): string {
  const pass = value === null ? null : 'atLeast' in bar ? value >= bar.atLeast : value <= bar.atMost
  const verdict =
    pass === null
      ? '<span class="muted">not measured</span>'
      : pass
        ? '<span class="pass">✓ meets</span>'
        : '<span class="fail">✗ misses</span>'
  const advice = pass === false && name in ADVICE ? `<tr class="advice"><td></td><td colspan="3">${escapeHtml(ADVICE[name])}</td></tr>` : ''
  return `<tr><th>${name}</th><td class="num">${value === null ? '–' : shown}</td><td>${barText(bar, showBar)}${barNote}</td><td>${verdict}</td></tr>${advice}`
}

/** A privacy figure of a report whose model may have seen its holdout: shown, but judged by no bar. */
function untestedRow(name: string, shown: string, bar: Bar, showBar?: (value: number) => string): string {
  return `<tr><th>${name}</th><td class="num">${shown}</td><td>${barText(bar, showBar)}</td><td><span class="muted">not a memorisation test</span></td></tr>`
}

/** The privacy verdict, first on the page: what a user about to share the rows needs to know. */
function verdictSection(report: QualityReport): string {
  const { level, headline, advice } = report.privacy.verdict
  const list = advice.length > 0 ? `<ul>${advice.map((line) => `<li>${escapeHtml(line)}.</li>`).join('')}</ul>` : ''
  return `<section class="verdict ${level}" aria-label="Privacy verdict"><p><strong>Privacy.</strong> ${escapeHtml(headline)}</p>${list}</section>`
}

function summary(report: QualityReport): string {
  const { scores, privacy, utility, diagnostic } = report
  const tstr = utility ? `${fixed(utility.ratio)} (${fixed(utility.syntheticAuc)} / ${fixed(utility.realAuc)})` : ''
  // Beside the holdout's own rate: duplicates in the data give that many copies without memorising.
  const copies = `${percent(privacy.exactCopyShare, 2)} (holdout ${percent(privacy.holdoutCopyShare, 2)})`
  const tested = privacy.holdout !== 'split'
  return `<table>
<tr><th>Figure</th><th>Value</th><th>Bar</th><th></th></tr>
${barRow('Column shapes', scores.columnShapes, fixed(scores.columnShapes), QUALITY_BARS.columnShapes)}
${barRow('Column pair trends', scores.columnPairTrends, fixed(scores.columnPairTrends), QUALITY_BARS.columnPairTrends)}
${barRow('TSTR AUC ratio', utility?.ratio ?? null, tstr, QUALITY_BARS.tstrRatio)}
${
  tested
    ? barRow('Closer to train', privacy.closerToTrainShare, fixed(privacy.closerToTrainShare), QUALITY_BARS.closerToTrainShare)
    : untestedRow('Closer to train', fixed(privacy.closerToTrainShare), QUALITY_BARS.closerToTrainShare)
}
${
  tested
    ? barRow("Exact copies beyond the holdout's own", copiesBeyondHoldout(privacy), copies, QUALITY_BARS.exactCopyShare, '', sharePercent)
    : untestedRow("Exact copies beyond the holdout's own", copies, QUALITY_BARS.exactCopyShare, sharePercent)
}
${barRow('Data validity', diagnostic.validity, fixed(diagnostic.validity), QUALITY_BARS.validity, ' (ranges, categories, keys)')}
${barRow('Data structure', diagnostic.structure, fixed(diagnostic.structure), QUALITY_BARS.structure, ' (columns and types)')}
${rulesBarRow(report.rules)}<tr><th>Overall</th><td class="num">${fixed(scores.overall)}</td><td colspan="2" class="muted">${escapeHtml(scores.overallDefinition)}</td></tr>
</table>`
}

/** The business rules beside the other bars, when the document keeps any: the lowest share of rows keeping one. */
function rulesBarRow(rules: QualityReport['rules']): string {
  if (!rules?.some((r) => r.verdict !== 'rejected')) return ''
  const lowest = lowestRuleShare(rules)
  const shown = lowest === null ? '' : `${keepingPercent(lowest)} (lowest)`
  return `${barRow('Business rules', lowest, shown, QUALITY_BARS.rules, ' (every kept rule on every synthetic row)')}\n`
}

/** Rows keeping a rule: the share, and under it the count it comes from. */
const keepingCell = (rows: RowsKeepingRule) =>
  `<td class="num">${keepingPercent(rows.share)}<br><span class="muted">${formatCount(rows.keeping)} of ${formatCount(rows.rows)}</span></td>`

const RULE_STATUS: Readonly<Record<RuleReport['rule']['status'], string>> = {
  proposed: 'proposed (kept)',
  accepted: 'accepted',
  rejected: 'rejected (not kept)',
}

function ruleRow(check: RuleReport): string {
  const origin = check.rule.origin === 'detected' ? 'detected' : 'added by the user'
  const head = `<tr><td><code>${escapeHtml(check.description)}</code></td><td>${RULE_STATUS[check.rule.status]}, ${origin}</td>`
  switch (check.verdict) {
    case 'rejected':
      return `${head}<td colspan="3" class="muted">not judged</td></tr>`
    case 'unchecked':
      return `${head}<td colspan="2" class="muted">${escapeHtml(check.note ?? '')}</td><td><span class="muted">not checked</span></td></tr>`
    case 'holds':
    case 'fails': {
      const verdict =
        check.verdict === 'holds'
          ? '<span class="pass">✓ holds</span>'
          : '<span class="fail">✗ fails: a kept rule must hold on 100 % of rows</span>'
      return `${head}${check.synthetic ? keepingCell(check.synthetic) : '<td></td>'}${check.real ? keepingCell(check.real) : '<td></td>'}<td>${verdict}</td></tr>`
    }
  }
}

/** The document's business rules, each with the synthetic and real rows keeping it; nothing when it has none. */
function rulesSection(report: QualityReport): string {
  if (!report.rules?.length) return ''
  return `<h2>Rules</h2>
<p>${escapeHtml(rulesSummary(report.rules))}.</p>
<p class="muted">Proposed and accepted rules are kept: each must hold on every synthetic row compared. A rule with a null operand holds, as a SQL CHECK does; a combination rule allows the value combinations of the real rows the model learned from.</p>
<table><tr><th>Rule</th><th>Status</th><th>Synthetic rows keeping it</th><th>Real rows keeping it</th><th></th></tr>
${report.rules.map(ruleRow).join('\n')}
</table>`
}

const WIDTH = 340
const HEIGHT = 120

/** Real and synthetic shares as overlaid translucent bars on one axis. */
function histogramSvg(column: ColumnReport): string {
  const h = column.histogram
  const real = h.type === 'numeric' ? h.real : [...h.real, h.realOther]
  const synthetic = h.type === 'numeric' ? h.synthetic : [...h.synthetic, h.syntheticOther]
  const top = Math.max(...real, ...synthetic, 1e-9)
  // Rotated category labels run right of their bar: keep room for the last one.
  const step = (WIDTH - (h.type === 'numeric' ? 0 : 40)) / real.length
  const bars = (values: readonly number[], colour: string) =>
    values
      .map(
        (v, i) =>
          `<rect x="${(i * step + 1).toFixed(1)}" y="${(HEIGHT - (v / top) * HEIGHT).toFixed(1)}" width="${Math.max(step - 2, 1).toFixed(1)}" height="${((v / top) * HEIGHT).toFixed(1)}" fill="${colour}" fill-opacity="0.45"/>`,
      )
      .join('')
  let axis: string
  if (h.type === 'numeric') {
    const label = (v: number) => escapeHtml(h.temporal ? new Date(v).toISOString().slice(0, 10) : Number(v.toPrecision(4)).toString())
    axis = `<text x="0" y="${HEIGHT + 12}">${label(h.edges[0])}</text><text x="${WIDTH}" y="${HEIGHT + 12}" text-anchor="end">${label(h.edges[h.edges.length - 1])}</text>`
  } else {
    const names = [...h.categories, 'other']
    axis = names
      .map((name, i) => {
        const short = name.length > 14 ? `${name.slice(0, 13)}…` : name
        return `<text transform="translate(${(i * step + step / 2).toFixed(1)},${HEIGHT + 6}) rotate(40)">${escapeHtml(short)}<title>${escapeHtml(name)}</title></text>`
      })
      .join('')
  }
  const height = HEIGHT + (h.type === 'numeric' ? 16 : 70)
  return `<svg viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${escapeHtml(column.column)} histogram">${bars(real, 'var(--real)')}${bars(synthetic, 'var(--synthetic)')}${axis}</svg>`
}

function columnCard(column: ColumnReport): string {
  const h = column.histogram
  const nulls =
    h.realNullShare || h.syntheticNullShare ? ` · null ${percent(h.realNullShare)} real, ${percent(h.syntheticNullShare)} synthetic` : ''
  return `<div class="card"><h3>${escapeHtml(column.column)}</h3><div class="muted">${escapeHtml(column.kind)} · ${escapeHtml(column.metric)} ${fixed(column.score)}${nulls}</div>${histogramSvg(column)}</div>`
}

/** Blue for positive, red for negative association, opacity for strength. */
function heatmapSvg(title: string, names: readonly string[], matrix: readonly (readonly number[])[]): string {
  const cell = 18
  const margin = 120
  const size = margin + names.length * cell
  const cells = matrix
    .flatMap((row, i) =>
      row.map((v, j) => {
        const colour = v >= 0 ? 'var(--real)' : 'var(--synthetic)'
        return `<rect x="${margin + j * cell}" y="${margin + i * cell}" width="${cell - 1}" height="${cell - 1}" fill="${colour}" fill-opacity="${Math.min(1, Math.abs(v)).toFixed(3)}"><title>${escapeHtml(`${names[i]} ~ ${names[j]}: ${fixed(v)}`)}</title></rect>`
      }),
    )
    .join('')
  const short = (name: string) => escapeHtml(name.length > 18 ? `${name.slice(0, 17)}…` : name)
  const labels = names
    .map(
      (name, i) =>
        `<text x="${margin - 4}" y="${margin + i * cell + 13}" text-anchor="end">${short(name)}</text><text transform="translate(${margin + i * cell + 12},${margin - 4}) rotate(-60)">${short(name)}</text>`,
    )
    .join('')
  return `<figure class="card"><figcaption><strong>${escapeHtml(title)}</strong></figcaption><svg viewBox="0 0 ${size} ${size}" width="${Math.min(size, 560)}" role="img" aria-label="${escapeHtml(title)}">${cells}${labels}</svg></figure>`
}

function heatmaps(correlation: CorrelationMatrices): string {
  return `<p class="muted">${escapeHtml(correlation.method)}.</p><div class="heatmaps">${heatmapSvg('Real', correlation.columns, correlation.real)}${heatmapSvg('Synthetic', correlation.columns, correlation.synthetic)}</div>`
}

function worstPairs(pairs: readonly PairTrendScore[]): string {
  const rows = pairs
    .slice(0, 15)
    .map(
      (p) =>
        `<tr><td>${escapeHtml(p.columns[0])} ~ ${escapeHtml(p.columns[1])}</td><td>${escapeHtml(p.metric)}</td><td class="num">${fixed(p.score)}</td></tr>`,
    )
  return `<table><tr><th>Pair</th><th>Metric</th><th>Score</th></tr>${rows.join('')}</table>`
}

function guaranteeText(dp: QualityReport['privacy']['differentialPrivacy']): string {
  if (!dp) return 'none recorded (trained without it, or the report was made without its model)'
  return `ε = ${Number(dp.epsilon.toPrecision(3))}, δ = ${dp.delta.toExponential(1)}, covering the whole model`
}

function unscoredList(unscored: QualityReport['unscored']): string {
  if (unscored.length === 0) return ''
  const items = unscored.map((u) => `<li><strong>${escapeHtml(u.column)}</strong>: ${escapeHtml(u.reason)}</li>`)
  return `<p>Not scored or charted:</p><ul>${items.join('')}</ul>`
}

function privacyTable(report: QualityReport): string {
  const p = report.privacy
  return `<table>
<tr><th>Synthetic rows closer to a training row than to a holdout row</th><td class="num">${fixed(p.closerToTrainShare)}</td></tr>
<tr><th>Synthetic rows identical to a training row</th><td class="num">${percent(p.exactCopyShare, 2)}</td></tr>
<tr><th>Holdout rows identical to a training row (the data's own duplicates)</th><td class="num">${percent(p.holdoutCopyShare, 2)}</td></tr>
<tr><th>Membership-inference AUC: training rows against holdout rows by their distance to the closest synthetic row (0.5 = no leak)</th><td class="num">${fixed(p.membershipAuc)}</td></tr>
<tr><th>Median distance to the closest training row</th><td class="num">${fixed(p.medianDistanceToTrain, 4)}</td></tr>
<tr><th>Median distance to the closest holdout row</th><td class="num">${fixed(p.medianDistanceToHoldout, 4)}</td></tr>
<tr><th>Synthetic rows compared (a seeded sample: each is measured against every training and holdout row)</th><td class="num">${formatCount(p.rowsCompared)}</td></tr>
<tr><th>Differential privacy</th><td>${escapeHtml(guaranteeText(p.differentialPrivacy))}</td></tr>
</table><p>${escapeHtml(p.protection[0].toUpperCase() + p.protection.slice(1))}.</p><p class="muted">${escapeHtml(p.note)}. Distances are Gower-style over ${escapeHtml(p.columns.join(', '))}, as written (masked and faked values too): numbers scaled by the training range, categories equal or not; a synthetic row as near to both sides counts half to each.</p>`
}

/**
 * A self-contained page: one style element and SVG, nothing fetched, no script. With a nonce
 * (a VS Code webview), only the style element carrying it may apply.
 */
/** Where a user finds the same figures for other synthesizers. */
export const PEERS_NOTE =
  "These are SDMetrics' QualityReport and DiagnosticReport figures: the same as SDV's and MOSTLY AI's reports give. " +
  "Spark Synth, SDV (GaussianCopula, CTGAN, TVAE) and MOSTLY AI's TabularARGN measured on six public tables with these metrics: " +
  'bench/results/peers.md in the Spark Synth repository (npm run bench:peers).'

export function renderQualityReportHtml(report: QualityReport, options: { readonly nonce?: string } = {}): string {
  const styleSource = options.nonce ? `'nonce-${options.nonce}'` : "'unsafe-inline'"
  const nonce = options.nonce ? ` nonce="${options.nonce}"` : ''
  const utility = report.utility
    ? `<p>Utility: a classifier for <strong>${escapeHtml(report.utility.target)}</strong> = ${escapeHtml(report.utility.positive)} scored on the holdout: ROC AUC ${fixed(report.utility.syntheticAuc)} trained on synthetic rows, ${fixed(report.utility.realAuc)} trained on real rows.</p>`
    : '<p class="muted">Utility not measured (no target column given).</p>'
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${styleSource}">
<title>Synthetic data quality report</title><style${nonce}>${CSS}</style></head>
<body>
<h1>Synthetic data quality report</h1>
<p class="muted">${escapeHtml(report.generatedBy)} · ${escapeHtml(report.generatedAt)}${report.backend ? ` · backend ${escapeHtml(report.backend)}` : ''}</p>
<p>${escapeHtml(rowsCompared(report.rows))}</p>
${verdictSection(report)}
${summary(report)}
<p class="muted">${escapeHtml(PEERS_NOTE)}</p>
${utility}
${rulesSection(report)}
<h2>Columns, worst first</h2>
<p class="legend"><span><i class="swatch real"></i>real</span><span><i class="swatch synthetic"></i>synthetic</span><span class="muted">shares of present values; numbers binned over the real range</span></p>
<div class="grid">${report.columns.map(columnCard).join('\n')}</div>
${unscoredList(report.unscored)}
<h2>Correlations</h2>
${heatmaps(report.correlation)}
<h2>Worst column pairs</h2>
${worstPairs(report.pairs)}
<h2>Privacy</h2>
${privacyTable(report)}
</body></html>
`
}
