// The privacy accountant as a filter, for checking it from Python (python/tests/test_privacy_accountant.py):
// reads { "epsilonFor": [{ noiseMultiplier, samplingRate, steps, delta }…], "noiseMultiplierFor": [{ epsilon,
// delta, samplingRate, steps }…] } on stdin and prints { "orders", "epsilonFor": [{ epsilon, order, rdp }…],
// "noiseMultiplierFor": [σ…] }, infinities as null. Run: node --import tsx scripts/privacy-epsilon.ts < cases.json
import { text } from 'node:stream/consumers'
import { epsilonFor, noiseMultiplierFor, RDP_ORDERS, rdpOfSampledGaussian } from '../src/core/privacy/accountant.ts'

interface Request {
  readonly epsilonFor?: Parameters<typeof epsilonFor>[0][]
  readonly noiseMultiplierFor?: Parameters<typeof noiseMultiplierFor>[0][]
}

const request = JSON.parse(await text(process.stdin)) as Request
const finite = (value: number) => (Number.isFinite(value) ? value : null)
const answer = {
  orders: RDP_ORDERS,
  epsilonFor: (request.epsilonFor ?? []).map((query) => {
    const { epsilon, order } = epsilonFor(query)
    return { epsilon: finite(epsilon), order, rdp: rdpOfSampledGaussian(query).map(finite) }
  }),
  noiseMultiplierFor: (request.noiseMultiplierFor ?? []).map((query) => noiseMultiplierFor(query)),
}
process.stdout.write(`${JSON.stringify(answer)}\n`)
