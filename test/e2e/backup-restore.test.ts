// `trent backup` while the server serves traffic, then `trent restore` into a new data directory: every key,
// alias, tag, policy, grant, principal and audit record is there, `trent audit verify` passes, old ciphertexts
// decrypt and old credentials sign. The backup file reveals nothing (no key bytes, secrets, names or plaintext),
// and restore refuses a non-empty target, the wrong root key and a damaged file, leaving the target empty.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { KMS } from '@aws-sdk/client-kms'
import { kmsClient } from './support/clients.js'
import { runCli, startCli } from './support/cli-env.js'
import { cleanupTrent, E2E_ACCOUNT_ID, E2E_CREDENTIALS, makeTempDir, startTrent, type TrentProcess } from './support/server.js'
import { createUserWithKey, type CreatedUser } from './support/trent-cli.js'

const T = { timeout: 300_000 }

interface World {
  server: TrentProcess
  kms: KMS
  keyIds: string[]
  sealed: Array<{ blob: Uint8Array; plaintext: Uint8Array }>
  user: CreatedUser
  grantId: string
  policy: string
}

function auditRows(dataDir: string): Array<{ seq: number; hash: string | null }> {
  const db = new Database(join(dataDir, 'trent.db'), { readonly: true })
  try {
    return db.prepare('SELECT seq, hash FROM audit ORDER BY seq').all() as Array<{ seq: number; hash: string | null }>
  } finally {
    db.close()
  }
}

/** A data directory with only the root key of `from` in it: where a restore goes. */
function newDataDirWithRootKey(from: string): string {
  const dir = join(makeTempDir('trent-restore-'), 'data')
  mkdirSync(dir, { mode: 0o700 })
  copyFileSync(join(from, 'root.key'), join(dir, 'root.key'))
  return dir
}

