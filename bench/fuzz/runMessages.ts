// Prints the Messages part's rows (until the runner of `npm run fuzz` lands): node --import tsx bench/fuzz/runMessages.ts [scale] [seed]
import { fuzzMessages } from './messages.ts'

const [scale = '1', seed = '1'] = process.argv.slice(2)
for (const row of await fuzzMessages({ scale: Number(scale), seed: Number(seed) })) console.log(JSON.stringify(row, null, 1))
