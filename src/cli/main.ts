#!/usr/bin/env node
// The `trent` command: operations and bootstrap against the store. One file per verb under commands/.
import { commands } from './commands.js'

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv
  const command = verb === undefined ? undefined : commands.get(verb)
  if (!command) {
    const names = [...commands.keys()].sort().join(', ')
    process.stderr.write(`usage: trent <command> [options]\ncommands: ${names}\n`)
    return verb === undefined || verb === 'help' || verb === '--help' ? 0 : 2
  }
  return command.run(rest)
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`trent: ${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  },
)
