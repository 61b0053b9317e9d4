// The `trent audit` verb and its sub-commands: verify, export, public-key.
import type { CliCommand } from '../command.js'
import { CliUsageError } from './audit-data-dir.js'
import { runAuditExport } from './audit-export.js'
import { runAuditPublicKey } from './audit-public-key.js'
import { runAuditVerify } from './audit-verify.js'

const USAGE = `usage:
  trent audit verify --data-dir D [--public-key pinned.pem] [--json]
  trent audit verify --log exported.jsonl --public-key pinned.pem [--json]
  trent audit export --data-dir D [--start ISO] [--end ISO] > exported.jsonl
  trent audit public-key --data-dir D > audit-public-key.pem
`

const subcommands: Record<string, (args: string[]) => Promise<number>> = {
  verify: (args) => runAuditVerify(args),
  export: (args) => runAuditExport(args),
  'public-key': (args) => runAuditPublicKey(args),
}

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'verify, export or show the signing key of the tamper-evident audit log',
  async run(args) {
    const [sub, ...rest] = args
    const run = sub === undefined ? undefined : subcommands[sub]
    if (!run) {
      process.stderr.write(USAGE)
      return sub === undefined || sub === 'help' || sub === '--help' ? 0 : 2
    }
    try {
      return await run(rest)
    } catch (e) {
      // parseArgs reports unknown or malformed options with a TypeError carrying an ERR_PARSE_ARGS code.
      const isUsage = e instanceof CliUsageError || (e instanceof TypeError && String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))
      if (!isUsage) throw e
      process.stderr.write(`trent audit ${sub}: ${e.message}\n${USAGE}`)
      return 2
    }
  },
}
