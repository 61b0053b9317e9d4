// The store reads the steady-state request path makes, each served from a bounded LRU filed under the
// entities it was loaded from (the change feed's kind:entity). Only found rows are cached: a miss always
// reads the store, so an insert (CreateKey, CreateAlias, a new access key) is visible at once.
import type { ChangeRow } from '../store/change-store.js'
import type { Store } from '../store/store.js'
import type { ChangeSubscriber, StoreChangeFeed } from './change-feed.js'
import { freezeDeep } from './freeze.js'
import { TaggedLru, type CacheStats } from './tagged-lru.js'

/** Bounds, in entries per cache (docs/caching.md). */
export const CACHE_BOUNDS = {
  keys: 10_000, keyVersions: 10_000, aliases: 10_000, keyAliases: 10_000, tags: 10_000, grants: 10_000,
  identityPolicies: 10_000, principalTags: 10_000, accessKeys: 10_000, roleSessions: 10_000, principals: 10_000, accounts: 1_000,
} as const

/** Every user and role entry: identity rows are few and rarely written, so any change drops them all. */
const PRINCIPALS = 'principals:*'

export type CachedReadMethods = Pick<Store,
  'getKey' | 'getKeyVersion' | 'getAlias' | 'listAliases' | 'listTags' | 'listGrantsForGrantees' | 'listIdentityPolicies'
  | 'listPrincipalTags' | 'getAccessKey' | 'getRoleSession' | 'getUser' | 'getRole' | 'getIdentityByUniqueId' | 'getAccount'>

const SEP = '\u0000'

/** The caches behind CachedReadMethods, and the subscriber that invalidates them from the feed. */
export class ReadCaches implements ChangeSubscriber {
  readonly keys = new TaggedLru<unknown>(CACHE_BOUNDS.keys)
  readonly keyVersions = new TaggedLru<unknown>(CACHE_BOUNDS.keyVersions)
  readonly aliases = new TaggedLru<unknown>(CACHE_BOUNDS.aliases)
  readonly keyAliases = new TaggedLru<unknown>(CACHE_BOUNDS.keyAliases)
  readonly tags = new TaggedLru<unknown>(CACHE_BOUNDS.tags)
  readonly grants = new TaggedLru<unknown>(CACHE_BOUNDS.grants)
  readonly identityPolicies = new TaggedLru<unknown>(CACHE_BOUNDS.identityPolicies)
  readonly principalTags = new TaggedLru<unknown>(CACHE_BOUNDS.principalTags)
  readonly accessKeys = new TaggedLru<unknown>(CACHE_BOUNDS.accessKeys)
  readonly roleSessions = new TaggedLru<unknown>(CACHE_BOUNDS.roleSessions)
  readonly principals = new TaggedLru<unknown>(CACHE_BOUNDS.principals)
  readonly accounts = new TaggedLru<unknown>(CACHE_BOUNDS.accounts)

  private all(): TaggedLru<unknown>[] {
    return [this.keys, this.keyVersions, this.aliases, this.keyAliases, this.tags, this.grants, this.identityPolicies,
      this.principalTags, this.accessKeys, this.roleSessions, this.principals, this.accounts]
  }

  onChange(change: ChangeRow): void {
    const tag = change.kind === 'user' || change.kind === 'role' ? PRINCIPALS : `${change.kind}:${change.entity}`
    // Tags are unique to one kind, so asking every cache is cheap and cannot miss one.
    for (const cache of this.all()) cache.invalidate(tag)
  }

  onReset(): void {
    for (const cache of this.all()) cache.clear()
  }

  stats(): Record<string, CacheStats> {
    return {
      keys: this.keys.stats, keyVersions: this.keyVersions.stats, aliases: this.aliases.stats, keyAliases: this.keyAliases.stats,
      tags: this.tags.stats, grants: this.grants.stats, identityPolicies: this.identityPolicies.stats, principalTags: this.principalTags.stats,
      accessKeys: this.accessKeys.stats, roleSessions: this.roleSessions.stats, principals: this.principals.stats, accounts: this.accounts.stats,
    }
  }
}

/**
 * Reads through `cache`: a hit is returned as is (frozen: callers share it), a miss loads from the store and
 * is cached only when found and when no invalidation ran while it loaded (the guard), so a stale read that
 * raced a change is used once and never kept.
 */
async function through<T>(feed: StoreChangeFeed, cache: TaggedLru<unknown>, key: string, tags: readonly string[], load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key)
  if (hit !== undefined) return hit as T
  const guard = feed.guard()
  const value = await load()
  if (value !== undefined && guard.fresh()) cache.set(key, freezeDeep(value), tags, guard.at)
  return value
}

export function cachedReadMethods(inner: Store, feed: StoreChangeFeed, c: ReadCaches): CachedReadMethods {
  return {
    getKey: (keyId) => through(feed, c.keys, keyId, [`key:${keyId}`], () => inner.getKey(keyId)),
    getKeyVersion: (keyId, version) =>
      through(feed, c.keyVersions, `${keyId}${SEP}${version}`, [`key_version:${keyId}`], () => inner.getKeyVersion(keyId, version)),
    getAlias: (accountId, region, aliasName) =>
      through(feed, c.aliases, `${accountId}/${region}/${aliasName}`, [`alias:${accountId}/${region}/${aliasName}`],
        () => inner.getAlias(accountId, region, aliasName)),
    listAliases(accountId, region, keyId, after, limit) {
      // Only one key's first page is on the request path (kms:ResourceAliases); listings read the store.
      if (keyId === undefined || after !== undefined) return inner.listAliases(accountId, region, keyId, after, limit)
      return through(feed, c.keyAliases, [accountId, region, keyId, limit].join(SEP), [`key_aliases:${keyId}`],
        () => inner.listAliases(accountId, region, keyId, after, limit))
    },
    listTags: (keyId) => through(feed, c.tags, keyId, [`tags:${keyId}`], () => inner.listTags(keyId)),
    listGrantsForGrantees: (keyId, grantees) =>
      through(feed, c.grants, [keyId, ...grantees].join(SEP), [`grants:${keyId}`], () => inner.listGrantsForGrantees(keyId, grantees)),
    listIdentityPolicies: (arn) =>
      through(feed, c.identityPolicies, arn, [`identity_policy:${arn}`], () => inner.listIdentityPolicies(arn)),
    listPrincipalTags: (arn) => through(feed, c.principalTags, arn, [`principal_tags:${arn}`], () => inner.listPrincipalTags(arn)),
    getAccessKey: (id) => through(feed, c.accessKeys, id, [`access_key:${id}`], () => inner.getAccessKey(id)),
    getRoleSession: (id) => through(feed, c.roleSessions, id, [`role_session:${id}`], () => inner.getRoleSession(id)),
    getUser: (accountId, userName) =>
      through(feed, c.principals, `user${SEP}${accountId}${SEP}${userName}`, [PRINCIPALS], () => inner.getUser(accountId, userName)),
    getRole: (accountId, roleName) =>
      through(feed, c.principals, `role${SEP}${accountId}${SEP}${roleName}`, [PRINCIPALS], () => inner.getRole(accountId, roleName)),
    getIdentityByUniqueId: (uniqueId) =>
      through(feed, c.principals, `id${SEP}${uniqueId}`, [PRINCIPALS], () => inner.getIdentityByUniqueId(uniqueId)),
    getAccount: (accountId) => through(feed, c.accounts, accountId, [`account:${accountId}`], () => inner.getAccount(accountId)),
  }
}
