#!/usr/bin/env node
import { main } from './cli/main.ts'

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  // main reports its own failures; whatever still escapes is an unexpected one (exit code 3).
  (error: unknown) => {
    console.error(error)
    process.exitCode = 3
  },
)
