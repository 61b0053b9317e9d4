// WorkerPool: results and revived failures, the queue bound, replacement of a worker that dies, close().
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { WorkerPool, WorkerPoolBusyError } from './worker-pool.js'

const script = new URL('../../test/support/pool-worker.js', import.meta.url)

describe('WorkerPool', () => {
  let pool: WorkerPool
  const make = (size: number, maxQueued: number) => {
    pool = new WorkerPool({ script, size, maxQueued, reviveFailure: (f) => new RangeError((f as { message: string }).message) })
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
})
