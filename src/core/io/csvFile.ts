import { readFile } from 'node:fs/promises'
import { csvParseRows } from 'd3-dsv'
import { SparkSynthError } from '../errors.ts'
import { inferPartitionType, convertPartitionValue } from './partitions.ts'
import type { FileReader } from './fileReader.ts'
import type { Cell, SourceColumn } from './table.ts'

const BOOLEAN = /^(true|false)$/i

/**
 * Opens a CSV file with a header row, a convenience input: values are trimmed (like pandas'
 * `skipinitialspace`), empty fields are nulls, and each column gets the narrowest Spark type
 * its values fit (the same inference Spark applies to partition values, plus boolean).
 */
export async function openCsvFile(file: string): Promise<FileReader> {
  const lines = csvParseRows(await readFile(file, 'utf8'))
  const header = lines.at(0)
  const records = lines.slice(1)
  if (!header || header.length === 0) {
    throw new SparkSynthError('the CSV file has no header row', 'Add a header row with the column names', { file })
  }
  const names = header.map((name) => name.trim())
  const raw = names.map((_, c) =>
    records.map((record) => {
      const value = (record[c] ?? '').trim()
      return value === '' ? null : value
    }),
  )
  const columns: SourceColumn[] = []
  const values: Cell[][] = []
  names.forEach((name, c) => {
    const present = raw[c].filter((v): v is string => v !== null)
    const isBoolean = present.length > 0 && present.every((v) => BOOLEAN.test(v))
    const inferred = inferPartitionType(raw[c])
    columns.push({
      name,
      sparkType: isBoolean ? { id: 'boolean' } : inferred,
      nullable: present.length < raw[c].length,
      nested: false,
      partition: false,
    })
    values.push(raw[c].map((v) => (v === null ? null : isBoolean ? v.toLowerCase() === 'true' : convertPartitionValue(v, inferred))))
  })
  return {
    path: file,
    columns,
    rowCount: records.length,
    readRows: (rows, wanted) =>
      Promise.resolve().then(() => wanted.map((name) => Array.from(rows, (row) => values[names.indexOf(name)][row]))),
    close: () => Promise.resolve(),
  }
}
