// Writes by another process reach this one's caches through the change feed: on pollNow() at once, and
// within the background poll's bound without it. The other process is the real `trent` CLI (and, for the
// timing, a second connection to the same file), never this process's caching store.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT, b64, createHarness, type Harness } from '../../test/support/harness.js'
import { addUser, type TestIdentity } from '../../test/support/identities.js'
import { importMaterial } from '../../test/support/import-fixtures.js'
import { assertAwsError, createKey, type TestKey } from '../../test/support/kms-fixtures.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'

const CLI_JS = fileURLToPath(new URL('../cli/main.js', import.meta.url))
const run = promisify(execFile)
const T = { timeout: 60_000 }
/** The harness's root key (32 bytes of 7), as the CLI takes it. */
const ROOT_KEY = Buffer.alloc(32, 7).toString('base64')

describe('changes made by another process', () => {
  let dir: string
  let h: Harness
  let key: TestKey
  let bob: TestIdentity
  const open = async (cachePollMs: number) => {
    h = await createHarness({ storePath: join(dir, 'trent.db'), cachePollMs })
    key = await createKey(h)
    bob = await addUser(h, 'bob', { use: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] })
  }
  const trent = (...args: string[]) =>
    run(process.execPath, [CLI_JS, ...args, '--data-dir', dir], { timeout: 30_000, env: { PATH: process.env.PATH, HOME: process.env.HOME, TRENT_ROOT_KEY: ROOT_KEY } })
  const encrypt = () => h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('x') }, bob.credentials)
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'trent-xproc-')) })
  afterEach(async () => {
    await h.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('an identity policy deleted with the trent CLI is seen right after pollNow()', T, async () => {
    await open(600_000) // no background poll: only pollNow can bring the change
    assert.equal((await encrypt()).status, 200)
    await trent('identity-policy', 'delete', '--account', TEST_ACCOUNT, '--user', 'bob', '--name', 'use')
    assert.equal((await encrypt()).status, 200, 'before polling, the warm cache still answers (so the poll is what matters)')
    await h.services.changes.pollNow()
    assertAwsError(await encrypt(), 'AccessDeniedException', /no identity-based policy allows the kms:Encrypt action/)
  })

  it('an access key deactivated with the trent CLI fails on the next request after the CLI returns (the poll bound)', T, async () => {
    await open(50)
    assert.equal((await encrypt()).status, 200)
    await trent('access-key', 'deactivate', '--access-key-id', bob.credentials.accessKeyId)
    assertAwsError(await encrypt(), 'UnrecognizedClientException', 'The security token included in the request is invalid.')
  })

  it('imported material deleted through another connection leaves this keyring (and the key usable by nobody) after pollNow()', T, async () => {
    await open(600_000)
    const external = await createKey(h, { Origin: 'EXTERNAL' })
    await importMaterial(h, external.keyId, randomBytes(32))
    assert.equal((await h.call('Encrypt', { KeyId: external.keyId, Plaintext: b64('warm') })).status, 200)
    const other = await openSqliteStore(join(dir, 'trent.db'))
    assert.equal(await other.deleteImportedVersion(external.keyId, 1), true)
    await other.close()
    await h.services.changes.pollNow()
    assertAwsError(await h.call('Encrypt', { KeyId: external.keyId, Plaintext: b64('x') }), 'KMSInvalidStateException', `${external.arn} is pending import.`)
    const misses = h.services.keyring.stats.misses
    const owner = { keyId: external.keyId, keySpec: 'SYMMETRIC_DEFAULT' as const, keyUsage: 'ENCRYPT_DECRYPT' as const }
    await assert.rejects(h.services.keyring.withMaterial(owner, 1, () => undefined), { name: 'MaterialUnavailableError' })
    assert.equal(h.services.keyring.stats.misses, misses + 1, 'the cached material was forgotten')
  })

  it('a key disabled through another connection is refused within the poll bound, without pollNow()', T, async () => {
    const pollMs = 50
    await open(pollMs)
    assert.equal((await encrypt()).status, 200)
    const other = await openSqliteStore(join(dir, 'trent.db'))
    const stored = (await other.getKey(key.keyId))!
    await other.updateKey({ ...stored, keyState: 'Disabled' })
    const changedAt = Date.now()
    let refusedAt: number | undefined
    while (refusedAt === undefined && Date.now() - changedAt < 5_000) {
      if ((await encrypt()).status === 400) refusedAt = Date.now()
      else await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await other.close()
    assert.ok(refusedAt !== undefined, 'the change was never seen')
    // The bound is one poll period; the slack covers a loaded test machine's timer lag.
    assert.ok(refusedAt - changedAt < pollMs + 500, `seen after ${refusedAt - changedAt} ms`)
  })
})
