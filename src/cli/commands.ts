// The only list of `trent` CLI verbs.
import type { CliCommand } from './command.js'

const all: CliCommand[] = []

export const commands: ReadonlyMap<string, CliCommand> = new Map(all.map((c) => [c.name, c]))
