/**
 * Parquet engine comparison: hyparquet (+ hyparquet-compressors) vs parquet-wasm (+ apache-arrow).
 *
 *   cd /work/main && node --expose-gc --import tsx bench/engines.ts > /tmp/engines.md
 *   (optional argument: all | coverage | types | speed | size; default all, about 4 minutes on 2 cores)
 *
 * Prints markdown tables to stdout (progress goes to stderr). Sections:
 *   1. coverage of every Parquet file under ../shared/data (+ one synthetic file per codec),
 *   2. JS value types returned for Spark columns,
 *   3. speed / peak RSS on vega-datasets flights-3m.parquet (one child process per measurement),
 *   4. install and bundle size.
 * Every read that may fail, panic (wasm `RuntimeError: unreachable`) or blow up runs in a child
 * process (this same file, started with a mode argument), so the parent never loads a poisoned
 * wasm instance and each peak RSS figure is clean.
 * Results are in docs/parquet-engines.md.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32, gzipSync } from 'node:zlib'
import type { Table as ArrowTable, Vector } from 'apache-arrow'
import type { ColumnData, ColumnMetaData, DecodedArray, FileMetaData } from 'hyparquet'

const SELF = fileURLToPath(import.meta.url)
const ROOT = resolve(dirname(SELF), '..')
const DATA = resolve(ROOT, '../shared/data')
const NM = join(ROOT, 'node_modules')
const FLIGHTS = join(NM, 'vega-datasets/data/flights-3m.parquet')
const REPS = 3

// ---------------------------------------------------------------------------------------------
// small helpers

const log = (msg: string) => process.stderr.write(`[engines] ${msg}\n`)

/** Name + first line of an error (wasm-bindgen may throw plain strings). */
function errLine(e: unknown): string {
  const name = e instanceof Error ? e.constructor.name : typeof e
  const msg = e instanceof Error ? e.message : String(e)
  const first = msg.split('\n')[0].trim()
  return `${name}: ${first.length > 110 ? first.slice(0, 107) + '...' : first}`
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name)
      return statSync(p).isDirectory() ? walk(p) : [p]
    })
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1)
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

