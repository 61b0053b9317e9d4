// `trent rootkey migrate`: moves a data directory from one root key to another (for example file to
// pkcs11), online and resumable (root-key-migration.ts), then verifies everything opens under the new key.
// `trent rootkey verify`: only the verification pass.
import { parseArgs } from 'node:util'
import { verifyRootKey } from '../../rootkey/root-key-check.js'
import { rootKeyChain } from '../../rootkey/root-key-chain.js'
import { openOne } from '../../rootkey/load-root-key.js'
import { migrateRootKey, verifyRootKeyMigration, type ProgressEvent } from '../../rootkey/root-key-migration.js'
import { parseRootKeySpec } from '../../rootkey/root-key-spec.js'
import type { RootKey } from '../../rootkey/root-key.js'
import { openStore } from '../../store/open-store.js'
import { UsageError, type CliIo } from '../admin-args.js'
import type { CliCommand } from '../command.js'
import { custodyConfig, runCustodyVerb } from '../custody-verb.js'

const USAGE = `usage:
  trent rootkey migrate --data-dir D --from SPEC --to SPEC
  trent rootkey verify  --data-dir D --key SPEC
SPEC: file | file:PATH | env | pkcs11 | pkcs11:KEY_LABEL (pkcs11 uses TRENT_PKCS11_*; env uses TRENT_ROOT_KEY).
Run servers with TRENT_ROOT_KEY_PROVIDER set to the new key and TRENT_ROOT_KEY_PREVIOUS to the old one while
the migration runs; once it reports OK, drop TRENT_ROOT_KEY_PREVIOUS.
`

async function migrate(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { 'data-dir': { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } })
  const dataDir = values['data-dir'] ?? io.env.TRENT_DATA_DIR
  if (dataDir === undefined || values.from === undefined || values.to === undefined) throw new UsageError('--data-dir, --from and --to are required')
  const config = custodyConfig(dataDir, io.env)
  const { store } = await openStore(config, { mustExist: true })
  const keys: RootKey[] = []
  try {
    const from = await openOne(parseRootKeySpec(values.from, config), config, false)
    keys.push(from)
    const to = await openOne(parseRootKeySpec(values.to, config), config, true)
    keys.push(to)
    if (from.id === to.id) throw new UsageError(`--from and --to are the same root key (${to.id})`)
    // The data directory's check value must open under one of the two: a wrong --from is refused up front.
    await verifyRootKey(store, rootKeyChain(to, [from]))
    io.err.write(`rootkey migrate: ${from.description} (${from.id}) -> ${to.description} (${to.id})\n`)
    const report = await migrateRootKey(store, from, to, (e) => progress(io.err, e))
    io.err.write('rootkey migrate: verifying every secret opens under the new root key\n')
    const verified = await verifyRootKeyMigration(store, to)
    const ok = report.failures.length === 0 && verified.failures.length === 0
    io.out.write(`${JSON.stringify({ ok, from: from.id, to: to.id, migrated: report.phases, verified: verified.verified, failures: [...new Set([...report.failures, ...verified.failures])] }, null, 2)}\n`)
    io.err.write(ok ? 'rootkey migrate: OK\n' : 'rootkey migrate: FAILED: some secrets open under neither root key (listed on stdout)\n')
    return ok ? 0 : 1
  } finally {
    for (const key of keys) await key.close()
    await store.close()
  }
}

async function verify(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { 'data-dir': { type: 'string' }, key: { type: 'string' } } })
  const dataDir = values['data-dir'] ?? io.env.TRENT_DATA_DIR
  if (dataDir === undefined || values.key === undefined) throw new UsageError('--data-dir and --key are required')
  const config = custodyConfig(dataDir, io.env)
  const { store } = await openStore(config, { mustExist: true })
  let key: RootKey | undefined
  try {
    key = await openOne(parseRootKeySpec(values.key, config), config, false)
    const report = await verifyRootKeyMigration(store, key)
    const ok = report.failures.length === 0
    io.out.write(`${JSON.stringify({ ok, key: key.id, verified: report.verified, failures: report.failures }, null, 2)}\n`)
    return ok ? 0 : 1
  } finally {
    await key?.close()
    await store.close()
  }
}

function progress(err: NodeJS.WritableStream, e: ProgressEvent): void {
  const { rewrapped, already, raced, refused } = e.counts
  err.write(`rootkey migrate: ${e.phase}${e.final ? ' done' : ''}: ${rewrapped} rewrapped, ${already} already done, ${raced} raced, ${refused} refused (${e.rate.toFixed(0)}/s)\n`)
}

const subcommands: Record<string, (args: string[], io: CliIo) => Promise<number>> = { migrate, verify }

export const rootkeyCommand: CliCommand = {
  name: 'rootkey',
  summary: 'migrate a data directory to another root key (file, env, pkcs11), online and resumable',
  run: (args) => runCustodyVerb('rootkey', USAGE, args, async ([sub, ...rest], io) => {
    const run = sub === undefined ? undefined : subcommands[sub]
    if (!run) throw new UsageError(sub === undefined ? 'missing sub-command' : `unknown sub-command ${sub}`)
    return run(rest, io)
  }),
}
