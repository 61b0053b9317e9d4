// The one way an operation writes a key's state, deletion date, policy or description: a compare-and-set on the
// copy it checked (Store.updateKey), so an overlapping write (DisableKey, CancelKeyDeletion, DeleteImportedKeyMaterial,
// the import-expiry job, another worker) is never undone by a write made from an older read. When the set loses,
// the key is read again, held to the key-state table and the operation's own preconditions again, and the change
// is made anew from that row.
import type { KeyRecord } from '../keys/key.js'
import { requireKeyState, type KeyRole } from '../keys/key-state.js'
import { keyNotFound } from '../keys/resolve.js'
import { protocolErrors } from '../wire/messages.js'
import type { OperationName } from '../wire/types.generated.js'
import type { OperationContext } from './operation.js'

/** Lost compare-and-sets tolerated before the request fails; each loss means another write committed meanwhile. */
export const CHANGE_KEY_ATTEMPTS = 5

/**
 * Turns the current row into the row to store, or undefined when nothing needs writing (EnableKey on an enabled
 * key). Checks the operation's own preconditions on that row, and throws their exceptions; may run more than once.
 */
export type KeyChange = (current: KeyRecord) => KeyRecord | undefined | Promise<KeyRecord | undefined>

export interface ChangeKeyOptions {
  /** The role the key had in the operation's key-state decision, if any (keys/key-state.ts). */
  role?: KeyRole
}

/**
 * Applies `change` to `key` (already authorized and state-checked by the pipeline for `operation`) and stores it.
 * Returns the row as written, or as found when `change` wrote nothing. Throws the state or precondition exception
 * a concurrent write led to, NotFoundException when the key was destroyed meanwhile, and KMSInternalException
 * after CHANGE_KEY_ATTEMPTS lost compare-and-sets.
 */
export async function changeKey(ctx: OperationContext, key: KeyRecord, operation: OperationName, change: KeyChange, options: ChangeKeyOptions = {}): Promise<KeyRecord> {
  let read = key
  for (let attempt = 1; ; attempt++) {
    const next = await change(read)
    if (next === undefined || (await ctx.store.updateKey(next, read))) return next ?? read
    if (attempt >= CHANGE_KEY_ATTEMPTS) throw protocolErrors.internal()
    // Fresh, not a cached copy: the caching store polls the change feed after every write, a lost compare-and-set
    // included, and the write that beat ours had committed its change row before our set ran.
    const fresh = await ctx.store.getKey(key.keyId)
    if (!fresh) throw keyNotFound(key)
    requireKeyState(operation, fresh, options.role)
    read = fresh
  }
}
