import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sampleDataset } from '../src/core/io/dataset.ts'
import type { Cell, Table } from '../src/core/io/table.ts'
import { extractMetadata, type ColumnMeta } from '../src/core/meta/document.ts'
import { membershipAuc } from '../src/core/quality/membership.ts'
import { splitTrainHoldout } from '../src/core/quality/split.ts'
import { EXAMPLE_ADULT } from './helpers.ts'

const { summary, table } = await sampleDataset(EXAMPLE_ADULT, { rows: 6000, seed: 2 })
const columns = extractMetadata(summary, table).columns
// Three disjoint thirds of real Adult rows: members, non-members, and rows drawn independently of both.
const { train: members, holdout: rest } = splitTrainHoldout(table, 1 / 3, 0)
const { train: nonMembers, holdout: independent } = splitTrainHoldout(rest, 1 / 2, 0)

test('synthetic rows that are the members themselves give them away: AUC ≈ 1', () => {
  const auc = membershipAuc(members, nonMembers, members, columns, { maxSynthetic: members.rowCount })
  assert.ok(auc > 0.99, `AUC ${auc}`)
})

test('synthetic rows drawn independently of members and non-members tell nothing: AUC ≈ 0.5', () => {
  const auc = membershipAuc(members, nonMembers, independent, columns)
  assert.ok(Math.abs(auc - 0.5) < 0.03, `AUC ${auc}`)
})

function categorical(values: readonly Cell[]): Table {
  return {
    columns: [{ name: 'c', sparkType: { id: 'string' }, nullable: true, nested: false, partition: false }],
    values: [values],
    rowCount: values.length,
  }
}

const COLUMN: ColumnMeta = {
  name: 'c',
  sparkType: 'string',
  nullable: true,
  partition: false,
  detectedKind: 'categorical',
  kind: 'categorical',
  exclude: false,
  sensitive: 'keep',
  nullFraction: 0,
  stats: {},
}

test('a member and a non-member as near to the synthetic rows count half (Mann–Whitney ties)', () => {
  // Distances to the one synthetic row "a": members 0, 0, 1; non-members 0, 1, 1. Of the nine pairs, the
  // member is nearer in 4, as near in 4 (two at 0, two at 1) and farther in 1: AUC (4 + 4 / 2) / 9.
  const auc = membershipAuc(categorical(['a', 'a', 'b']), categorical(['a', 'c', 'c']), categorical(['a']), [COLUMN])
  assert.equal(auc, 6 / 9)
})
