// `trent seed` against a real server's data folder: refused without the development flag, keys with fixed
// ids and material plus aliases, tags and policies, and idempotent (seeding twice: same ids, same ciphertexts decrypt).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { kmsClient } from './support/clients.js'
import { CLI_JS } from './support/trent-cli.js'
import { E2E_ACCOUNT_ID, cleanupTrent, makeTempDir, startTrent, type TrentProcess } from './support/server.js'

const T = { timeout: 120_000 }
const run = promisify(execFile)
const SYMMETRIC_ID = '00000000-0000-4000-8000-00000000c1c1'
const HMAC_ID = '00000000-0000-4000-8000-00000000c1c2'
const material = Buffer.alloc(32, 7).toString('base64')

const seedYaml = `
keys:
  - id: ${SYMMETRIC_ID}
    description: CI application key
    material: ${material}
    aliases: [alias/ci-app, alias/ci-app-2]
    tags: { env: ci, owner: pipeline }
  - id: ${HMAC_ID}
    spec: HMAC_256
    material: ${material}
    policy:
      Version: "2012-10-17"
      Statement:
        - Sid: Root
          Effect: Allow
          Principal: { AWS: "arn:aws:iam::${E2E_ACCOUNT_ID}:root" }
          Action: "kms:*"
          Resource: "*"
`

let dir: string
let seedFile: string

before(() => {
  dir = makeTempDir('trent-seed-')
  seedFile = join(dir, 'seed.yaml')
  writeFileSync(seedFile, seedYaml)
})

after(cleanupTrent, T)

async function seed(server: TrentProcess, file = seedFile): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI_JS, 'seed', file, '--data-dir', server.dataDir], { env: { PATH: process.env.PATH, HOME: process.env.HOME } })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

test('seeding is refused on a data folder whose server runs without TRENT_DEV_SEEDING=true', T, async () => {
  const server = await startTrent()
  const refused = await seed(server)
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /seeding is refused: fixed key material is for development only.*TRENT_DEV_SEEDING=true/)
  const kms = kmsClient(server.url)
  await assert.rejects(kms.describeKey({ KeyId: SYMMETRIC_ID }), { name: 'NotFoundException' })
  kms.destroy()
  await server.stop()
})

test('the flag is announced loudly, and a restart without it closes seeding again', T, async () => {
  const flagged = await startTrent({ env: { TRENT_DEV_SEEDING: 'true' } })
  assert.match(flagged.stderr(), /\*\*\* WARNING: DEVELOPMENT SEEDING IS ON \(TRENT_DEV_SEEDING=true\)/)
  await flagged.stop()
  const plain = await startTrent({ dataDir: flagged.dataDir })
  assert.doesNotMatch(plain.stderr(), /DEVELOPMENT SEEDING/)
  assert.equal((await seed(plain)).code, 1)
  await plain.stop()
})

test('seeded keys have the fixed ids, material, aliases, tags and policy, and seeding twice changes nothing', T, async () => {
  const server = await startTrent({ env: { TRENT_DEV_SEEDING: 'true' } })
  const first = await seed(server)
  assert.equal(first.code, 0, first.stderr)
  const report = JSON.parse(first.stdout) as { Keys: Array<{ KeyId: string; Result: string }> }
  assert.deepEqual(report.Keys.map((k) => [k.KeyId, k.Result]), [[SYMMETRIC_ID, 'created'], [HMAC_ID, 'created']])

  const kms = kmsClient(server.url)
  const described = (await kms.describeKey({ KeyId: 'alias/ci-app' })).KeyMetadata!
  assert.equal(described.KeyId, SYMMETRIC_ID)
  assert.equal(described.Description, 'CI application key')
  assert.equal((await kms.describeKey({ KeyId: 'alias/ci-app-2' })).KeyMetadata!.KeyId, SYMMETRIC_ID)
  assert.deepEqual((await kms.listResourceTags({ KeyId: SYMMETRIC_ID })).Tags, [{ TagKey: 'env', TagValue: 'ci' }, { TagKey: 'owner', TagValue: 'pipeline' }])
  const policy = JSON.parse((await kms.getKeyPolicy({ KeyId: HMAC_ID, PolicyName: 'default' })).Policy!) as { Statement: Array<{ Sid: string }> }
  assert.equal(policy.Statement[0]!.Sid, 'Root')
  // The fixed HMAC material is really the material: the MAC is the plain RFC 2104 HMAC under those 32 bytes.
  const mac = await kms.generateMac({ KeyId: HMAC_ID, Message: Buffer.from('hello'), MacAlgorithm: 'HMAC_SHA_256' })
  assert.deepEqual(Buffer.from(mac.Mac!), createHmac('sha256', Buffer.alloc(32, 7)).update('hello').digest())
  const sealed = await kms.encrypt({ KeyId: 'alias/ci-app', Plaintext: Buffer.from('seeded secret') })

  const second = await seed(server)
  assert.equal(second.code, 0, second.stderr)
  assert.deepEqual((JSON.parse(second.stdout) as typeof report).Keys.map((k) => [k.KeyId, k.Result]), [[SYMMETRIC_ID, 'unchanged'], [HMAC_ID, 'unchanged']])
  assert.equal(Buffer.from((await kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob })).Plaintext!).toString(), 'seeded secret')
  assert.equal((await kms.describeKey({ KeyId: SYMMETRIC_ID })).KeyMetadata!.CurrentKeyMaterialId, described.CurrentKeyMaterialId)
  kms.destroy()

  // The material is stored only wrapped: the raw bytes appear nowhere in the database file.
  const db = readFileSync(join(server.dataDir, 'trent.db'))
  assert.equal(db.includes(Buffer.alloc(32, 7)), false)
  await server.stop()
})

test('a second data folder seeded from the same file decrypts the first one\'s ciphertexts', T, async () => {
  const one = await startTrent({ env: { TRENT_DEV_SEEDING: 'true' } })
  assert.equal((await seed(one)).code, 0)
  const kms1 = kmsClient(one.url)
  const sealed = await kms1.encrypt({ KeyId: SYMMETRIC_ID, Plaintext: Buffer.from('portable'), EncryptionContext: { ci: 'yes' } })
  kms1.destroy()
  const two = await startTrent({ env: { TRENT_DEV_SEEDING: 'true' } })
  assert.equal((await seed(two)).code, 0)
  const kms2 = kmsClient(two.url)
  const opened = await kms2.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: { ci: 'yes' } })
  assert.equal(Buffer.from(opened.Plaintext!).toString(), 'portable')
  kms2.destroy()
})

test('the same id with other material is refused and nothing in the file is written', T, async () => {
  const server = await startTrent({ env: { TRENT_DEV_SEEDING: 'true' } })
  assert.equal((await seed(server)).code, 0)
  const conflicting = join(dir, 'conflict.json')
  writeFileSync(conflicting, JSON.stringify({
    keys: [
      { id: '00000000-0000-4000-8000-00000000c1c3', material, aliases: ['alias/would-be-new'] },
      { id: SYMMETRIC_ID, material: Buffer.alloc(32, 8).toString('base64') },
    ],
  }))
  const refused = await seed(server, conflicting)
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, new RegExp(`key ${SYMMETRIC_ID}: it exists with different key material`))
  const kms = kmsClient(server.url)
  await assert.rejects(kms.describeKey({ KeyId: 'alias/would-be-new' }), { name: 'NotFoundException' })
  kms.destroy()
})
