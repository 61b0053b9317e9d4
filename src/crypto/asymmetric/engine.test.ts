// The worker engine runs the same tasks as the in-thread engine, keeps typed failures typed, refuses
// work past its queue bound, and leaves the event loop free while it signs.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { WorkerPoolBusyError } from '../worker-pool.js'
import { createAsymmetricPool, inThreadEngine, workerEngine } from './engine.js'
import { AsymmetricCryptoError } from './errors.js'

const message = { form: 'message' as const, bytes: new Uint8Array(Buffer.from('pooled')) }

describe('workerEngine()', () => {
  const pool = createAsymmetricPool({ size: 1, maxQueued: 1 })
  const engine = workerEngine(pool)
  after(() => pool.close())

  it('signs in a worker what the in-thread engine verifies', async () => {
    const pair = await engine.generateKeyPair('ml-dsa-44')
    const signature = await engine.sign(pair.privateKey, { family: 'ml-dsa' }, message)
    assert.equal(await inThreadEngine().verify(pair.privateKey, { family: 'ml-dsa' }, message, signature), true)
    assert.deepEqual(await engine.publicKey(pair.privateKey), pair.publicKey)
  })

  it('brings typed failures back across the thread boundary', async () => {
    const pair = await engine.generateKeyPair('rsa-2048')
    await assert.rejects(engine.decrypt(pair.privateKey, 'sha256', new Uint8Array(256)), (e: unknown) => {
      assert.ok(e instanceof AsymmetricCryptoError)
      assert.equal(e.reason, 'decryption-failed')
      return true
    })
    await assert.rejects(engine.sign(pair.privateKey, { family: 'rsa-pss', hash: 'sha256' }, { form: 'digest', bytes: new Uint8Array(3) }), {
      name: 'Error', message: 'crypto worker task failed: digest must be 32 bytes for sha256',
    })
  })

  it('refuses a job when one runs and one already waits', async () => {
    const pair = await engine.generateKeyPair('ml-dsa-87')
    const scheme = { family: 'ml-dsa' } as const
    const running = engine.sign(pair.privateKey, scheme, message)
    const waiting = engine.sign(pair.privateKey, scheme, message)
    await assert.rejects(engine.sign(pair.privateKey, scheme, message), WorkerPoolBusyError)
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
    await Promise.all(Array.from({ length: 40 }, () => engine.sign(pair.privateKey, { family: 'ml-dsa' }, message)))
    clearInterval(timer)
    await pool.close()
    // In-thread, the same work holds the loop for ~300 ms in one stretch.
    assert.ok(worstGap < 150, `event loop stalled for ${worstGap.toFixed(1)} ms`)
  })
})
