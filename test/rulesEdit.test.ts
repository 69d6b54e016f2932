import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sampleDataset } from '../src/core/io/dataset.ts'
import { extractMetadata, type MetadataDocument } from '../src/core/meta/document.ts'
import { parseMetadata, serializeMetadata } from '../src/core/meta/metadataFile.ts'
import { describeRule, type Rule } from '../src/core/rules/rule.ts'
import type { EditOutcome } from '../src/host/columnEdit.ts'
import { applyRuleEdit } from '../src/host/rulesEdit.ts'
import { isWebviewToHost, type RuleEdit } from '../src/protocol/webview.ts'
import { ruleColumnChoices, ruleDraft, type RuleForm } from '../webview/ruleDraft.ts'
import { EXAMPLE_ADULT } from './helpers.ts'

const COMBINATION: Rule = {
  kind: 'combination',
  columns: ['education', 'education-num'],
  status: 'proposed',
  origin: 'detected',
  support: { rows: 2000, exceptions: 0 },
}

/** Adult as extracted, with the detected combination of education and education-num. */
const adult: Promise<MetadataDocument> = sampleDataset(EXAMPLE_ADULT, { rows: 2000, seed: 3 }).then(({ summary, table }) => ({
  ...extractMetadata(summary, table),
  rules: [COMBINATION],
}))

function edited(outcome: EditOutcome): MetadataDocument {
  if ('problem' in outcome) assert.fail(`refused: ${outcome.problem}`)
  // What the host writes is a document the editor and the CLI read back.
  return parseMetadata(serializeMetadata(outcome.document), 'edited.synth-meta.json')
}

function refusal(outcome: EditOutcome): string {
  assert.ok('problem' in outcome, 'the edit is refused')
  return outcome.problem
}

const said = describeRule(COMBINATION)

test('rejecting a detected rule, then accepting it, changes its status and nothing else of the document', async () => {
  const document = await adult
  const rejected = edited(applyRuleEdit(document, { type: 'setRuleStatus', index: 0, said, status: 'rejected' }))
  assert.deepEqual(rejected.rules, [{ ...COMBINATION, status: 'rejected' }])
  assert.deepEqual({ ...rejected, rules: undefined }, { ...document, rules: undefined })
  const accepted = edited(applyRuleEdit(rejected, { type: 'setRuleStatus', index: 0, said, status: 'accepted' }))
  assert.deepEqual(accepted.rules, [{ ...COMBINATION, status: 'accepted' }])
})

test('a rule added by hand is appended, accepted and from the user; removing it leaves no rules key when none is left', async () => {
  const document = await adult
  const added = edited(applyRuleEdit(document, { type: 'addRule', rule: { kind: 'range', column: 'age', min: 17 } }))
  assert.deepEqual(added.rules?.[1], { kind: 'range', column: 'age', min: 17, status: 'accepted', origin: 'user' })
  const removed = edited(applyRuleEdit(added, { type: 'removeRule', index: 1, said: '17 <= `age`' }))
  assert.deepEqual(removed.rules, [COMBINATION])
  const alone = edited(applyRuleEdit({ ...document, rules: undefined }, { type: 'addRule', rule: { kind: 'unique', columns: ['fnlwgt'] } }))
  const none = edited(applyRuleEdit(alone, { type: 'removeRule', index: 0, said: 'unique (`fnlwgt`)' }))
  assert.ok(!('rules' in none), 'no empty rules array')
  assert.ok(!serializeMetadata(none).includes('"rules"'))
})

test('an added rule with a problem is refused with the problem naming the rule, and the document is untouched', async () => {
  const document = await adult
  const before = serializeMetadata(document)
  const add = (rule: Extract<RuleEdit, { type: 'addRule' }>['rule']) => refusal(applyRuleEdit(document, { type: 'addRule', rule }))
  assert.equal(
    add({ kind: 'expression', column: 'hours-per-week', expression: '`age` + `nope`' }),
    'rule 2 (`hours-per-week` = `age` + `nope`) names `nope`, which is not a column of the table',
  )
  assert.equal(
    add({ kind: 'range', column: 'workclass', min: 0 }),
    'rule 2 (0 <= `workclass`) needs numbers, and `workclass` holds string values',
  )
  assert.match(
    add({ kind: 'expression', column: 'age', expression: '`fnlwgt` +' }),
    /^rule 2 \(`age` = `fnlwgt` \+\) has an expression that does not parse/,
  )
  assert.match(add({ kind: 'inequality', low: 'age', high: 'sex', strict: false }), /an inequality needs two numeric columns/)
  assert.match(add({ kind: 'combination', columns: ['education', 'education-num'] }), /^rule 1 .* says that already$/)
  assert.equal(serializeMetadata(document), before)

  const withMin = edited(applyRuleEdit(document, { type: 'addRule', rule: { kind: 'range', column: 'age', min: 17 } }))
  assert.match(
    refusal(applyRuleEdit(withMin, { type: 'addRule', rule: { kind: 'range', column: 'age', max: 10 } })),
    /^rule 3 \(`age` <= 10\) and rule 2 \(17 <= `age`\) leave no value `age` can take$/,
  )
})

