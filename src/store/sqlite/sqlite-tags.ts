// The SQLite driver's tag methods. The tag limit is checked after the upserts, inside the same IMMEDIATE
// transaction (write lock taken first), so no other writer can add tags between the count and the commit.
import type Database from 'better-sqlite3'
import type { Store } from '../store.js'
import { StoreLimitError } from '../store.js'
import type { Tag } from '../../keys/key.js'
import type { Statements } from './statements.js'

type TagMethods = Pick<Store, 'listTags' | 'putTags' | 'deleteTags'>

export function tagMethods(db: Database.Database, st: Statements): TagMethods {
  // Counting after the upserts measures distinct tag keys; throwing rolls back every upsert of this call.
  const putTags = db.transaction((keyId: string, tags: Tag[], maxTags: number) => {
    for (const t of tags) st.upsertTag.run(keyId, t.tagKey, t.tagValue)
    if (st.countTags.get(keyId)!.n > maxTags) throw new StoreLimitError('the key would exceed its tag limit')
  })

  const deleteTags = db.transaction((keyId: string, tagKeys: string[]) => {
    for (const tagKey of tagKeys) st.deleteTag.run(keyId, tagKey)
  })

  return {
    async listTags(keyId) {
      return st.listTags.all(keyId).map((r) => ({ tagKey: r.tag_key, tagValue: r.tag_value }))
    },
    async putTags(keyId, tags, maxTags) {
      putTags.immediate(keyId, tags, maxTags)
    },
    async deleteTags(keyId, tagKeys) {
      deleteTags.immediate(keyId, tagKeys)
    },
  }
}
