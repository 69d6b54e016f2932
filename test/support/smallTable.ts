import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { tempDir } from '../helpers.ts'

/**
 * A CSV of `rows` rows whose columns depend on each other (city → temperature, temperature → label), small
 * enough to train on in seconds; the sample is the whole table, so that a run keeps a share of it out.
 */
export async function writeSmallTable(rows = 400): Promise<string> {
  const cities = ['Oslo', 'Rome', 'Lima', 'Cairo']
  const lines = ['city,temperature,label']
  for (let r = 0; r < rows; r++) {
    const city = r % cities.length
    const temperature = 5 + city * 8 + ((r * 7919) % 13) / 2
    lines.push(`${cities[city]},${temperature},${temperature > 18 ? 'warm' : 'cold'}`)
  }
  const file = path.join(await tempDir(), 'cities.csv')
  await writeFile(file, `${lines.join('\n')}\n`)
  return file
}
