import type { Table } from '../io/table.ts'
import type { ColumnMeta } from '../meta/document.ts'
import { Random, sampleIndices } from '../random.ts'
import { rocAuc } from './metrics.ts'
import { closest, rowEncoder } from './privacy.ts'

export interface MembershipOptions {
  readonly seed?: number
  /** Candidates drawn from each side (members and non-members), at most. */
  readonly maxCandidates?: number
  /** Synthetic rows the candidates are measured against, at most. */
  readonly maxSynthetic?: number
}

/**
 * A distance-based membership-inference attack: an attacker holding the synthetic rows guesses that a real
 * row was trained on when a synthetic row lies near it. Each candidate's score is minus its distance to the
 * closest synthetic row (the distance of the report's privacy figures); the result is the attack's ROC AUC
 * over as many members (training rows) as non-members (holdout rows), ties counted half. 0.5: the synthetic
 * rows tell members from non-members no better than chance; 1: every member is nearer than every non-member.
 */
export function membershipAuc(
  members: Table,
  nonMembers: Table,
  synthetic: Table,
  columns: readonly ColumnMeta[],
  options: MembershipOptions = {},
): number {
  const random = new Random(options.seed ?? 0)
  const candidates = Math.min(members.rowCount, nonMembers.rowCount, options.maxCandidates ?? 5000)
  const { width, numeric, encode } = rowEncoder(members, columns)
  const syntheticBlock = encode(synthetic, sampleIndices(synthetic.rowCount, options.maxSynthetic ?? 5000, random))
  const scores = (table: Table) => {
    const block = encode(table, sampleIndices(table.rowCount, candidates, random))
    return Array.from({ length: candidates }, (_, r) => -closest(block, r * width, syntheticBlock, width, numeric))
  }
  const labels = [...Array<boolean>(candidates).fill(true), ...Array<boolean>(candidates).fill(false)]
  return rocAuc(labels, [...scores(members), ...scores(nonMembers)])
}