describe('trent backup (online, under traffic) and trent restore', () => {
  let world: World
  const clients: KMS[] = []
  const newClient = (url: string, credentials = E2E_CREDENTIALS) => {
    const kms = kmsClient(url, { credentials })
    clients.push(kms)
    return kms
  }

  before(async () => {
    // The file provider, pinned: the test copies root.key into the restore targets.
    const server = await startTrent({ env: { TRENT_ROOT_KEY_PROVIDER: 'file' } })
    const kms = newClient(server.url)
    const keyIds: string[] = []
    for (let i = 0; i < 40; i++) keyIds.push((await kms.createKey({ Description: `backup-key-${i}`, Tags: [{ TagKey: 'tag-secretly-named', TagValue: `value-${i}` }] })).KeyMetadata!.KeyId!)
    keyIds.push((await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })).KeyMetadata!.KeyId!)
    keyIds.push((await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata!.KeyId!)
    for (let i = 0; i < 10; i++) await kms.createAlias({ AliasName: `alias/backup-alias-${i}`, TargetKeyId: keyIds[i]! })
    const user = await createUserWithKey(server.dataDir, E2E_ACCOUNT_ID, 'backup-user')
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'UserEncrypts', Effect: 'Allow', Principal: { AWS: user.arn }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
      ],
    })
    await kms.putKeyPolicy({ KeyId: keyIds[0]!, PolicyName: 'default', Policy: policy })
    const { GrantId } = await kms.createGrant({ KeyId: keyIds[1]!, GranteePrincipal: user.arn, Operations: ['Encrypt', 'Decrypt'], Name: 'backup-grant' })
    const sealed = []
    for (const keyId of keyIds.slice(0, 40)) {
      const plaintext = new TextEncoder().encode(`plaintext-marker-${randomBytes(8).toString('hex')}`)
      sealed.push({ blob: (await kms.encrypt({ KeyId: keyId, Plaintext: plaintext })).CiphertextBlob!, plaintext })
    }
    world = { server, kms, keyIds, sealed, user, grantId: GrantId!, policy }
  }, T)

  after(async () => {
    for (const kms of clients) kms.destroy()
    await cleanupTrent()
  }, T)

  it('backs up while traffic runs and restores everything into a new data directory', T, async () => {
    const { server, kms, keyIds, sealed, user } = world
    let running = true
    const errors: unknown[] = []
    let requests = 0
    const traffic = (async () => {
      while (running) {
        try {
          const plaintext = randomBytes(16)
          const keyId = keyIds[requests % 40]!
          const { CiphertextBlob } = await kms.encrypt({ KeyId: keyId, Plaintext: plaintext })
          assert.deepEqual((await kms.decrypt({ CiphertextBlob })).Plaintext, new Uint8Array(plaintext))
          if (requests % 10 === 0) await kms.createKey({})
          requests++
        } catch (e) {
          errors.push(e)
        }
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, 300))
    const file = join(makeTempDir('trent-backup-'), 'trent.backup')
    const backup = await runCli(['backup', '--data-dir', server.dataDir, '--out', file], {})
    running = false
    await traffic
    assert.deepEqual(errors, [])
    const summary = JSON.parse(backup.stdout) as { ok: boolean; rows: Record<string, number>; bytes: number }
    assert.equal(summary.ok, true)
    assert.match(backup.stderr, /trent backup: \d+ rows, done \(\d+ rows\/s\)/)
    assert.ok(summary.rows.keys! >= 42 && summary.rows.aliases === 10 && summary.rows.grants === 1 && summary.rows.audit! > 100, JSON.stringify(summary.rows))

    // The file reveals nothing: not the root key, not a secret, not a name, not a plaintext, not a wrapped blob.
    const bytes = readFileSync(file)
    const rootKeyText = readFileSync(join(server.dataDir, 'root.key'), 'utf8').trim()
    const needles: Array<[string, Uint8Array]> = [
      ['root key', Buffer.from(rootKeyText, 'base64')], ['root key text', Buffer.from(rootKeyText)],
      ['root secret', Buffer.from(E2E_CREDENTIALS.secretAccessKey)], ['user secret', Buffer.from(user.credentials.secretAccessKey)],
      ['access key id', Buffer.from(user.credentials.accessKeyId)], ['key id', Buffer.from(keyIds[0]!)], ['alias', Buffer.from('backup-alias-3')],
      ['tag', Buffer.from('tag-secretly-named')], ['policy', Buffer.from('UserEncrypts')], ['plaintext', Buffer.from(sealed[0]!.plaintext)],
      ['event name', Buffer.from('CreateGrant')], ['grant name', Buffer.from('backup-grant')],
    ]
    for (const [what, needle] of needles) assert.equal(bytes.indexOf(needle), -1, `${what} found in the backup file`)
    const db = new Database(join(server.dataDir, 'trent.db'), { readonly: true })
    const wrapped = (db.prepare('SELECT wrapped_material FROM key_versions LIMIT 1').get() as { wrapped_material: Buffer }).wrapped_material
    db.close()
    assert.equal(bytes.indexOf(wrapped.subarray(wrapped.length - 40)), -1, 'wrapped key material found in the backup file')

    const target = newDataDirWithRootKey(server.dataDir)
    const restored = await runCli(['restore', '--in', file, '--data-dir', target], {})
    assert.equal((JSON.parse(restored.stdout) as { ok: boolean }).ok, true)
    assert.match(restored.stderr, /trent restore: \d+ rows, done \(\d+ rows\/s\)/)
    const verify = await runCli(['audit', 'verify', '--data-dir', target], {})
    assert.match(verify.stdout, /^OK: \d+ records/)

    // The restored audit log is the source's log up to the backup: the same records with the same hashes.
    const restoredAudit = auditRows(target)
    assert.equal(restoredAudit.length, summary.rows.audit)
    assert.deepEqual(restoredAudit, auditRows(server.dataDir).slice(0, restoredAudit.length))

    const copy = await startTrent({ dataDir: target, env: { TRENT_ROOT_KEY_PROVIDER: 'file' } })
    const kms2 = newClient(copy.url)
    const listed = await allKeys(kms2)
    for (const keyId of keyIds) assert.ok(listed.includes(keyId), `key ${keyId} restored`)
    assert.equal(listed.length, summary.rows.keys)
    const aliases = (await kms2.listAliases({ Limit: 100 })).Aliases!.map((a) => a.AliasName).filter((n) => n!.startsWith('alias/backup-alias-'))
    assert.equal(aliases.length, 10)
    assert.equal((await kms2.getKeyPolicy({ KeyId: keyIds[0]!, PolicyName: 'default' })).Policy, world.policy)
    const grants = (await kms2.listGrants({ KeyId: keyIds[1]! })).Grants!
    assert.deepEqual(grants.map((g) => [g.GrantId, g.Name]), [[world.grantId, 'backup-grant']])
    assert.deepEqual((await kms2.listResourceTags({ KeyId: keyIds[5]! })).Tags, [{ TagKey: 'tag-secretly-named', TagValue: 'value-5' }])
    for (const s of sealed) assert.deepEqual((await kms2.decrypt({ CiphertextBlob: s.blob })).Plaintext, s.plaintext)
    const asUser = newClient(copy.url, user.credentials)
    assert.deepEqual((await asUser.decrypt({ CiphertextBlob: sealed[0]!.blob })).Plaintext, sealed[0]!.plaintext)
    await copy.stop()
    assert.match((await runCli(['audit', 'verify', '--data-dir', target], {})).stdout, /^OK: /)
    process.stderr.write(`# backup under ${requests} traffic iterations: ${JSON.stringify(summary.rows)}, ${summary.bytes} bytes; restored ${(JSON.parse(restored.stdout) as { rows: number }).rows} rows\n`)

    // A second restore into the now non-empty target is refused.
    const again = startCli(['restore', '--in', file, '--data-dir', target], {})
    assert.equal((await again.exited).code, 1)
    assert.match(again.stderr(), /not empty/)
  })

  it('refuses the wrong root key and a damaged file, leaving the target empty and restorable', T, async () => {
    const file = join(makeTempDir('trent-backup-'), 'trent.backup')
    await runCli(['backup', '--data-dir', world.server.dataDir, '--out', file], {})
    const exists = startCli(['backup', '--data-dir', world.server.dataDir, '--out', file], {})
    assert.equal((await exists.exited).code, 1, 'an existing backup file is never overwritten')

    const wrongKey = join(makeTempDir('trent-restore-'), 'data')
    mkdirSync(wrongKey, { mode: 0o700 })
    writeFileSync(join(wrongKey, 'root.key'), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 })
    const refused = startCli(['restore', '--in', file, '--data-dir', wrongKey], {})
    assert.equal((await refused.exited).code, 1)
    assert.match(refused.stderr(), /the backup was made under root key aes:[0-9a-f]{16}/)

    const noKey = join(makeTempDir('trent-restore-'), 'data')
    const missing = startCli(['restore', '--in', file, '--data-dir', noKey], {})
    assert.equal((await missing.exited).code, 2)
    assert.match(missing.stderr(), /is not configured for .*no new root key was created/)

    const original = readFileSync(file)
    const target = newDataDirWithRootKey(world.server.dataDir)
    const damaged = join(makeTempDir('trent-backup-'), 'damaged.backup')
    for (const [what, bytes] of [
      ['truncated', original.subarray(0, original.length - 100)],
      ['cut at the last frame', original.subarray(0, original.length - lastFrameLength(original))],
      ['flipped bit', flip(original, Math.floor(original.length / 2))],
    ] as const) {
      writeFileSync(damaged, bytes)
      const run = startCli(['restore', '--in', damaged, '--data-dir', target], {})
      assert.equal((await run.exited).code, 1, what)
      assert.match(run.stderr(), /trent restore: (the backup file is truncated|backup frame \d+ failed authentication)/, `${what}: ${run.stderr()}`)
    }
    const ok = await runCli(['restore', '--in', file, '--data-dir', target], {})
    assert.equal((JSON.parse(ok.stdout) as { ok: boolean }).ok, true, 'the failed restores left the target empty')
  })
})

async function allKeys(kms: KMS): Promise<string[]> {
  const ids: string[] = []
  let Marker: string | undefined
  do {
    const page = await kms.listKeys({ Limit: 1000, Marker })
    ids.push(...page.Keys!.map((k) => k.KeyId!))
    Marker = page.NextMarker
  } while (Marker)
  return ids
}

function flip(bytes: Buffer, at: number): Buffer {
  const out = Buffer.from(bytes)
  out[at]! ^= 0x01
  return out
}

/** The size of the file's last frame (length prefix included), found by walking the frames. */
function lastFrameLength(bytes: Buffer): number {
  let position = 12 + bytes.readUInt32BE(8)
  let last = 0
  while (position < bytes.length) {
    last = 4 + bytes.readUInt32BE(position)
    position += last
  }
  return last
}
