// WorkerPool: results and revived failures, the queue bound, replacement of a worker that dies, close(), and
// private keys that cross to a worker only when it does not hold them already.
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { Worker } from 'node:worker_threads'
import { WorkerPool, WorkerPoolBusyError, type PoolKey } from './worker-pool.js'
import type { PoolReply, PoolRequest } from './worker-protocol.js'

const script = new URL('../../test/support/pool-worker.js', import.meta.url)

describe('WorkerPool', () => {
  let pool: WorkerPool
  const make = (size: number, maxQueued: number, maxKeysPerWorker?: number) => {
    pool = new WorkerPool({ script, size, maxQueued, maxKeysPerWorker, reviveFailure: (f) => new RangeError((f as { message: string }).message) })
    return pool
  }
  afterEach(() => pool.close())

  it('returns results and revives failures with the given function', async () => {
    make(2, 8)
    assert.deepEqual(await pool.run('echo', [{ a: new Uint8Array([1, 2]) }]), { a: new Uint8Array([1, 2]) })
    await assert.rejects(pool.run('fail', ['no such thing']), { name: 'RangeError', message: 'no such thing' })
  })

  it('runs jobs on up to `size` workers at once', async () => {
    make(2, 8)
    const spans = (await Promise.all([1, 2, 3, 4, 5, 6].map(() => pool.run('span', [80])))) as [number, number][]
    const overlapAt = (t: number) => spans.filter(([start, end]) => start <= t && t < end).length
    assert.equal(Math.max(...spans.map(([start]) => overlapAt(start))), 2)
  })

  it('refuses a job beyond the queue bound with WorkerPoolBusyError', async () => {
    make(1, 2)
    const accepted = [pool.run('sleep', [1, 50]), pool.run('sleep', [2]), pool.run('sleep', [3])]
    await assert.rejects(pool.run('sleep', [4]), WorkerPoolBusyError)
    assert.deepEqual(await Promise.all(accepted), [1, 2, 3])
  })

  it('fails the job of a worker that exits and serves the next job with a fresh worker', async () => {
    make(1, 4)
    const lost = pool.run('exit', [])
    const next = pool.run('echo', ['after'])
    await assert.rejects(lost, { message: 'crypto worker exited' })
    assert.equal(await next, 'after')
  })

  it('fails the job, and frees its queue slot, when a worker cannot be started', async () => {
    pool = new WorkerPool({ script: new URL('http://localhost/not-a-file.js'), size: 1, maxQueued: 1, reviveFailure: (f) => new Error(String(f)) })
    await assert.rejects(pool.run('echo', [1]), { code: 'ERR_INVALID_URL_SCHEME' })
    await assert.rejects(pool.run('echo', [2]), { code: 'ERR_INVALID_URL_SCHEME' })
  })

  it('close() rejects queued jobs and refuses new ones', async () => {
    make(1, 4)
    const running = assert.rejects(pool.run('sleep', [1, 50]), { message: 'crypto worker exited' })
    const queued = assert.rejects(pool.run('echo', [2]), { message: 'worker pool is closed' })
    await pool.close()
    await Promise.all([running, queued])
    await assert.rejects(pool.run('echo', [3]), { message: 'worker pool is closed' })
  })

  describe('private keys', () => {
    const keyOf = (owner: string, version = 1): PoolKey => ({ owner, name: `${owner}/${version}`, material: Uint8Array.of(version, 2, 3, 4) })

    it('sends a key\'s material to a worker once; the next job names the key by reference alone', async () => {
      make(1, 8)
      const key = keyOf('key-a')
      assert.deepEqual(await pool.run('keyBytes', [], key), Uint8Array.of(1, 2, 3, 4))
      assert.deepEqual(await pool.run('keyBytes', [], key), Uint8Array.of(1, 2, 3, 4))
      assert.deepEqual(pool.stats, { materialSent: 1, referenceOnly: 1, missing: 0 })
      // The caller's buffer was neither transferred away nor zeroed: only a private copy moved.
      assert.deepEqual(key.material, Uint8Array.of(1, 2, 3, 4))
    })

    it('forget() makes every worker drop the key, so the next job sends the material again', async () => {
      make(2, 8)
      const [a, b] = [keyOf('key-a'), keyOf('key-b')]
      await Promise.all([pool.run('keyedSleep', [30], a), pool.run('keyedSleep', [30], a), pool.run('keyedSleep', [30], b)])
      assert.deepEqual((await pool.heldKeys()).flat().filter((n) => n === 'key-a/1').length, 2)
      await pool.forget('key-a')
      assert.deepEqual((await pool.heldKeys()).flat().sort(), ['key-b/1'])
      const sent = pool.stats.materialSent
      assert.deepEqual(await pool.run('keyBytes', [], a), Uint8Array.of(1, 2, 3, 4))
      assert.equal(pool.stats.materialSent, sent + 1)
    })

    it('keeps at most maxKeysPerWorker keys in a worker, dropping the least recently used', async () => {
      make(1, 8, 2)
      for (const owner of ['a', 'b', 'a', 'c']) await pool.run('keyBytes', [], keyOf(owner))
      assert.deepEqual(await pool.heldKeys(), [['a/1', 'c/1']])
      assert.equal(pool.stats.materialSent, 3)
      await pool.run('keyBytes', [], keyOf('b'))
      assert.equal(pool.stats.materialSent, 4)
      assert.deepEqual(await pool.heldKeys(), [['c/1', 'b/1']])
    })

    it('a worker restarted after a crash holds no keys, and the next job with the key still works', async () => {
      make(1, 8)
      const key = keyOf('key-a')
      await pool.run('keyBytes', [], key)
      await assert.rejects(pool.run('exit', []), { message: 'crypto worker exited' })
      assert.deepEqual(await pool.heldKeys(), [])
      assert.deepEqual(await pool.run('keyBytes', [], key), Uint8Array.of(1, 2, 3, 4))
      assert.equal(pool.stats.materialSent, 2)
      assert.deepEqual(await pool.heldKeys(), [['key-a/1']])
    })

    it('resends the material when a worker does not hold a key the pool thought it held', async () => {
      make(1, 8)
      // The test worker refuses to parse material that starts with 0xff, so it never caches this key.
      const unparsable: PoolKey = { owner: 'bad', name: 'bad/1', material: Uint8Array.of(0xff) }
      await assert.rejects(pool.run('keyBytes', [], unparsable), { message: 'unparsable test key' })
      await assert.rejects(pool.run('keyBytes', [], unparsable), { message: 'unparsable test key' })
      assert.deepEqual(pool.stats, { materialSent: 2, referenceOnly: 1, missing: 1 })
    })
  })
})