test('accepting a rejected rule is checked too: one that contradicts a kept rule stays rejected', async () => {
  const document = await adult
  const rules: Rule[] = [
    { kind: 'inequality', low: 'age', high: 'hours-per-week', strict: true, status: 'accepted', origin: 'user' },
    { kind: 'inequality', low: 'hours-per-week', high: 'age', strict: false, status: 'rejected', origin: 'user' },
  ]
  const problem = refusal(
    applyRuleEdit({ ...document, rules }, { type: 'setRuleStatus', index: 1, said: describeRule(rules[1]), status: 'accepted' }),
  )
  assert.match(problem, /^rule 1 \(`age` < `hours-per-week`\) asks for `age` < `hours-per-week`, and rule 2/)
})

test('an edit of a rule the document no longer holds at that place is refused; a detected rule is rejected, not removed', async () => {
  const document = await adult
  assert.equal(
    refusal(applyRuleEdit(document, { type: 'setRuleStatus', index: 3, said, status: 'rejected' })),
    'rule 4 is out of range (the document has 1 rule)',
  )
  assert.equal(
    refusal(applyRuleEdit(document, { type: 'setRuleStatus', index: 0, said: '`a` <= `b`', status: 'rejected' })),
    `rule 1 is now ${said}, not \`a\` <= \`b\``,
  )
  assert.match(refusal(applyRuleEdit(document, { type: 'removeRule', index: 0, said })), /was detected in the data: reject it/)
})

test('the form offers only columns of fitting types: numbers for a range, categories for a combination, alike pairs', async () => {
  const { columns } = await adult
  const numeric = ['age', 'fnlwgt', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week']
  assert.deepEqual(ruleColumnChoices('range', columns), numeric)
  assert.ok(ruleColumnChoices('combination', columns).includes('education'))
  assert.ok(ruleColumnChoices('combination', columns).includes('education-num'), 'whole numbers are categories enough')
  const age = columns.find((c) => c.name === 'age')
  assert.deepEqual(
    ruleColumnChoices('inequality', columns, age),
    numeric.filter((name) => name !== 'age'),
  )
  const doubles = [{ ...columns[0], name: 'ratio', sparkType: 'double' }]
  assert.deepEqual(ruleColumnChoices('combination', doubles), [], 'a double is no category')
  assert.deepEqual(ruleColumnChoices('increment', doubles), ['ratio'])
})

const FORM: RuleForm = {
  kind: 'range',
  column: 'age',
  low: '',
  high: '',
  strict: false,
  columns: [],
  min: '17',
  max: '',
  minExclusive: false,
  maxExclusive: true,
  step: '',
  expression: '',
  tolerance: '',
}

test('the form reads as the rule each kind needs, or says what is missing; every draft crosses the protocol', () => {
  const drafts = [
    ruleDraft(FORM),
    ruleDraft({ ...FORM, kind: 'inequality', low: 'age', high: 'hours-per-week', strict: true }),
    ruleDraft({ ...FORM, kind: 'increment', step: '2.5' }),
    ruleDraft({ ...FORM, kind: 'expression', column: 'total', expression: ' `a` + `b` ', tolerance: '0.01' }),
    ruleDraft({ ...FORM, kind: 'unique', columns: ['id'] }),
  ]
  assert.deepEqual(drafts, [
    { draft: { kind: 'range', column: 'age', min: 17 } },
    { draft: { kind: 'inequality', low: 'age', high: 'hours-per-week', strict: true } },
    { draft: { kind: 'increment', column: 'age', step: 2.5 } },
    { draft: { kind: 'expression', column: 'total', expression: '`a` + `b`', tolerance: 0.01 } },
    { draft: { kind: 'unique', columns: ['id'] } },
  ])
  for (const drafted of drafts) if ('draft' in drafted) assert.ok(isWebviewToHost({ type: 'addRule', rule: drafted.draft }))
  assert.deepEqual(ruleDraft({ ...FORM, min: '', max: '' }), { problem: 'Give a min, a max or both.' })
  assert.deepEqual(ruleDraft({ ...FORM, min: 'ten' }), { problem: 'Min must be a number, such as 17, -3 or 2.5.' })
  assert.deepEqual(ruleDraft({ ...FORM, column: '' }), { problem: 'Choose a column.' })
  assert.deepEqual(ruleDraft({ ...FORM, kind: 'increment', step: '-1' }), { problem: 'Step must be above 0.' })
  assert.deepEqual(ruleDraft({ ...FORM, kind: 'combination', columns: ['education'] }), { problem: 'Choose at least two columns.' })
  assert.deepEqual(ruleDraft({ ...FORM, kind: 'inequality', low: 'age' }), { problem: 'Choose the higher column.' })
})