function table(head: string[], rows: (string | number)[][]): string {
  const line = (r: (string | number)[]) => `| ${r.map((c) => cell(String(c))).join(' | ')} |`
  return [line(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n')
}

function jsonSafe(v: unknown): string {
  // Undefined, functions and symbols have no JSON: JSON.stringify returns undefined for them.
  const json = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) as string | undefined
  return json ?? String(v)
}

/** A column of an Arrow table that must have it. */
function childOf(table: ArrowTable, name: string): Vector {
  const child = table.getChild(name)
  if (!child) throw new Error(`the Arrow table has no column ${name}`)
  return child
}

/** Where a column chunk's first page starts: its dictionary page, unless the writer left that offset unset or 0. */
function chunkStart(meta: ColumnMetaData): number {
  const dictionary = Number(meta.dictionary_page_offset ?? 0)
  return dictionary > 0 ? dictionary : Number(meta.data_page_offset)
}

/** Run this script in a child process with a mode argument; returns stdout lines and status. */
function child(args: string[]): { lines: string[]; status: number | null; signal: string | null; stderr: string } {
  const r = spawnSync(process.execPath, [...process.execArgv, SELF, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  })
  return { lines: r.stdout.split('\n').filter(Boolean), status: r.status, signal: r.signal, stderr: r.stderr }
}

// ---------------------------------------------------------------------------------------------
// engines (imported lazily so a hyparquet child never loads wasm and vice versa)

async function hyp() {
  const [h, c] = await Promise.all([import('hyparquet'), import('hyparquet-compressors')])
  return { ...h, compressors: c.compressors }
}
async function pw() {
  const [w, a] = await Promise.all([import('parquet-wasm/node'), import('apache-arrow')])
  return { w, a }
}

type Engine = 'hyparquet' | 'parquet-wasm'
const ENGINES: Engine[] = ['hyparquet', 'parquet-wasm']

/** Full read of one file with one engine; returns the row count. */
async function readFull(engine: Engine, path: string): Promise<number> {
  const buf = readFileSync(path)
  if (engine === 'hyparquet') {
    const h = await hyp()
    const rows = await h.parquetReadObjects({ file: toArrayBuffer(buf), compressors: h.compressors })
    return rows.length
  }
  const { w, a } = await pw()
  const t = a.tableFromIPC(w.readParquet(new Uint8Array(buf)).intoIPCStream())
  return t.numRows
}

// ---------------------------------------------------------------------------------------------
// 1. coverage

interface ReadResult {
  ok: boolean
  rows?: number
  ms: number
  error?: string
}

/** child mode: read the given files in order, one JSON line per file. */
async function coverageChild(engine: Engine, files: string[]) {
  for (let i = 0; i < files.length; i++) {
    process.stdout.write(`START ${i}\n`)
    const t0 = performance.now()
    let res: ReadResult
    let trap = false
    try {
      const rows = await readFull(engine, files[i])
      res = { ok: true, rows, ms: performance.now() - t0 }
    } catch (e) {
      const ms = performance.now() - t0
      // cost of the failure: time, process peak RSS, wasm linear memory (which never shrinks)
      const wasm = engine === 'parquet-wasm' ? `, wasm memory now ${mb((await pw()).w.wasmMemory().buffer.byteLength)} MiB` : ''
      const cost =
        ms > 1000 ? ` [after ${(ms / 1000).toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB${wasm}]` : ''
      res = { ok: false, ms, error: errLine(e) + cost }
      trap = e instanceof WebAssembly.RuntimeError
    }
    process.stdout.write(`RESULT ${JSON.stringify({ i, ...res })}\n`)
    // a wasm trap may leave the instance in an undefined state: start a fresh process
    if (trap) process.exit(3)
  }
}

/** Read every file with one engine, respawning the child after wasm traps or crashes. */
function coverage(engine: Engine, files: string[]): { results: ReadResult[]; respawns: string[] } {
  const results = new Array<ReadResult | undefined>(files.length)
  const respawns: string[] = []
  let todo = files.map((_, i) => i)
  while (todo.length) {
    const r = child(['coverage-child', engine, ...todo.map((i) => files[i])])
    let started = -1
    let last = -1
    let progressed = false
    for (const line of r.lines) {
      if (line.startsWith('START ')) started = todo[Number(line.slice(6))]
      else if (line.startsWith('RESULT ')) {
        const { i, ...res } = JSON.parse(line.slice(7)) as ReadResult & { i: number }
        results[todo[i]] = res
        progressed = true
        last = todo[i]
        started = -1
      }
    }
    if (started >= 0) {
      // the process died inside a read (OOM, abort, signal)
      const tail = r.stderr.trim().split('\n').filter(Boolean).pop() ?? ''
      results[started] = { ok: false, ms: NaN, error: `process died (${r.signal ?? `exit ${r.status}`}): ${tail.slice(0, 100)}` }
      progressed = true
      last = started
    }
    if (r.status !== 0 && last >= 0) respawns.push(`${relative(DATA, files[last])} (exit ${r.status ?? r.signal})`)
    if (!progressed) {
      for (const i of todo) results[i] = { ok: false, ms: NaN, error: `child failed: ${r.stderr.trim().split('\n')[0]}` }
      break
    }
    todo = todo.filter((i) => !results[i])
  }
  return { results: results as ReadResult[], respawns }
}

interface FileInfo {
  path: string
  rel: string
  bytes: number
  codecs: string[]
  rows?: number
  createdBy?: string
  crc?: { pages: number; withCrc: number; bad: number }
  metaError?: string
}

/** Verify page CRC32s (hyparquet parses the field but never checks it; neither does parquet-wasm). */
async function checkCrcs(ab: ArrayBuffer, md: FileMetaData) {
  const { parquetHeader } = await import('hyparquet/src/column.js')
  let pages = 0,
    withCrc = 0,
    bad = 0
  const view = new DataView(ab)
  for (const rg of md.row_groups) {
    for (const col of rg.columns) {
      const meta = col.meta_data
      if (!meta) continue
      const start = chunkStart(meta)
      const end = start + Number(meta.total_compressed_size)
      const reader = { view, offset: start }
      while (reader.offset < end) {
        const header = parquetHeader(reader)
        const body = new Uint8Array(ab, reader.offset, header.compressed_page_size)
        reader.offset += header.compressed_page_size
        pages++
        if (header.crc === undefined) continue
        withCrc++
        if ((crc32(body) | 0) !== header.crc) bad++
      }
    }
  }
  return { pages, withCrc, bad }
}

async function fileInfo(path: string): Promise<FileInfo> {
  const buf = readFileSync(path)
  const info: FileInfo = { path, rel: relative(DATA, path), bytes: buf.byteLength, codecs: [] }
  const h = await hyp()
  try {
    const ab = toArrayBuffer(buf)
    const md = h.parquetMetadata(ab)
    info.rows = Number(md.num_rows)
    info.createdBy = md.created_by
    info.codecs = [...new Set(md.row_groups.flatMap((rg) => rg.columns.map((c) => c.meta_data?.codec ?? '?')))].sort()
    try {
      info.crc = await checkCrcs(ab, md)
    } catch (e) {
      info.metaError = `CRC walk: ${errLine(e)}`
    }
  } catch (e) {
    info.metaError = errLine(e)
  }
  return info
}

function verdict(r: ReadResult): string {
  return r.ok ? `OK (${r.rows} rows, ${r.ms.toFixed(0)} ms)` : `FAIL ${r.error}`
}

async function sectionCoverage(): Promise<string> {
  const files = walk(DATA).filter((f) => /\.parquet(\.encrypted)?$/.test(f))
  log(`coverage: ${files.length} files`)
  const infos = await Promise.all(files.map(fileInfo))
  const res = {} as Record<Engine, ReturnType<typeof coverage>>
  for (const e of ENGINES) {
    const t0 = performance.now()
    res[e] = coverage(e, files)
    log(`coverage ${e}: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  }
  const out: string[] = []
  out.push(`## 1. Coverage (${files.length} files under shared/data)\n`)

  // spark folders: one line per table
  const spark = new Map<string, number[]>()
  infos.forEach((inf, i) => {
    if (!inf.rel.startsWith('spark/')) return
    const table = inf.rel.split('/')[1]
    spark.set(table, [...(spark.get(table) ?? []), i])
  })
  const okCount = (e: Engine, idx: number[]) => {
    const fails = idx.filter((i) => !res[e].results[i].ok)
    return (
      `${idx.length - fails.length}/${idx.length} OK` +
      fails.map((i) => `; ${infos[i].rel.split('/').pop()}: ${res[e].results[i].error}`).join('')
    )
  }
  out.push('### Spark part files\n')
  out.push(
    table(
      ['table', 'files', 'rows', 'codecs', 'writer', 'hyparquet', 'parquet-wasm'],
      [...spark].map(([name, idx]) => [
        name,
        idx.length,
        idx.reduce((s, i) => s + (infos[i].rows ?? 0), 0),
        [...new Set(idx.flatMap((i) => infos[i].codecs))].join(', '),
        [...new Set(idx.map((i) => (infos[i].createdBy ?? '?').replace(/ \(build.*$/, '')))].join('; '),
        okCount('hyparquet', idx),
        okCount('parquet-wasm', idx),
      ]),
    ),
  )

  out.push('\n### Interop files (parquet/)\n')
  out.push(
    table(
      ['file', 'codec', 'rows', 'page CRCs (bad/with CRC)', 'hyparquet', 'parquet-wasm'],
      infos.flatMap((inf, i) =>
        inf.rel.startsWith('spark/')
          ? []
          : [
              [
                inf.rel.replace(/^parquet\//, ''),
                inf.codecs.join(', ') || '—',
                inf.rows ?? '—',
                inf.crc ? `${inf.crc.bad}/${inf.crc.withCrc}` : (inf.metaError ?? '—'),
                verdict(res.hyparquet.results[i]),
                verdict(res['parquet-wasm'].results[i]),
              ],
            ],
      ),
    ),
  )
  for (const e of ENGINES) {
    if (res[e].respawns.length) out.push(`\n${e}: fresh child process started after: ${res[e].respawns.join(', ')}.`)
  }

  // codec roll-up over the real files + synthetic round trip
  const synth = await synthCodecs()
  const codecs = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD', 'LZ4', 'LZ4_RAW', 'BROTLI']
  out.push('\n### Codec coverage\n')
  out.push(
    'Real files: files using the codec that each engine read (failures are not codec-related unless noted). ' +
      'Synthetic: 5,000-row file written by parquet-wasm (parquet-rs) with that codec, read back by each engine.\n',
  )
  out.push(
    table(
      ['codec', 'real files', 'hyparquet (real)', 'parquet-wasm (real)', 'synthetic: hyparquet', 'synthetic: parquet-wasm'],
      codecs.map((c) => {
        const idx = infos.flatMap((inf, i) => (inf.codecs.includes(c) ? [i] : []))
        const ok = (e: Engine) => (idx.length ? `${idx.filter((i) => res[e].results[i].ok).length}/${idx.length}` : '—')
        const s = synth.find((x) => x.codec === c)
        return [
          c + (s?.note ? ` (${s.note})` : ''),
          idx.length,
          ok('hyparquet'),
          ok('parquet-wasm'),
          s?.hyparquet ?? '—',
          s?.['parquet-wasm'] ?? '—',
        ]
      }),
    ),
  )
  return out.join('\n')
}

/** Build an Arrow table: id int32, name utf8, d1 decimal(10,1) = i/10, d38 decimal(38,0) = (i+1)·2^64 − 1. */
async function synthTable(n: number) {
  const { a } = await pw()
  const d1 = new Uint32Array(4 * n)
  const d38 = new Uint32Array(4 * n)
  for (let i = 0; i < n; i++) {
    d1[4 * i] = i
    d38[4 * i] = 0xffffffff
    d38[4 * i + 1] = 0xffffffff
    d38[4 * i + 2] = i
  }
  const base = a.tableFromArrays({
    id: Int32Array.from({ length: n }, (_, i) => i),
    name: Array.from({ length: n }, (_, i) => `name-${i % 97}`),
  })
  return new a.Table({
    id: childOf(base, 'id'),
    name: childOf(base, 'name'),
    d1: a.makeVector(a.makeData({ type: new a.Decimal(1, 10, 128), length: n, data: d1 })),
    d38: a.makeVector(a.makeData({ type: new a.Decimal(0, 38, 128), length: n, data: d38 })),
  })
}

async function writeSynthetic(codec: string, n = 5000): Promise<Uint8Array> {
  const { w, a } = await pw()
  const t = await synthTable(n)
  const props = new w.WriterPropertiesBuilder().setCompression(w.Compression[codec as keyof typeof w.Compression]).build()
  return w.writeParquet(w.Table.fromIPCStream(a.tableToIPC(t, 'stream')), props)
}

async function synthCodecs() {
  const h = await hyp()
  const { w, a } = await pw()
  const out: { codec: string; note?: string; hyparquet: string; 'parquet-wasm': string }[] = []
  const n = 5000
  const expectIds = (n * (n - 1)) / 2
  for (const codec of ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW']) {
    const bytes = await writeSynthetic(codec, n)
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    const md = h.parquetMetadata(ab)
    let note: string | undefined
    if (codec === 'LZ4') {
      // Hadoop framing: [u32 BE decompressed size][u32 BE compressed size][lz4 block]...
      const { parquetHeader } = await import('hyparquet/src/column.js')
      const meta = md.row_groups[0].columns[0].meta_data
      if (!meta) throw new Error(`${codec}: the first column chunk has no metadata`)
      const reader = { view: new DataView(ab), offset: chunkStart(meta) }
      const hd = parquetHeader(reader)
      const dv = new DataView(ab, reader.offset, 8)
      const hadoop = dv.getUint32(0) === hd.uncompressed_page_size && dv.getUint32(4) === hd.compressed_page_size - 8
      note = hadoop ? 'synthetic uses Hadoop framing' : 'synthetic is raw LZ4 block'
    }
    const row: (typeof out)[number] = { codec, note, hyparquet: '', 'parquet-wasm': '' }
    try {
      const rows = await h.parquetReadObjects({ file: ab, compressors: h.compressors })
      const sum = rows.reduce((s, r) => s + (r.id as number), 0)
      row.hyparquet = rows.length === n && sum === expectIds ? 'OK' : `WRONG (${rows.length} rows)`
    } catch (e) {
      row.hyparquet = `FAIL ${errLine(e)}`
    }
    try {
      const t = a.tableFromIPC(w.readParquet(bytes).intoIPCStream())
      let sum = 0
      for (const v of childOf(t, 'id')) sum += v as number
      row['parquet-wasm'] = t.numRows === n && sum === expectIds ? 'OK' : `WRONG (${t.numRows} rows)`
    } catch (e) {
      row['parquet-wasm'] = `FAIL ${errLine(e)}`
    }
    out.push(row)
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// 2. type fidelity

function describe(v: unknown): string {
  let s: string
  if (v === null || v === undefined) s = String(v)
  else if (typeof v === 'bigint') s = `bigint ${v}n`
  else if (typeof v === 'number') s = `number ${v}`
  else if (typeof v === 'string') s = `string ${JSON.stringify(v)}`
  else if (typeof v === 'boolean') s = `boolean ${v}`
  else if (v instanceof Date) s = `Date ${v.toISOString()}`
  else if (ArrayBuffer.isView(v)) {
    const name = v.constructor.name
    s =
      name === 'DecimalBigNum' || name === 'BN'
        ? `${name} (Uint32Array words ${jsonSafe(Array.from(v as Uint32Array))})`
        : `${name}(${(v as Uint8Array).length}) [${Array.from(v as Uint8Array)
            .slice(0, 6)
            .join(',')}]`
  } else {
    // Objects made with Object.create(null) have no constructor.
    const o = v as { constructor?: { name: string }; toJSON?: () => unknown; toArray?: () => unknown }
    const name = o.constructor?.name ?? 'object'
    const json = name === 'Vector' ? jsonSafe(o.toJSON?.()) : jsonSafe(v)
    s = `${name} ${json}`
  }
  return s.length > 90 ? s.slice(0, 87) + '...' : s
}

/** Copy of the metadata without DECIMAL annotations: hyparquet then returns the raw unscaled integers / bytes. */
function stripDecimal(md: FileMetaData): FileMetaData {
  return {
    ...md,
    schema: md.schema.map((e) =>
      e.converted_type === 'DECIMAL' || e.logical_type?.type === 'DECIMAL'
        ? { ...e, converted_type: undefined, logical_type: undefined }
        : e,
    ),
  }
}

function firstPart(dir: string): string {
  const part = walk(join(DATA, 'spark', dir)).find((f) => f.endsWith('.parquet'))
  if (!part) throw new Error(`no Parquet file in ${dir}`)
  return part
}

async function sectionTypes(): Promise<string> {
  const h = await hyp()
  const { w, a } = await pw()
  const rowsOut: string[][] = []
  const readBoth = async (file: string | Uint8Array, cols: [string, string][], label: string) => {
    const bytes = typeof file === 'string' ? new Uint8Array(readFileSync(file)) : file
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    const hRow = (await h.parquetReadObjects({ file: ab, compressors: h.compressors, rowStart: 0, rowEnd: 1 }))[0]
    const hRowBin = (await h.parquetReadObjects({ file: ab, compressors: h.compressors, rowStart: 0, rowEnd: 1, utf8: false }))[0]
    const hRowNs = (
      await h.parquetReadObjects({
        file: ab,
        compressors: h.compressors,
        rowStart: 0,
        rowEnd: 1,
        parsers: { timestampFromNanoseconds: (n: bigint) => n, timestampFromMicroseconds: (n: bigint) => n },
      })
    )[0]
    const hRowRaw = (
      await h.parquetReadObjects({
        file: ab,
        compressors: h.compressors,
        rowStart: 0,
        rowEnd: 1,
        metadata: stripDecimal(h.parquetMetadata(ab)),
      })
    )[0]
    const t = a.tableFromIPC(w.readParquet(bytes).intoIPCStream())
    for (const [col, physical] of cols) {
      const field = t.schema.fields.find((f) => f.name === col)
      const av: unknown = childOf(t, col).get(0)
      let arrowCell = describe(av)
      if (field && a.DataType.isDecimal(field.type))
        arrowCell += ` → bigNumToString: "${a.util.bigNumToString(av as never)}" (scale ${field.type.scale})`
      let hypCell = describe(hRow[col])
      if (physical.includes('BYTE_ARRAY (no annotation)')) hypCell += `; with utf8:false → ${describe(hRowBin[col])}`
      if (/INT96|TIMESTAMP/.test(physical)) hypCell += `; with custom parsers → ${describe(hRowNs[col])}`
      if (physical.includes('DECIMAL')) hypCell += `; DECIMAL annotation stripped from metadata → ${describe(hRowRaw[col])}`
      rowsOut.push([`${label}: ${col}`, physical, hypCell, `${field?.type} → ${arrowCell}`])
    }
  }
  await readBoth(
    firstPart('delta-1.2.1-only-struct-stats'),
    [
      ['integer', 'INT32'],
      ['decimal', 'INT32 DECIMAL(8,5)'],
      ['date', 'INT32 DATE'],
      ['timestamp', 'INT96'],
      ['string', 'BYTE_ARRAY UTF8'],
      ['binary', 'BYTE_ARRAY (no annotation)'],
      ['struct', 'group'],
      ['map', 'MAP'],
      ['array', 'LIST'],
      ['struct_of_array_of_map', 'group<LIST<MAP>>'],
    ],
    'delta-1.2.1',
  )
  await readBoth(firstPart('table_with_liquid_clustering'), [['id', 'INT64']], 'liquid')
  await readBoth(
    firstPart('http_requests'),
    [
      ['EdgeStartTimestamp', 'INT64 TIMESTAMP(MICROS)'],
      ['EdgeResponseStatus', 'INT32 INT(16)'],
    ],
    'http_requests',
  )
  // synthetic: decimals whose exact value is known (row 3): 0.3 and 4·2^64−1 = 73786976294838206463
  const bytes = await writeSynthetic('SNAPPY', 5)
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  const hr = (await h.parquetReadObjects({ file: ab, compressors: h.compressors }))[3]
  const hrRaw = (await h.parquetReadObjects({ file: ab, compressors: h.compressors, metadata: stripDecimal(h.parquetMetadata(ab)) }))[3]
  const t = a.tableFromIPC(w.readParquet(bytes).intoIPCStream())
  for (const [col, label, i] of [
    ['d1', '0.3', 2],
    ['d38', '73786976294838206463', 3],
  ] as const) {
    const el = h.parquetMetadata(ab).schema.find((e) => e.name === col)
    if (!el) throw new Error(`the synthetic file has no column ${col}`)
    rowsOut.push([
      `synthetic (parquet-rs): ${col} = ${label}`,
      `${el.type} DECIMAL(${el.precision},${el.scale})`,
      `${describe(hr[col])}; annotation stripped → ${describe(hrRaw[col])}`,
      `${t.schema.fields[i].type} → unscaled "${a.util.bigNumToString(childOf(t, col).get(3) as never)}"`,
    ])
  }

  return (
    '## 2. Value types (first row; hyparquet parquetReadObjects defaults vs arrow Table.getChild(col).get(0))\n\n' +
    table(['column', 'Parquet type', 'hyparquet', 'parquet-wasm + apache-arrow'], rowsOut)
  )
}

// ---------------------------------------------------------------------------------------------
// 3. speed and memory

type Variant = 'hyparquet-columns' | 'hyparquet-objects' | 'parquet-wasm' | 'parquet-wasm-64k'
type Scenario = 'baseline' | 'full' | 'cols2' | 'rg0'
const VARIANTS: Variant[] = ['hyparquet-columns', 'hyparquet-objects', 'parquet-wasm', 'parquet-wasm-64k']
const SCENARIOS: Scenario[] = ['full', 'cols2', 'rg0']
const COLS2 = ['delay', 'origin']

interface SpeedResult {
  importMs: number
  coldMs: number
  warmMs: number
  rssKB: number // maxRSS right after the first (cold) read
  rows: number
  delaySum: string
  wasmMB?: number
}

function sumBig(xs: Iterable<unknown>): bigint {
  let s = 0n
  for (const x of xs) if (x !== null && x !== undefined) s += BigInt(x as number | bigint)
  return s
}

async function speedChild(variant: Variant, scenario: Scenario) {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined)
  const t0 = performance.now()
  const isHyp = variant.startsWith('hyparquet')
  const h = isHyp ? await hyp() : undefined
  const p = isHyp ? undefined : await pw()
  const importMs = performance.now() - t0
  const buf = readFileSync(FLIGHTS)
  const ab = toArrayBuffer(buf)
  const u8 = new Uint8Array(ab)
  if (scenario === 'baseline') {
    console.log(JSON.stringify({ importMs, coldMs: 0, warmMs: 0, rssKB: process.resourceUsage().maxRSS, rows: 0, delaySum: '' }))
    return
  }
  // row group 0 bounds, from metadata parsed outside the timed region
  const { parquetMetadata } = await import('hyparquet')
  const md = parquetMetadata(ab)
  const rg0Rows = Number(md.row_groups[0].num_rows)
  const columns = scenario === 'cols2' ? COLS2 : undefined

  const run = async (): Promise<{ rows: number; delay: () => bigint; keep: unknown }> => {
    if (variant === 'hyparquet-columns' && h) {
      const chunks: ColumnData[] = []
      await h.parquetRead({
        file: ab,
        compressors: h.compressors,
        columns,
        ...(scenario === 'rg0' ? { rowStart: 0, rowEnd: rg0Rows } : {}),
        onChunk: (c) => {
          chunks.push(c)
        },
      })
      const delay = chunks.filter((c) => c.columnName === 'delay')
      return {
        rows: delay.reduce((s, c) => s + c.columnData.length, 0),
        delay: () => delay.reduce((s, c) => s + sumBig(c.columnData as DecodedArray & Iterable<unknown>), 0n),
        keep: chunks,
      }
    }
    if (variant === 'hyparquet-objects' && h) {
      const rows = await h.parquetReadObjects({
        file: ab,
        compressors: h.compressors,
        columns,
        ...(scenario === 'rg0' ? { rowStart: 0, rowEnd: rg0Rows } : {}),
      })
      return { rows: rows.length, delay: () => sumBig(rows.map((r) => r.delay as unknown)), keep: rows }
    }
    const opts: Record<string, unknown> = {}
    if (columns) opts.columns = columns
    if (scenario === 'rg0') opts.rowGroups = [0]
    if (variant === 'parquet-wasm-64k') opts.batchSize = 65536
    if (!p) throw new Error(`${variant}: its engine is not loaded`)
    const t = p.a.tableFromIPC(p.w.readParquet(u8, opts).intoIPCStream())
    return { rows: t.numRows, delay: () => sumBig(childOf(t, 'delay')), keep: t }
  }

  // The cold read in a function of its own, so that its result is garbage when gc() runs before the warm one.
  const cold = async () => {
    const started = performance.now()
    const result = await run()
    const coldMs = performance.now() - started
    return { coldMs, rssKB: process.resourceUsage().maxRSS, rows: result.rows, delaySum: String(result.delay()) }
  }
  const { coldMs, rssKB, rows, delaySum } = await cold()
  gc()
  const started = performance.now()
  await run()
  const warmMs = performance.now() - started
  const wasmMB = p ? p.w.wasmMemory().buffer.byteLength / 2 ** 20 : undefined
  const res: SpeedResult = { importMs, coldMs, warmMs, rssKB, rows, delaySum, wasmMB }
  console.log(JSON.stringify(res))
}

async function sectionSpeed(): Promise<string> {
  const results = new Map<string, SpeedResult[]>()
  const key = (v: Variant, s: Scenario) => `${v}/${s}`
  const runOne = (v: Variant, s: Scenario) => {
    const r = child(['speed-child', v, s])
    const line = r.lines.find((l) => l.startsWith('{'))
    if (r.status !== 0 || !line) throw new Error(`speed child ${v} ${s} failed: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`)
    const res = JSON.parse(line) as SpeedResult
    log(
      `  ${v} ${s}: cold ${res.coldMs.toFixed(0)} ms, warm ${res.warmMs.toFixed(0)} ms, rss ${(res.rssKB / 1024).toFixed(0)} MiB, import ${res.importMs.toFixed(0)} ms`,
    )
    results.set(key(v, s), [...(results.get(key(v, s)) ?? []), res])
  }
  for (const v of VARIANTS) runOne(v, 'baseline')
  for (let rep = 0; rep < REPS; rep++) {
    // interleave repetitions so drift hits every variant alike
    for (const s of SCENARIOS)
      for (const v of VARIANTS) {
        log(`speed rep ${rep + 1}/${REPS}: ${v} ${s}`)
        runOne(v, s)
      }
  }
  const md = (await hyp()).parquetMetadata(toArrayBuffer(readFileSync(FLIGHTS)))
  const label: Record<Scenario, string> = {
    baseline: 'imports + file bytes only',
    full: `all ${md.schema.length - 1} columns, ${md.num_rows} rows`,
    cols2: `2 columns (${COLS2.join(', ')})`,
    rg0: `row group 0 (${md.row_groups[0].num_rows} rows)`,
  }
  const rows: (string | number)[][] = []
  const sums = new Map<Scenario, Set<string>>()
  for (const s of ['baseline', ...SCENARIOS] as Scenario[])
    for (const v of VARIANTS) {
      const rs = results.get(key(v, s))
      if (!rs) throw new Error(`no speed results for ${v} ${s}`)
      if (s !== 'baseline') sums.set(s, new Set([...(sums.get(s) ?? []), ...rs.map((r) => `${r.rows}/${r.delaySum}`)]))
      rows.push([
        label[s],
        v,
        s === 'baseline' ? '—' : `${median(rs.map((r) => r.coldMs)).toFixed(0)} (${Math.min(...rs.map((r) => r.coldMs)).toFixed(0)})`,
        s === 'baseline' ? '—' : `${median(rs.map((r) => r.warmMs)).toFixed(0)} (${Math.min(...rs.map((r) => r.warmMs)).toFixed(0)})`,
        Math.max(...rs.map((r) => r.rssKB / 1024)).toFixed(0),
        rs[0].wasmMB === undefined ? '—' : rs[0].wasmMB.toFixed(0),
        median(rs.map((r) => r.importMs)).toFixed(0),
        s === 'baseline' ? '—' : rs[0].rows,
      ])
    }
  const agree = [...sums]
    .map(([s, set]) => `${s}: ${set.size === 1 ? 'all variants agree on rows and sum(delay)' : `MISMATCH ${[...set].join(' vs ')}`}`)
    .join('; ')
  return (
    `## 3. Speed and peak memory: flights-3m.parquet (${mb(statSync(FLIGHTS).size)} MiB, ${md.row_groups.length} row groups, ` +
    `${md.row_groups[0].columns[0].meta_data?.codec}, written by ${md.created_by})\n\n` +
    'One child process per measurement; file bytes already in memory. "cold" = first read in the process ' +
    '(includes JIT / wasm tier-up), "warm" = second read in the same process. Median of ' +
    `${REPS} processes; peak RSS = max over processes of maxRSS right after the cold read (includes node + tsx).\n` +
    'hyparquet-columns = parquetRead + onChunk (column arrays kept); hyparquet-objects = parquetReadObjects (row objects); ' +
    'parquet-wasm = readParquet → intoIPCStream → apache-arrow tableFromIPC (default batchSize 1024; -64k: batchSize 65536).\n\n' +
    table(
      ['read', 'engine', 'cold ms median (min)', 'warm ms median (min)', 'peak RSS MiB', 'wasm memory MiB', 'import ms', 'rows'],
      rows,
    ) +
    `\n\nCross-check: ${agree}.`
  )
}

// ---------------------------------------------------------------------------------------------
// 4. size

function dirBytes(p: string): number {
  const st = lstatSync(p)
  if (st.isSymbolicLink()) return 0
  if (!st.isDirectory()) return st.size
  return readdirSync(p).reduce((s, n) => s + dirBytes(join(p, n)), 0)
}

/** Package plus its production dependency closure, resolved the way node does (nested first). */
function closure(pkg: string, from = NM, seen = new Map<string, string>()): Map<string, string> {
  let dir = join(from, pkg)
  if (!existsSync(dir)) dir = join(NM, pkg)
  if (seen.has(dir)) return seen
  seen.set(dir, pkg)
  const deps = Object.keys((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: object }).dependencies ?? {})
  for (const d of deps) closure(d, join(dir, 'node_modules'), seen)
  return seen
}

function esbuildGz(entry: string, platform: 'node' | 'browser'): string {
  const bin = join(NM, '.bin/esbuild')
  if (!existsSync(bin)) return 'n/a (no esbuild)'
  const r = spawnSync(bin, ['--bundle', '--minify', '--format=esm', `--platform=${platform}`, '--log-level=error'], {
    input: entry,
    cwd: ROOT,
    maxBuffer: 64 * 2 ** 20,
  })
  if (r.status !== 0) return `esbuild failed: ${String(r.stderr).split('\n')[0]}`
  return `${(r.stdout.byteLength / 1024).toFixed(0)} KiB (${(gzipSync(r.stdout, { level: 9 }).byteLength / 1024).toFixed(0)} KiB gz)`
}

function sectionSize(): string {
  const stacks: [string, string[], string, string, string | undefined][] = [
    [
      'hyparquet + hyparquet-compressors',
      ['hyparquet', 'hyparquet-compressors'],
      `import { parquetReadObjects } from 'hyparquet'; import { compressors } from 'hyparquet-compressors'; export { parquetReadObjects, compressors }`,
      `import { parquetReadObjects } from 'hyparquet'; import { compressors } from 'hyparquet-compressors'; export { parquetReadObjects, compressors }`,
      undefined,
    ],
    [
      'parquet-wasm + apache-arrow',
      ['parquet-wasm', 'apache-arrow'],
      `import { readParquet } from 'parquet-wasm/node'; import { tableFromIPC } from 'apache-arrow'; export { readParquet, tableFromIPC }`,
      `import init, { readParquet } from 'parquet-wasm/esm'; import { tableFromIPC } from 'apache-arrow'; export { init, readParquet, tableFromIPC }`,
      join(NM, 'parquet-wasm/node/parquet_wasm_bg.wasm'),
    ],
  ]
  const rows = stacks.map(([name, pkgs, nodeEntry, browserEntry, wasm]) => {
    const all = new Map<string, string>()
    for (const p of pkgs) for (const [d, n] of closure(p)) all.set(d, n)
    const parts = [...all].map(([d, n]) => [n, dirBytes(d)] as const)
    const total = parts.reduce((s, [, b]) => s + b, 0)
    const wasmBytes = wasm ? readFileSync(wasm) : undefined
    return [
      name,
      `${mb(total)} MiB`,
      parts.map(([n, b]) => `${n} ${mb(b)}`).join(', '),
      esbuildGz(nodeEntry, 'node'),
      esbuildGz(browserEntry, 'browser'),
      wasmBytes ? `${mb(wasmBytes.byteLength)} MiB (${mb(gzipSync(wasmBytes, { level: 9 }).byteLength)} MiB gz)` : 'none',
    ]
  })
  return (
    '## 4. Size\n\nInstall = apparent bytes of the package directories and their production dependency closure in node_modules. ' +
    'Bundle = esbuild --bundle --minify of a minimal entry (read function + decompressors / IPC decoder); the .wasm ships beside it.\n\n' +
    table(['stack', 'install', 'per package (MiB)', 'JS bundle, node', 'JS bundle, browser', 'extra .wasm file'], rows)
  )
}

// ---------------------------------------------------------------------------------------------
// main

async function main() {
  const mode = process.argv.at(2)
  const args = process.argv.slice(3)
  if (mode === 'coverage-child') return coverageChild(args[0] as Engine, args.slice(1))
  if (mode === 'speed-child') return speedChild(args[0] as Variant, args[1] as Scenario)
  const sections = ['coverage', 'types', 'speed', 'size']
  if (mode !== undefined && mode !== 'all' && !sections.includes(mode))
    throw new Error(`unknown mode ${mode}; use all | ${sections.join(' | ')}`)
  const want = (s: string) => mode === undefined || mode === 'all' || mode === s

  const t0 = performance.now()
  const versions = ['hyparquet', 'hyparquet-compressors', 'parquet-wasm', 'apache-arrow'].map(
    (p) => `${p} ${(JSON.parse(readFileSync(join(NM, p, 'package.json'), 'utf8')) as { version: string }).version}`,
  )
  const out: string[] = []
  out.push(`# Parquet engines: measured ${new Date().toISOString().slice(0, 10)}\n`)
  out.push(`${versions.join(', ')}; node ${process.version}; ${(await import('node:os')).cpus().length} CPUs.\n`)
  if (want('coverage')) {
    log('section 1: coverage')
    out.push(await sectionCoverage())
  }
  if (want('types')) {
    log('section 2: types')
    out.push('\n' + (await sectionTypes()))
  }
  if (want('speed')) {
    log('section 3: speed')
    out.push('\n' + (await sectionSpeed()))
  }
  if (want('size')) {
    log('section 4: size')
    out.push('\n' + sectionSize())
  }
  out.push(`\nTotal bench time: ${((performance.now() - t0) / 1000).toFixed(0)} s.`)
  process.stdout.write(out.join('\n') + '\n')
}

await main()
