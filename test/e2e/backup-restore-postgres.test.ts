// The migration path between the store drivers (issue 13): `trent backup` of a SQLite data folder, `trent
// restore` into a fresh PostgreSQL schema (TRENT_DATABASE_URL), then a server on that schema decrypts the old
// ciphertexts, verifies the old signatures and MACs, serves the old aliases, grant, policy and user, and `trent
// audit verify` passes on the database. `trent rootkey migrate` then moves the PostgreSQL copy to another root
// key, and the reverse trip (PostgreSQL backup restored into a new SQLite folder) keeps all of it too.
// Fails when CI=true and PostgreSQL is unreachable; elsewhere it skips with the reason.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { KMS } from '@aws-sdk/client-kms'
import pg from 'pg'
import { dropSchema, freshSchemaName, postgresUnavailable, TEST_DATABASE_URL } from '../../src/store/postgres/test-database.js'
import { kmsClient, type Credentials } from './support/clients.js'
import { runCli, startCli } from './support/cli-env.js'
import { cleanupTrent, E2E_ACCOUNT_ID, makeTempDir, startTrent, useFileRootKey } from './support/server.js'
import { createUserWithKey } from './support/trent-cli.js'

// The file root key, even under TRENT_E2E_ROOT_KEY_PROVIDER=pkcs11: the restore targets get a copy of root.key.
useFileRootKey()

const T = { timeout: 300_000 }
const FILE_KEY = { TRENT_ROOT_KEY_PROVIDER: 'file' }

interface Sealed {
  keyId: string
  blob: Uint8Array
  plaintext: Uint8Array
}

interface World {
  sourceDir: string
  symmetric: string[]
  hmacKey: string
  signingKey: string
  sealed: Sealed[]
  mac: { message: Uint8Array; mac: Uint8Array }
  signature: { message: Uint8Array; signature: Uint8Array }
  aliasTarget: string
  grantId: string
  policy: string
  user: { arn: string; credentials: Credentials }
}

/** A new data directory holding only a copy of `rootKeyFile` as its root.key: where a restore goes. */
function dataDirWithRootKey(rootKeyFile: string): string {
  const dir = join(makeTempDir('trent-restore-'), 'data')
  mkdirSync(dir, { mode: 0o700 })
  copyFileSync(rootKeyFile, join(dir, 'root.key'))
  return dir
}

function verifiedCount(stdout: string): number {
  const match = /^OK: (\d+) records/.exec(stdout)
  assert.ok(match, `audit verify did not pass: ${stdout}`)
  return Number(match[1])
}

async function schemaExists(schema: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try {
    return (await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])).rows.length > 0
  } finally {
    await client.end()
  }
}

const unavailable = await postgresUnavailable()

