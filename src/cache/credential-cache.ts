// Resolved credentials by access key id: principal, session facts and the unwrapped secret, so a request
// neither reads the store nor unwraps a secret under the root key. The secret is held as bytes and zeroed
// when the entry leaves (evicted, invalidated); so are the SigV4 signing keys derived from it, which live
// inside the entry: one per (access key id, the secret as loaded, date, region, service).
import { resolveCredentialSecret, type ResolvedSecretCredential } from '../auth/credentials.js'
import type { Principal } from '../auth/principal.js'
import { deriveSigningKeyFromBytes, type SigningScope } from '../http/sigv4/signing-key.js'
import type { RootKey } from '../rootkey/root-key.js'
import type { ChangeRow } from '../store/change-store.js'
import type { Store } from '../store/store.js'
import type { ChangeSubscriber, StoreChangeFeed } from './change-feed.js'
import { TaggedLru } from './tagged-lru.js'

export const CREDENTIAL_CACHE_BOUND = 10_000
/** Signing keys kept per credential: a day's key, the next day's, and one per extra signing service. */
const SCOPES_PER_CREDENTIAL = 4

/** What SigV4 verification gets: the credential and a copy of its signing key for the request's scope. */
export interface LentCredential {
  principal: Principal
  session?: { tokenHash: string; expiresAt: Date }
  /** The caller's own copy; verification zeroes it after use. */
  signingKey: Uint8Array
}

class HeldCredential {
  readonly principal: Principal
  readonly session: ResolvedSecretCredential['session']
  private readonly secret: Uint8Array
  private readonly signingKeys = new Map<string, Buffer>()

  constructor(resolved: ResolvedSecretCredential) {
    this.principal = resolved.principal
    this.session = resolved.session
    this.secret = resolved.secret
  }

  /** A copy of the signing key for `scope`, derived once and kept (bounded) while the entry lives. */
  lend(scope: SigningScope): LentCredential {
    const id = `${scope.date}/${scope.region}/${scope.service}`
    let key = this.signingKeys.get(id)
    if (key === undefined) {
      key = deriveSigningKeyFromBytes(this.secret, scope.date, scope.region, scope.service)
      this.signingKeys.set(id, key)
      if (this.signingKeys.size > SCOPES_PER_CREDENTIAL) {
        const [oldest, dropped] = this.signingKeys.entries().next().value!
        this.signingKeys.delete(oldest)
        dropped.fill(0)
      }
    }
    return { principal: this.principal, ...(this.session ? { session: this.session } : {}), signingKey: new Uint8Array(key) }
  }

  zero(): void {
    this.secret.fill(0)
    for (const key of this.signingKeys.values()) key.fill(0)
    this.signingKeys.clear()
  }
}

export class CredentialCache implements ChangeSubscriber {
  private readonly lru = new TaggedLru<HeldCredential>(CREDENTIAL_CACHE_BOUND, (held) => held.zero())
  private readonly store: Store
  private readonly rootKey: RootKey
  private readonly feed: StoreChangeFeed

  constructor(store: Store, rootKey: RootKey, feed: StoreChangeFeed) {
    this.store = store
    this.rootKey = rootKey
    this.feed = feed
    feed.subscribe(this)
  }

  get stats() {
    return this.lru.stats
  }

  /**
   * The credential `accessKeyId` names, with its signing key for `scope`; undefined when it names no active
   * credential (never cached: a new access key works at once). Unwraps the secret only on a miss.
   */
  async lookup(accessKeyId: string, scope: SigningScope): Promise<LentCredential | undefined> {
    const hit = this.lru.get(accessKeyId)
    if (hit !== undefined) return hit.lend(scope)
    const guard = this.feed.guard()
    const resolved = await resolveCredentialSecret(this.store, this.rootKey, accessKeyId)
    if (resolved === undefined) return undefined
    const held = new HeldCredential(resolved)
    const lent = held.lend(scope)
    // A load that raced an invalidation is used for this request only, and its secret zeroed at once.
    if (guard.fresh()) this.lru.set(accessKeyId, held, this.tagsOf(accessKeyId), guard.at)
    else held.zero()
    return lent
  }

  onChange(change: ChangeRow): void {
    // A user's or role's change (deletion, re-creation under another id) may unbind any credential of it.
    if (change.kind === 'user' || change.kind === 'role') this.lru.invalidate('principals:*')
    else if (change.kind === 'access_key' || change.kind === 'role_session') this.lru.invalidate(`${change.kind}:${change.entity}`)
  }

  onReset(): void {
    this.lru.clear()
  }

  private tagsOf(accessKeyId: string): string[] {
    // Both rows an id can name (resolution tries the access key, then the session), and every principal row.
    return [`access_key:${accessKeyId}`, `role_session:${accessKeyId}`, 'principals:*']
  }
}
