// `trent audit verify`: checks the hash chain and the signed digests, online against a data directory or
// offline against an exported log, trusting a pinned public key file when given (required offline).
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { KeyObject } from 'node:crypto'
import { parsePublicKeyPem } from '../../audit/digest.js'
import { verifyExportedLog, verifyStoredLog } from '../../audit/log-export.js'
import { storedAuditPublicKey } from '../../audit/signing-key.js'
import type { VerifyReport } from '../../audit/verify-chain.js'
import { CliUsageError, openAuditStore } from './audit-data-dir.js'

function pinnedKey(path: string | undefined): KeyObject | undefined {
  if (path === undefined) return undefined
  try {
    return parsePublicKeyPem(readFileSync(path, 'utf8'))
  } catch {
    throw new CliUsageError(`--public-key ${path} is not a readable PEM public key`)
  }
}

async function verifyDataDir(dataDir: string | undefined, pinned: KeyObject | undefined, err: NodeJS.WritableStream): Promise<VerifyReport> {
  const store = await openAuditStore(dataDir, process.env)
  try {
    let trusted = pinned
    if (!trusted) {
      const pem = await storedAuditPublicKey(store)
      if (pem === undefined) throw new CliUsageError('this data directory has no audit signing key yet; nothing was ever signed')
      err.write('warning: trusting the public key stored in the data directory; pass --public-key to pin one\n')
      trusted = parsePublicKeyPem(pem)
    }
    return await verifyStoredLog(store, trusted)
  } finally {
    await store.close()
  }
}

function describe(report: VerifyReport): string {
  const range = report.records > 0 ? ` (records ${report.firstSequence}..${report.lastSequence})` : ''
  const head = `${report.records} records${range}, ${report.digests} digests, trusted key ${report.trustedKeyFingerprint}`
  if (report.ok) return `OK: ${head}\n`
  const first = report.problems[0]!
  return `FAILED: ${first.message}\n${head}\n${report.problems.map((p) => `  ${p.kind}: ${p.message}`).join('\n')}\n`
}

/** Exit codes: 0 verified, 1 tampering found, 2 usage error. */
export async function runAuditVerify(args: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values } = parseArgs({
    args, strict: true,
    options: { 'data-dir': { type: 'string' }, log: { type: 'string' }, 'public-key': { type: 'string' }, json: { type: 'boolean' } },
  })
  const pinned = pinnedKey(values['public-key'])
  let report: VerifyReport
  if (values.log !== undefined) {
    if (!pinned) throw new CliUsageError('offline verification (--log) needs --public-key')
    report = await verifyExportedLog(values.log, pinned)
  } else {
    const dataDir = values['data-dir'] ?? process.env.TRENT_DATA_DIR
    if (dataDir === undefined && !process.env.TRENT_DATABASE_URL) {
      throw new CliUsageError('give --data-dir D or TRENT_DATABASE_URL (online), or --log FILE --public-key PEM (offline)')
    }
    report = await verifyDataDir(dataDir, pinned, err)
  }
  out.write(values.json ? `${JSON.stringify(report)}\n` : describe(report))
  return report.ok ? 0 : 1
}
