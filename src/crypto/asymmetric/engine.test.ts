// The worker engine runs the same tasks as the in-thread engine, keeps typed failures typed, refuses
// work past its queue bound, and leaves the event loop free while it signs.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, describe, it } from 'node:test'
import { WorkerPoolBusyError } from '../worker-pool.js'
import { createAsymmetricPool, hybridEngine, inThreadEngine, workerEngine, type PrivateKeyRef } from './engine.js'
import { AsymmetricCryptoError } from './errors.js'

const message = { form: 'message' as const, bytes: new Uint8Array(Buffer.from('pooled')) }

/** Names a test key by the hash of its DER, as an operation names a key by id, version and material id. */
function refTo(der: Uint8Array): PrivateKeyRef {
  const name = createHash('sha256').update(der).digest('hex')
  return { owner: name, name, material: der }
}

describe('workerEngine()', () => {
  const pool = createAsymmetricPool({ size: 1, maxQueued: 1 })
  const engine = workerEngine(pool)
  after(() => pool.close())

  it('signs in a worker what the in-thread engine verifies', async () => {
    const pair = await engine.generateKeyPair('ml-dsa-44')
    const signature = await engine.sign(refTo(pair.privateKey), { family: 'ml-dsa' }, message)
    assert.equal(await inThreadEngine().verify(refTo(pair.privateKey), { family: 'ml-dsa' }, message, signature), true)
    assert.deepEqual(await engine.publicKey(refTo(pair.privateKey)), pair.publicKey)
  })

  it('sends a key to its worker once: the second call names it by reference, and forget() drops it', async () => {
    const pair = await engine.generateKeyPair('p-384')
    const key = refTo(pair.privateKey)
    const scheme = { family: 'ecdsa', hash: 'sha384' } as const
    const sent = pool.stats.materialSent
    const byReference = pool.stats.referenceOnly
    const signatures = [await engine.sign(key, scheme, message), await engine.sign(key, scheme, message)]
    assert.equal(pool.stats.materialSent, sent + 1)
    assert.equal(pool.stats.referenceOnly, byReference + 1)
    for (const signature of signatures) assert.equal(await inThreadEngine().verify(key, scheme, message, signature), true)
    assert.deepEqual(key.material, pair.privateKey, 'the caller\'s DER is left intact')
    assert.ok((await engine.heldKeys()).flat().includes(key.name))
    await engine.forget(key.owner)
    assert.ok(!(await engine.heldKeys()).flat().includes(key.name))
  })

  it('brings typed failures back across the thread boundary', async () => {
    const pair = await engine.generateKeyPair('rsa-2048')
    await assert.rejects(engine.decrypt(refTo(pair.privateKey), 'sha256', new Uint8Array(256)), (e: unknown) => {
      assert.ok(e instanceof AsymmetricCryptoError)
      assert.equal(e.reason, 'decryption-failed')
      return true
    })
    await assert.rejects(engine.sign(refTo(pair.privateKey), { family: 'rsa-pss', hash: 'sha256' }, { form: 'digest', bytes: new Uint8Array(3) }), {
      name: 'Error', message: 'crypto worker task failed: digest must be 32 bytes for sha256',
    })
  })

  it('refuses a job when one runs and one already waits', async () => {
    const pair = await engine.generateKeyPair('ml-dsa-87')
    const scheme = { family: 'ml-dsa' } as const
    const running = engine.sign(refTo(pair.privateKey), scheme, message)
    const waiting = engine.sign(refTo(pair.privateKey), scheme, message)
    await assert.rejects(engine.sign(refTo(pair.privateKey), scheme, message), WorkerPoolBusyError)
    assert.equal((await running).length, 4627)
    assert.equal((await waiting).length, 4627)
  })
})

describe('a worker pool under load', () => {
  it('leaves the event loop free while forty ML-DSA-87 signatures are made', async () => {
    const pool = createAsymmetricPool({ size: 1, maxQueued: 64 })
    const engine = workerEngine(pool)
    const pair = await engine.generateKeyPair('ml-dsa-87')
    let worstGap = 0
    let last = performance.now()
    const timer = setInterval(() => {
      const now = performance.now()
      worstGap = Math.max(worstGap, now - last)
      last = now
    }, 1)
    await Promise.all(Array.from({ length: 40 }, () => engine.sign(refTo(pair.privateKey), { family: 'ml-dsa' }, message)))
    clearInterval(timer)
    await pool.close()
    // In-thread, the same work holds the loop for ~300 ms in one stretch.
    assert.ok(worstGap < 150, `event loop stalled for ${worstGap.toFixed(1)} ms`)
  })
})

describe('hybridEngine()', () => {
  const pool = createAsymmetricPool({ size: 1, maxQueued: 8 })
  const engine = hybridEngine(pool)
  after(() => pool.close())
  const ecdsa256 = { family: 'ecdsa', hash: 'sha256' } as const
  const jobs = () => pool.stats.materialSent + pool.stats.referenceOnly

  it('signs and verifies a message with a P-256 key on this thread, keeps the parse, and forget() drops it', async () => {
    const key = refTo((await engine.generateKeyPair('p-256')).privateKey)
    const before = jobs()
    const signature = await engine.sign(key, ecdsa256, message)
    assert.equal(await engine.verify(key, ecdsa256, message, signature), true)
    assert.equal(await engine.verify(key, ecdsa256, { ...message, bytes: new Uint8Array(Buffer.from('other')) }, signature), false)
    assert.equal(await inThreadEngine().verify(key, ecdsa256, message, signature), true)
    assert.equal(jobs(), before, 'no job went to the pool')
    assert.ok((await engine.heldKeys()).flat().includes(key.name))
    await engine.forget(key.owner)
    assert.ok(!(await engine.heldKeys()).flat().includes(key.name))
  })

  it('sends digests, other curves and RSA to the pool', async () => {
    const p256 = refTo((await engine.generateKeyPair('p-256')).privateKey)
    const p384 = refTo((await engine.generateKeyPair('p-384')).privateKey)
    const rsa = refTo((await engine.generateKeyPair('rsa-2048')).privateKey)
    const digest = { form: 'digest' as const, bytes: new Uint8Array(createHash('sha256').update('x').digest()) }
    let before = jobs()
    const viaPool = [
      await engine.sign(p256, ecdsa256, digest),
      await engine.sign(p384, { family: 'ecdsa', hash: 'sha384' }, message),
      await engine.sign(rsa, { family: 'rsa-pss', hash: 'sha256' }, message),
    ]
    assert.equal(jobs(), before + 3)
    assert.equal(await inThreadEngine().verify(p256, ecdsa256, digest, viaPool[0]!), true)
    // Found not to be this thread's once: the next call goes straight to the pool again.
    before = jobs()
    await engine.sign(rsa, { family: 'rsa-pss', hash: 'sha256' }, message)
    assert.equal(jobs(), before + 1)
    assert.ok(!(await engine.heldKeys()).at(-1)!.includes(rsa.name), 'the RSA parse is not kept here')
  })
})
