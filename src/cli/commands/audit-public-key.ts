// `trent audit public-key --data-dir D`: prints the audit signing public key (PEM), to pin for verification.
import { parseArgs } from 'node:util'
import { publicKeyFingerprint, parsePublicKeyPem } from '../../audit/digest.js'
import { storedAuditPublicKey } from '../../audit/signing-key.js'
import { openAuditStore } from './audit-data-dir.js'

export async function runAuditPublicKey(args: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } }, strict: true })
  const store = await openAuditStore(values['data-dir'], process.env)
  try {
    const pem = await storedAuditPublicKey(store)
    if (pem === undefined) {
      err.write('trent: this data directory has no audit signing key yet (start the server once)\n')
      return 1
    }
    out.write(pem)
    err.write(`fingerprint (SHA-256 of SPKI DER): ${publicKeyFingerprint(parsePublicKeyPem(pem))}\n`)
    return 0
  } finally {
    await store.close()
  }
}
