import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { ChangeRow } from '../store/change-store.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import type { Store } from '../store/store.js'
import { keyIdOf, makeKey } from '../store/contract/fixtures.js'
import { createCachingStore } from './caching-store.js'
import { StoreChangeFeed } from './change-feed.js'

function recorder() {
  const seen: ChangeRow[] = []
  let resets = 0
  return { seen, get resets() { return resets }, subscriber: { onChange: (c: ChangeRow) => { seen.push(c) }, onReset: () => { resets++ } } }
}

async function started(store: Store): Promise<StoreChangeFeed> {
  const feed = new StoreChangeFeed(store)
  await feed.pollNow()
  return feed
}

describe('the store change feed', () => {
  it('records every write to a cached table in the write itself, and delivers the changes in commit order', async () => {
    const store = await openSqliteStore(':memory:')
    const feed = await started(store)
    const r = recorder()
    feed.subscribe(r.subscriber)
    const id = keyIdOf(1)
    await store.insertKey(makeKey(id), null, [{ tagKey: 'a', tagValue: '1' }])
    assert.ok(await store.updateKey({ ...makeKey(id), keyState: 'Disabled' }, makeKey(id)))
    await store.insertAlias({ accountId: '111122223333', region: 'eu-west-1', aliasName: 'alias/x', keyId: id, createdAt: new Date(), updatedAt: new Date() }, 10)
    await feed.pollNow()
    const seen = r.seen.map((c) => `${c.kind}:${c.op}:${c.entity}`)
    assert.deepEqual(seen.slice(0, 3), [`key:I:${id}`, `tags:I:${id}`, `key:U:${id}`])
    // One write's own rows come in trigger order, which SQLite leaves unspecified.
    assert.deepEqual(seen.slice(3).sort(), [`alias:I:111122223333/eu-west-1/alias/x`, `key_aliases:I:${id}`])
    assert.ok(r.seen.every((c, i) => i === 0 || c.seq > r.seen[i - 1]!.seq))
    feed.close()
    await store.close()
  })

  it('keeps the default poll period when an option is passed as undefined (not a 1 ms timer)', async () => {
    const store = await openSqliteStore(':memory:')
    let reads = 0
    const counting: Store = { ...store, readChanges: (after, limit) => { reads++; return store.readChanges(after, limit) } }
    const feed = new StoreChangeFeed(counting, { pollMs: undefined }).start()
    await feed.pollNow()
    const before = reads
    await new Promise((r) => setTimeout(r, 260))
    // 50 ms: about five polls; a 1 ms interval would have made well over a hundred.
    assert.ok(reads - before <= 8, `${reads - before} polls in 260 ms`)
    assert.ok(reads - before >= 2, `${reads - before} polls in 260 ms`)
    feed.close()
    await store.close()
  })

  it('starts at the latest change: what happened before it existed is not replayed', async () => {
    const store = await openSqliteStore(':memory:')
    await store.insertKey(makeKey(keyIdOf(1)), null, [])
    const feed = await started(store)
    const r = recorder()
    feed.subscribe(r.subscriber)
    await feed.pollNow()
    assert.equal(r.seen.length, 0)
    assert.equal(feed.position, await store.latestChangeSeq())
    feed.close()
    await store.close()
  })

  it('drops everything when changes it had not read were pruned (it fell behind the horizon)', async () => {
    const store = await openSqliteStore(':memory:')
    const feed = await started(store)
    const r = recorder()
    feed.subscribe(r.subscriber)
    await store.insertKey(makeKey(keyIdOf(1)), null, [])
    // Another process prunes before this reader polled (here: with a cutoff in the future).
    assert.equal(await store.pruneChanges(new Date(Date.now() + 60_000)), 1)
    await feed.pollNow()
    assert.equal(r.resets, 1)
    assert.equal(r.seen.length, 0)
    // Back in step: later changes arrive one by one again.
    await store.insertKey(makeKey(keyIdOf(2)), null, [])
    await feed.pollNow()
    assert.equal(r.resets, 1)
    assert.deepEqual(r.seen.map((c) => c.entity), [keyIdOf(2)])
    feed.close()
    await store.close()
  })

  it('prunes only changes older than its retention and leaves a reader that kept up undisturbed', async () => {
    const store = await openSqliteStore(':memory:')
    const feed = new StoreChangeFeed(store, { retentionMs: 60_000 })
    await feed.pollNow()
    const r = recorder()
    feed.subscribe(r.subscriber)
    await store.insertKey(makeKey(keyIdOf(1)), null, [])
    await feed.pollNow()
    assert.equal(await feed.prune(), 0, 'a fresh change is kept')
    assert.equal(await feed.prune(new Date(Date.now() + 120_000)), 1, 'an old one goes')
    await feed.pollNow()
    assert.equal(r.resets, 0, 'the reader had already seen what was pruned')
    feed.close()
    await store.close()
  })

  it('sees a change another connection to the same file commits, on the next pollNow()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-feed-'))
    try {
      const mine = await openSqliteStore(join(dir, 'trent.db'))
      const other = await openSqliteStore(join(dir, 'trent.db'))
      const feed = await started(mine)
      const { store, caches } = createCachingStore(mine, feed)
      await other.insertKey(makeKey(keyIdOf(1)), null, [])
      assert.equal((await store.getKey(keyIdOf(1)))?.keyState, 'Enabled')
      assert.equal(caches.keys.size, 1)
      assert.ok(await other.updateKey({ ...makeKey(keyIdOf(1)), keyState: 'Disabled' }, makeKey(keyIdOf(1))))
      assert.equal((await store.getKey(keyIdOf(1)))?.keyState, 'Enabled', 'stale until polled: the cache really serves it')
      await feed.pollNow()
      assert.equal((await store.getKey(keyIdOf(1)))?.keyState, 'Disabled')
      await store.close()
      await other.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('never caches a load that raced an invalidation of what it read', async () => {
    const driver = await openSqliteStore(':memory:')
    let release: (() => void) | undefined
    const gate = new Promise<void>((resolve) => { release = resolve })
    let pause = false
    // A getKey that reads, then is held up before it returns (as a slow read or an await in between would be).
    const slow: Store = new Proxy(driver, {
      get(target, name, receiver) {
        if (name !== 'getKey') return Reflect.get(target, name, receiver) as unknown
        return async (keyId: string) => {
          const value = await target.getKey(keyId)
          if (pause) await gate
          return value
        }
      },
    })
    const feed = await started(slow)
    const { store, caches } = createCachingStore(slow, feed)
    await store.insertKey(makeKey(keyIdOf(1)), null, [])
    pause = true
    const staleRead = store.getKey(keyIdOf(1))
    assert.ok(await store.updateKey({ ...makeKey(keyIdOf(1)), keyState: 'Disabled' }, makeKey(keyIdOf(1))))
    release!()
    assert.equal((await staleRead)?.keyState, 'Enabled', 'the racing read saw the old row')
    pause = false
    assert.equal(caches.keys.size, 0, 'and did not keep it')
    assert.equal((await store.getKey(keyIdOf(1)))?.keyState, 'Disabled')
    await store.close()
  })

  it('tells onLocalWrite listeners after a write through the caching store, once its caches are invalidated', async () => {
    const driver = await openSqliteStore(':memory:')
    const feed = await started(driver)
    const { store, caches } = createCachingStore(driver, feed)
    await store.insertKey(makeKey(keyIdOf(1)), null, [])
    await store.getKey(keyIdOf(1))
    const sizes: number[] = []
    const off = feed.onLocalWrite(() => sizes.push(caches.keys.size))
    assert.ok(await store.updateKey({ ...makeKey(keyIdOf(1)), keyState: 'Disabled' }, makeKey(keyIdOf(1))))
    off()
    assert.ok(await store.updateKey(makeKey(keyIdOf(1)), { ...makeKey(keyIdOf(1)), keyState: 'Disabled' }))
    assert.deepEqual(sizes, [0])
    await store.close()
  })
  it('keeps invalidating after a subscriber throws: one failing subscriber neither kills the feed nor skips the others', async () => {
    const store = await openSqliteStore(':memory:')
    const feed = await started(store)
    let failing = true
    // Fails on changes and on the reset that follows (as a keyring whose crypto workers are gone would).
    feed.subscribe({
      onChange: () => { if (failing) throw new Error('subscriber down') },
      onReset: () => { if (failing) throw new Error('subscriber down') },
    })
    const r = recorder()
    feed.subscribe(r.subscriber)
    await store.insertKey(makeKey(keyIdOf(1)), null, [])
    // Never rejects: a write that committed must not fail because a cache could not be told.
    await feed.pollNow()
    assert.equal(r.resets, 1, 'the later subscriber was still reset')
    failing = false
    await store.insertKey(makeKey(keyIdOf(2)), null, [])
    await feed.pollNow()
    assert.ok(r.seen.some((c) => c.kind === 'key' && c.entity === keyIdOf(2)), 'changes after the failure still reach the caches')
    feed.close()
    await store.close()
  })
})
