// `announced`: a change to a set shared with a peer deployment is enqueued before AND after it is made, so a
// delivery that read the set between the first enqueue and the commit cannot be the last word (its completion
// must delete nothing, leaving the row to be sent again from the changed set).
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import type { Store } from '../store/store.js'
import { announced } from './notify-peers.js'

const NOW = new Date('2026-12-06T12:00:00Z')
const PUBLIC_ID = 'mrk-0123456789abcdef0123456789abcdef'
const SET = [{ region: 'us-east-1' }, { region: 'eu-west-1' }]

describe('announced', () => {
  let store: Store
  beforeEach(async () => {
    store = await openSqliteStore(':memory:')
  })
  afterEach(() => store.close())

  const deps = () => ({ store, peerRegions: new Set(['eu-west-1']) })

  it('a delivery that ran before the change was committed cannot complete the message: it is sent again', async () => {
    let raced: { seq: number } | undefined
    const result = await announced(deps(), NOW, PUBLIC_ID, SET, async () => {
      // The delivery job, between the first enqueue and the commit: it reads the row (and the set as it is now).
      const [due] = await store.listDuePeerMessages(NOW, 10)
      raced = { seq: due!.seq }
      return 'committed'
    })
    assert.equal(result, 'committed')
    // That delivery finishes after the commit: its completion must not delete the row.
    assert.equal(await store.completePeerMessage(PUBLIC_ID, 'eu-west-1', 'sync', raced!.seq), false)
    const pending = await store.listDuePeerMessages(NOW, 10)
    assert.deepEqual(pending.map((m) => [m.publicId, m.region, m.kind, m.attempts]), [[PUBLIC_ID, 'eu-west-1', 'sync', 0]])
    // The next delivery, which reads the set after the commit, completes it.
    assert.equal(await store.completePeerMessage(PUBLIC_ID, 'eu-west-1', 'sync', pending[0]!.seq), true)
    assert.deepEqual(await store.listPeerMessages(PUBLIC_ID), [])
  })

  it('queues nothing for a set with no row in a peer Region, and skips the second enqueue when the change throws', async () => {
    await announced(deps(), NOW, PUBLIC_ID, [{ region: 'us-east-1' }], async () => undefined)
    assert.deepEqual(await store.listPeerMessages(PUBLIC_ID), [])
    await assert.rejects(announced(deps(), NOW, PUBLIC_ID, SET, async () => {
      throw new Error('the change failed')
    }), /the change failed/)
    // The first enqueue stands (a harmless extra sync); it was not bumped a second time.
    assert.deepEqual((await store.listPeerMessages(PUBLIC_ID)).map((m) => m.seq), [1])
  })
})
