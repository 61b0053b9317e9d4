// `trent seed FILE`: creates keys with fixed ids and fixed key material (plus aliases, tags, policies) in a
// data folder, idempotently, for CI and development. Goes through the store like the other admin verbs, and
// only on a data folder whose server was last started with TRENT_DEV_SEEDING=true.
import { readFileSync } from 'node:fs'
import type { CliCommand } from '../command.js'
import { accountOf, parseOptions, printJson, requireAccountId, UsageError, type CliIo } from '../admin-args.js'
import { withDataDir } from '../data-dir.js'
import { applySeed } from '../../integrations/seed/apply-seed.js'
import { DevSeedingRefused, requireDevSeeding } from '../../integrations/seed/dev-seeding.js'
import { parseSeedFile, SeedFileError } from '../../integrations/seed/seed-file.js'

const usage = `usage: trent seed FILE [--account ID] --data-dir DIR
Creates (or leaves as they are) the keys FILE (YAML or JSON) describes, with their fixed ids and key material,
aliases, tags and policies. Refused unless this data folder's server was last started with TRENT_DEV_SEEDING=true:
fixed key material is known to everyone who has the file. See README "Seeded keys".
`

async function seed(args: string[], io: CliIo): Promise<number> {
  const { values, positionals, dataDir } = parseOptions(args, { account: { type: 'string' } }, io.env)
  if (positionals.length !== 1) throw new UsageError('exactly one seed FILE is required')
  try {
    requireDevSeeding(dataDir)
    const plan = parseSeedFile(readFileSync(positionals[0]!, 'utf8'))
    const outcomes = await withDataDir(dataDir, io.env, async ({ store, rootKey, region }) => {
      const given = typeof values.account === 'string' ? requireAccountId(values.account) : plan.account
      const accountId = given ?? await accountOf({}, store)
      return applySeed({ store, rootKey, region, accountId, now: new Date() }, plan)
    })
    printJson(io, { Keys: outcomes })
    return 0
  } catch (e) {
    if (!(e instanceof DevSeedingRefused || e instanceof SeedFileError)) throw e
    io.err.write(`trent seed: ${e.message}\n`)
    return 1
  }
}

function isUsageError(e: unknown): boolean {
  return e instanceof UsageError || (e instanceof TypeError && String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))
}

export async function runSeed(args: string[], io: CliIo): Promise<number> {
  if (args.length === 0 || args[0] === '--help' || args[0] === 'help') {
    io.err.write(usage)
    return 0
  }
  try {
    return await seed(args, io)
  } catch (e) {
    if (!isUsageError(e)) throw e
    io.err.write(`trent seed: ${(e as Error).message}\n${usage}`)
    return 2
  }
}

export const seedCommand: CliCommand = {
  name: 'seed',
  summary: 'create keys with fixed ids and material from a YAML/JSON file (development only)',
  run: (args) => runSeed(args, { out: process.stdout, err: process.stderr, env: process.env }),
}