describe('backup from SQLite, restore into PostgreSQL (and back)', { skip: unavailable }, () => {
  const schemas: string[] = []
  const clients: KMS[] = []
  let world: World
  const client = (url: string, credentials?: Credentials) => {
    const kms = kmsClient(url, credentials ? { credentials } : {})
    clients.push(kms)
    return kms
  }
  const postgresEnv = (schema: string) => ({ TRENT_DATABASE_URL: TEST_DATABASE_URL, TRENT_DATABASE_SCHEMA: schema })

  /** Everything the source had, checked through a server on `dataDir` (with `env` naming its store and root key). */
  async function checkServes(dataDir: string, env: Record<string, string>): Promise<void> {
    const server = await startTrent({ dataDir, env: { ...FILE_KEY, ...env } })
    try {
      const kms = client(server.url)
      for (const s of world.sealed) assert.deepEqual((await kms.decrypt({ CiphertextBlob: s.blob })).Plaintext, s.plaintext, `ciphertext of ${s.keyId}`)
      assert.equal((await kms.verifyMac({ KeyId: world.hmacKey, MacAlgorithm: 'HMAC_SHA_256', Message: world.mac.message, Mac: world.mac.mac })).MacValid, true)
      const verified = await kms.verify({ KeyId: world.signingKey, SigningAlgorithm: 'ECDSA_SHA_256', Message: world.signature.message, Signature: world.signature.signature })
      assert.equal(verified.SignatureValid, true)
      const alias = (await kms.listAliases({ Limit: 100 })).Aliases!.find((a) => a.AliasName === 'alias/moved')
      assert.equal(alias?.TargetKeyId, world.aliasTarget)
      assert.equal((await kms.getKeyPolicy({ KeyId: world.symmetric[0]!, PolicyName: 'default' })).Policy, world.policy)
      assert.deepEqual((await kms.listGrants({ KeyId: world.symmetric[1]! })).Grants!.map((g) => g.GrantId), [world.grantId])
      // The user's access key (its secret wrapped under the root key) still signs, and its policy still allows.
      const asUser = client(server.url, world.user.credentials)
      assert.deepEqual((await asUser.decrypt({ CiphertextBlob: world.sealed[0]!.blob })).Plaintext, world.sealed[0]!.plaintext)
      // And the copy keeps working: new material, new ciphertexts.
      const fresh = (await kms.createKey({ Description: 'after the move' })).KeyMetadata!.KeyId!
      const { CiphertextBlob } = await kms.encrypt({ KeyId: fresh, Plaintext: new Uint8Array([1, 2, 3]) })
      assert.deepEqual((await kms.decrypt({ CiphertextBlob })).Plaintext, new Uint8Array([1, 2, 3]))
    } finally {
      await server.stop()
    }
  }

  before(async () => {
    const server = await startTrent({ env: FILE_KEY })
    const kms = client(server.url)
    const symmetric: string[] = []
    for (let i = 0; i < 5; i++) symmetric.push((await kms.createKey({ Description: `moved-${i}` })).KeyMetadata!.KeyId!)
    const hmacKey = (await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata!.KeyId!
    const signingKey = (await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata!.KeyId!
    // A rotated key: its ciphertexts from before the rotation need the older material.
    await kms.rotateKeyOnDemand({ KeyId: symmetric[2]! })
    await kms.createAlias({ AliasName: 'alias/moved', TargetKeyId: symmetric[3]! })
    const user = await createUserWithKey(server.dataDir, E2E_ACCOUNT_ID, 'moved-user')
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'UserDecrypts', Effect: 'Allow', Principal: { AWS: user.arn }, Action: ['kms:Decrypt'], Resource: '*' },
      ],
    })
    await kms.putKeyPolicy({ KeyId: symmetric[0]!, PolicyName: 'default', Policy: policy })
    const { GrantId } = await kms.createGrant({ KeyId: symmetric[1]!, GranteePrincipal: user.arn, Operations: ['Encrypt', 'Decrypt'] })
    const sealed: Sealed[] = []
    for (const keyId of symmetric) {
      const plaintext = new Uint8Array(randomBytes(24))
      sealed.push({ keyId, blob: (await kms.encrypt({ KeyId: keyId, Plaintext: plaintext })).CiphertextBlob!, plaintext })
    }
    const message = new Uint8Array(randomBytes(32))
    const mac = (await kms.generateMac({ KeyId: hmacKey, MacAlgorithm: 'HMAC_SHA_256', Message: message })).Mac!
    const signature = (await kms.sign({ KeyId: signingKey, SigningAlgorithm: 'ECDSA_SHA_256', Message: message, MessageType: 'RAW' })).Signature!
    await server.stop()
    world = {
      sourceDir: server.dataDir, symmetric, hmacKey, signingKey, sealed, mac: { message, mac }, signature: { message, signature },
      aliasTarget: symmetric[3]!, grantId: GrantId!, policy, user,
    }
  }, T)

  after(async () => {
    for (const kms of clients) kms.destroy()
    await cleanupTrent()
    for (const schema of schemas) await dropSchema(schema)
  }, T)

  it('a SQLite backup restores into a fresh PostgreSQL schema: old ciphertexts decrypt and audit verify passes on the database', T, async () => {
    const file = join(makeTempDir('trent-backup-'), 'sqlite.backup')
    const backup = JSON.parse((await runCli(['backup', '--data-dir', world.sourceDir, '--out', file], {})).stdout) as { rows: Record<string, number> }
    const sourceRecords = verifiedCount((await runCli(['audit', 'verify', '--data-dir', world.sourceDir], {})).stdout)

    const schema = freshSchemaName()
    schemas.push(schema)
    const target = dataDirWithRootKey(join(world.sourceDir, 'root.key'))
    const restored = await runCli(['restore', '--in', file, '--data-dir', target], postgresEnv(schema))
    const report = JSON.parse(restored.stdout) as { ok: boolean; rows: number; store: string }
    assert.equal(report.ok, true)
    assert.match(report.store, /PostgreSQL/)
    assert.equal(report.rows, Object.values(backup.rows).reduce((a, b) => a + b, 0))
    assert.equal(verifiedCount((await runCli(['audit', 'verify', '--data-dir', target], postgresEnv(schema))).stdout), sourceRecords)

    // A restore never merges: the schema now holds data.
    const again = startCli(['restore', '--in', file, '--data-dir', dataDirWithRootKey(join(world.sourceDir, 'root.key'))], postgresEnv(schema))
    assert.equal((await again.exited).code, 1)
    assert.match(again.stderr(), /not empty/)

    await checkServes(target, postgresEnv(schema))
    // The server's own records since the restore extend the same chain.
    assert.ok(verifiedCount((await runCli(['audit', 'verify', '--data-dir', target], postgresEnv(schema))).stdout) > sourceRecords)
    process.stderr.write(`# SQLite -> PostgreSQL: ${report.rows} rows restored (${JSON.stringify(backup.rows)}); audit verify ${sourceRecords} records before serving\n`)
  })

  it('trent rootkey migrate and backup take the database URL; the PostgreSQL copy restores into a new SQLite folder', T, async () => {
    const schema = freshSchemaName()
    schemas.push(schema)
    const onPostgres = dataDirWithRootKey(join(world.sourceDir, 'root.key'))
    const file = join(makeTempDir('trent-backup-'), 'first.backup')
    await runCli(['backup', '--data-dir', world.sourceDir, '--out', file], {})
    await runCli(['restore', '--in', file, '--data-dir', onPostgres], postgresEnv(schema))

    // Without the database URL the folder holds no database: the custody verbs say so instead of creating one.
    const noDatabase = startCli(['backup', '--data-dir', onPostgres, '--out', join(makeTempDir('trent-backup-'), 'none.backup')], {})
    assert.equal((await noDatabase.exited).code, 2)
    assert.match(noDatabase.stderr(), /no Trent database at .*trent\.db/)
    // Nor with a schema no Trent ever used: refused, and looking did not create it.
    const unused = freshSchemaName()
    const noSchema = startCli(['backup', '--data-dir', onPostgres, '--out', join(makeTempDir('trent-backup-'), 'none.backup')], postgresEnv(unused))
    assert.equal((await noSchema.exited).code, 2)
    assert.match(noSchema.stderr(), new RegExp(`no Trent database at the PostgreSQL database of TRENT_DATABASE_URL \\(schema ${unused}\\)`))
    assert.equal(await schemaExists(unused), false)

    // Move the PostgreSQL copy to a new root key file, then serve it with that key alone.
    const newKey = join(onPostgres, 'new-root.key')
    const migrated = await runCli(['rootkey', 'migrate', '--data-dir', onPostgres, '--from', 'file', '--to', `file:${newKey}`], postgresEnv(schema))
    const migration = JSON.parse(migrated.stdout) as { ok: boolean; verified: Record<string, number> | number }
    assert.equal(migration.ok, true, migrated.stdout)
    assert.equal((JSON.parse((await runCli(['rootkey', 'verify', '--data-dir', onPostgres, '--key', `file:${newKey}`], postgresEnv(schema))).stdout) as { ok: boolean }).ok, true)
    const withNewKey = { ...postgresEnv(schema), TRENT_ROOT_KEY_FILE: newKey }
    await checkServes(onPostgres, withNewKey)

    // PostgreSQL -> SQLite: backed up through the database URL, restored into a folder with the new key.
    const back = join(makeTempDir('trent-backup-'), 'postgres.backup')
    await runCli(['backup', '--data-dir', onPostgres, '--out', back], withNewKey)
    const onSqlite = dataDirWithRootKey(newKey)
    const report = JSON.parse((await runCli(['restore', '--in', back, '--data-dir', onSqlite], {})).stdout) as { ok: boolean; rows: number; store: string }
    assert.equal(report.ok, true)
    assert.match(report.store, /trent\.db$/)
    const records = verifiedCount((await runCli(['audit', 'verify', '--data-dir', onSqlite], {})).stdout)
    assert.equal(records, verifiedCount((await runCli(['audit', 'verify', '--data-dir', onPostgres], postgresEnv(schema))).stdout))
    await checkServes(onSqlite, {})
    assert.ok(verifiedCount((await runCli(['audit', 'verify', '--data-dir', onSqlite], {})).stdout) > records)
    process.stderr.write(`# PostgreSQL -> SQLite: ${report.rows} rows restored after rootkey migrate (${JSON.stringify(migration.verified)} verified); audit verify ${records} records\n`)
  })
})
