import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  convertPartitionValue,
  inferPartitionType,
  parsePartitionSegment,
  unescapePathName,
  type PartitionType,
} from '../src/core/io/partitions.ts'
import { parseSparkType, sparkTypeDdl } from '../src/core/io/sparkType.ts'

/** The type inferred for a key's values, as DDL. */
const inferred = (values: readonly (string | null)[]) => sparkTypeDdl(inferPartitionType(values))
const partitionType = (ddl: string) => parseSparkType(ddl) as PartitionType

test('partition folders parse to key and unescaped value', () => {
  assert.deepEqual(parsePartitionSegment('date=2023-04-13'), { key: 'date', value: '2023-04-13' })
  assert.deepEqual(parsePartitionSegment('city=New%20York%3A%2FNY'), { key: 'city', value: 'New York:/NY' })
  assert.deepEqual(parsePartitionSegment('a%3Db=x%3Dy'), { key: 'a=b', value: 'x=y' })
  assert.deepEqual(parsePartitionSegment('year=__HIVE_DEFAULT_PARTITION__'), { key: 'year', value: null })
  assert.equal(parsePartitionSegment('plainfolder'), undefined)
  assert.equal(parsePartitionSegment('=value'), undefined)
})

test('Spark escapes that are not hex stay as they are', () => {
  assert.equal(unescapePathName('100%'), '100%')
  assert.equal(unescapePathName('%zz%41'), '%zzA')
})

test('partition types are inferred like Spark: int, bigint, double, date, timestamp, string', () => {
  assert.equal(inferred(['1', '20', null]), 'int')
  assert.equal(inferred(['1', '9999999999']), 'bigint')
  assert.equal(inferred(['1', '2.5']), 'double')
  assert.equal(inferred(['2023-12-22', null]), 'date')
  assert.equal(inferred(['2023-12-22 10:00:00']), 'timestamp')
  assert.equal(inferred(['2023-12-22', 'x']), 'string')
  assert.equal(inferred(['2023-13-45']), 'string')
  assert.equal(inferred([null]), 'string')
  assert.deepEqual(convertPartitionValue('2023-12-22', partitionType('date')), new Date(Date.UTC(2023, 11, 22)))
  assert.equal(convertPartitionValue('7', partitionType('int')), 7)
  assert.equal(convertPartitionValue(null, partitionType('int')), null)
})

test('partition types on the edges are the ones Spark 3.5 infers: whole decimals, no long/double widening, Java number forms, one fraction digit', () => {
  assert.equal(inferred(['3', '99999999999999999999']), 'decimal(20,0)')
  assert.equal(inferred(['1e3']), 'decimal(4,0)')
  assert.equal(inferred(['-2147483648', '+5', '007']), 'int')
  assert.equal(inferred(['9007199254740993']), 'bigint')
  assert.equal(inferred(['3000000000', '1.5']), 'string')
  assert.equal(inferred(['99999999999999999999', '1.5']), 'string')
  assert.equal(inferred(['NaN', 'Infinity', '1.5d', ' 5', '9'.repeat(39)]), 'double')
  assert.equal(inferred(['2021-01-01', '2021-01-01 10:00:00.5']), 'timestamp')
  assert.equal(inferred(['2021-01-01 10:00:00.12']), 'string')
  assert.equal(inferred(['2021-01-01T10:00:00']), 'string')
  assert.equal(inferred(['2021-02-29']), 'string')
  assert.equal(inferred(['2020-02-29']), 'date')
  assert.equal(convertPartitionValue('1.5d', partitionType('double')), 1.5)
  assert.equal(convertPartitionValue('9007199254740993', partitionType('bigint')), 9007199254740992)
  assert.deepEqual(
    convertPartitionValue('2021-01-01 10:00:00.5', partitionType('timestamp')),
    new Date(Date.UTC(2021, 0, 1, 10, 0, 0, 500)),
  )
  assert.deepEqual(convertPartitionValue('2021-01-01', partitionType('timestamp')), new Date(Date.UTC(2021, 0, 1)))
})