describe('a pooled worker', () => {
  it('answers a job naming a forgotten key by reference alone with missing-key, not with a result', async () => {
    const worker = new Worker(script, { workerData: { maxKeys: 4 } })
    const replies: PoolReply[] = []
    const next = () => new Promise<PoolReply>((resolve) => worker.once('message', (reply: PoolReply) => { replies.push(reply); resolve(reply) }))
    const post = (request: PoolRequest, transfer: ArrayBuffer[] = []) => { const reply = next(); worker.postMessage(request, transfer); return reply }
    try {
      const material = Uint8Array.of(9, 8, 7)
      const first = await post({ kind: 'task', id: 1, task: 'keyBytes', args: [], key: { owner: 'k', name: 'k/1', material } }, [material.buffer])
      assert.deepEqual(first, { kind: 'result', id: 1, ok: true, result: Uint8Array.of(9, 8, 7) })
      assert.deepEqual(await post({ kind: 'task', id: 2, task: 'keyBytes', args: [], key: { owner: 'k', name: 'k/1' } }), { kind: 'result', id: 2, ok: true, result: Uint8Array.of(9, 8, 7) })
      assert.deepEqual(await post({ kind: 'forget', id: 3, owner: 'k' }), { kind: 'control', id: 3, result: undefined })
      assert.deepEqual(await post({ kind: 'task', id: 4, task: 'keyBytes', args: [], key: { owner: 'k', name: 'k/1' } }), { kind: 'missing-key', id: 4 })
      assert.deepEqual(await post({ kind: 'held', id: 5 }), { kind: 'control', id: 5, result: [] })
    } finally {
      await worker.terminate()
    }
  })
})
