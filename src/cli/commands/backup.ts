// `trent backup --data-dir D --out FILE`: an encrypted backup of the whole store (backup/write-backup.ts),
// taken online from one consistent snapshot while servers keep running.
import { parseArgs } from 'node:util'
import { writeBackup } from '../../backup/write-backup.js'
import { loadRootKey } from '../../rootkey/load-root-key.js'
import { verifyRootKey } from '../../rootkey/root-key-check.js'
import type { RootKey } from '../../rootkey/root-key.js'
import { openStore } from '../../store/open-store.js'
import { UsageError, type CliIo } from '../admin-args.js'
import type { CliCommand } from '../command.js'
import { custodyConfig, runCustodyVerb } from '../custody-verb.js'
import { progressLine } from '../progress.js'

const USAGE = `usage: trent backup --data-dir D --out FILE
Writes an encrypted backup of every key, version, alias, tag, policy, grant, principal, access key, setting and
audit record, online. The file opens only with this data directory's root key (restore it with trent restore).
`

async function backup(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { 'data-dir': { type: 'string' }, out: { type: 'string' } } })
  const dataDir = values['data-dir'] ?? io.env.TRENT_DATA_DIR
  if (dataDir === undefined || values.out === undefined) throw new UsageError('--data-dir and --out are required')
  const config = custodyConfig(dataDir, io.env)
  const { store } = await openStore(config, { mustExist: true })
  let rootKey: RootKey | undefined
  try {
    rootKey = await loadRootKey(config, { databaseExists: true, readOnly: true })
    await verifyRootKey(store, rootKey)
    const progress = progressLine('trent backup', io.err)
    const summary = await writeBackup(store, rootKey, values.out, (rows) => progress.tick(rows))
    progress.done(Object.values(summary.rows).reduce((a, b) => a + b, 0))
    io.out.write(`${JSON.stringify({ ok: true, file: values.out, ...summary }, null, 2)}\n`)
    return 0
  } finally {
    await rootKey?.close()
    await store.close()
  }
}

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'write an encrypted, consistent backup of the whole store, online',
  run: (args) => runCustodyVerb('backup', USAGE, args, backup),
}
