/** A hand-made metadata document with many columns, to check the editor stays usable at that size. */
import type { ColumnMeta, MetadataDocument } from '../../src/core/meta/document.ts'
import type { ColumnKind } from '../../src/core/meta/kinds.ts'

function column(i: number): ColumnMeta {
  const name = `col_${String(i).padStart(3, '0')}`
  const base = { name, nullable: true, partition: false, exclude: false, sensitive: 'keep' as const, nullFraction: (i % 10) / 20 }
  const withKind = (kind: ColumnKind, sparkType: string) => ({ ...base, sparkType, detectedKind: kind, kind })
  switch (i % 4) {
    case 0: {
      const counts = Array.from({ length: 20 }, (_, b) => Math.round(1000 * Math.exp(-(((b - 10 + (i % 7)) / 4) ** 2))))
      return {
        ...withKind('continuous', 'double'),
        stats: {
          numeric: {
            min: 0,
            max: 100,
            mean: 50,
            std: 20,
            quantiles: { p01: 2, p05: 10, p25: 35, p50: 50, p75: 65, p95: 90, p99: 98 },
            distinct: 900,
            nanCount: 0,
            histogram: { edges: Array.from({ length: 21 }, (_, e) => e * 5), counts },
          },
        },
      }
    }
    case 1:
      return {
        ...withKind('categorical', 'string'),
        stats: {
          categories: {
            distinct: 12,
            top: ['red', 'green', 'blue', 'amber'].map((value, v) => ({ value: `${value}-${i}`, count: 400 - v * 90 })),
            otherCount: 140,
          },
        },
      }
    case 2:
      return {
        ...withKind('identifier', 'string'),
        stats: { text: { distinct: 1000, length: { min: 36, max: 36, mean: 36 }, pattern: 'uuid' } },
      }
    default:
      return {
        ...withKind('timestamp', 'timestamp'),
        stats: {
          temporal: {
            min: '2024-01-01T00:00:00.000Z',
            max: '2024-01-02T00:00:00.000Z',
            quantiles: {
              p01: '2024-01-01T00:15:00.000Z',
              p05: '2024-01-01T01:12:00.000Z',
              p25: '2024-01-01T06:00:00.000Z',
              p50: '2024-01-01T12:00:00.000Z',
              p75: '2024-01-01T18:00:00.000Z',
              p95: '2024-01-01T22:48:00.000Z',
              p99: '2024-01-01T23:45:00.000Z',
            },
            distinct: 1000,
            histogram: { edges: ['2024-01-01T00:00:00.000Z', '2024-01-01T12:00:00.000Z', '2024-01-02T00:00:00.000Z'], counts: [480, 520] },
          },
        },
      }
  }
}

export function wideDocument(columns: number): MetadataDocument {
  return {
    version: 1,
    source: {
      path: 'wide',
      format: 'parquet',
      files: [{ path: 'part-00000.parquet', rows: 1000 }],
      rowCount: 1000,
      sampleSize: 1000,
      seed: 7,
    },
    columns: Array.from({ length: columns }, (_, i) => column(i)),
  }
}
