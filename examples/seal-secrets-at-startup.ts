// Example: sealing an application's secrets into a file that is safe to ship with it (in the image, the
// repository, a config map), and opening them in memory at start-up with Trent.
//
//   node dist/examples/seal-secrets-at-startup.js seal secrets.json secrets.sealed alias/billing-app
//   node dist/examples/seal-secrets-at-startup.js start secrets.sealed
// (with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and AWS_ENDPOINT_URL_KMS set)
import { readFileSync, writeFileSync } from 'node:fs'
import { decrypt, encrypt, EnvelopeError } from 'trent'

// Bound into the sealed file: the start-up code refuses a file sealed for another application or stage.
const context = { app: 'billing', stage: process.env.STAGE ?? 'dev' }

/** Build/deploy time: JSON of secrets in, one AWS Encryption SDK message out. */
async function seal(jsonPath: string, sealedPath: string, keyId: string): Promise<void> {
  const secrets = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, string>
  writeFileSync(sealedPath, await encrypt(JSON.stringify(secrets), { keyId, context }))
  console.log(`sealed ${Object.keys(secrets).length} secrets into ${sealedPath}`)
}

/** Start-up: the secrets live only in this process's memory, never in its environment or on disk. */
async function loadSecrets(sealedPath: string): Promise<Record<string, string>> {
  try {
    const { plaintext } = await decrypt(readFileSync(sealedPath), { expectContext: context })
    return JSON.parse(plaintext.toString('utf8')) as Record<string, string>
  } catch (e) {
    // EnvelopeError.failure says which: WrongKey, Tampered, ContextMismatch, NotAnEsdkMessage, KmsFailure.
    if (e instanceof EnvelopeError) throw new Error(`cannot open ${sealedPath} (${e.failure}): ${e.message}`)
    throw e
  }
}

const [mode, ...args] = process.argv.slice(2)
if (mode === 'seal' && args.length === 3) {
  await seal(args[0]!, args[1]!, args[2]!)
} else if (mode === 'start' && args.length === 1) {
  const secrets = await loadSecrets(args[0]!)
  console.log(`started with secrets: ${Object.keys(secrets).sort().join(', ')}`)
} else {
  console.error('usage: seal-secrets-at-startup seal SECRETS.json OUT.sealed KEY | start SEALED')
  process.exitCode = 2
}
