/**
 * The sampler's last guard: every generated row keeps every active rule. Rules built in (ruleConstruction.ts)
 * almost never fail here; the others (a second inequality on one column, a unique key, a rule on a column the
 * network does not learn) are kept by drawing again the rows that break them. Unique keys are remembered across
 * the stream's batches.
 */
import { SparkSynthError } from '../errors.ts'
import { columnValues } from '../io/columnLookup.ts'
import type { Table } from '../io/table.ts'
import { ruleCheck, tupleKey } from '../rules/check.ts'
import { describeRule, type Rule } from '../rules/rule.ts'

export class RuleGuard {
  private readonly seen: Map<Rule, Set<string>>
  /** Rows rejected per rule, for the error when the model rarely keeps one. */
  private readonly rejected = new Map<Rule, number>()

  constructor(
    private readonly rules: readonly Rule[],
    /** Per combination rule, the value tuples it allows (`tupleKey`s); a combination without is not judged. */
    private readonly combinations: ReadonlyMap<Rule, ReadonlySet<string>>,
  ) {
    this.seen = new Map(rules.filter((rule) => rule.kind === 'unique').map((rule) => [rule, new Set<string>()]))
  }

  get active(): boolean {
    return this.rules.length > 0
  }

  /**
   * Rows of `table` that keep every rule, in order, at most `wanted` of them; their unique keys are
   * remembered (only theirs: a row not taken holds no key).
   */
  take(table: Table, wanted: number): number[] {
    const rowRules = this.rules.filter((rule) => rule.kind !== 'unique' && (rule.kind !== 'combination' || this.combinations.has(rule)))
    const checks = rowRules.map((rule) => ruleCheck(rule, table, this.combinations.get(rule)))
    const keys = [...this.seen.keys()].map((rule) => {
      const columns = (rule as Extract<Rule, { kind: 'unique' }>).columns.map((name) => columnValues(table, name))
      return (r: number) => {
        const cells = columns.map((column) => column[r])
        return cells.some((cell) => cell === null) ? null : tupleKey(cells)
      }
    })
    const uniques = [...this.seen.entries()]
    const taken: number[] = []
    for (let r = 0; r < table.rowCount && taken.length < wanted; r++) {
      const broken = checks.findIndex((holds) => !holds(r))
      if (broken >= 0) {
        this.count(rowRules[broken])
        continue
      }
      const rowKeys = keys.map((key) => key(r))
      const clash = uniques.findIndex(([, seen], u) => rowKeys[u] !== null && seen.has(rowKeys[u]))
      if (clash >= 0) {
        this.count(uniques[clash][0])
        continue
      }
      uniques.forEach(([, seen], u) => rowKeys[u] !== null && seen.add(rowKeys[u]))
      taken.push(r)
    }
    return taken
  }

  private count(rule: Rule): void {
    this.rejected.set(rule, (this.rejected.get(rule) ?? 0) + 1)
  }

  /** The error when `drawn` rows gave too few that keep the rules: names the rule broken most. */
  tooRare(drawn: number, kept: number): SparkSynthError {
    const [rule] = [...this.rejected.entries()].sort((a, b) => b[1] - a[1])[0] ?? [this.rules[0]]
    return new SparkSynthError(
      `only ${((kept / Math.max(1, drawn)) * 100).toFixed(2)}% of generated rows keep every rule (most often broken: ${describeRule(rule)})`,
      'The model rarely generates rows that keep this rule: check that it holds on the data, or reject it in the metadata',
      {},
    )
  }
}
