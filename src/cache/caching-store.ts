// A Store decorator that serves the request path's reads from memory (cached-reads.ts) and keeps them
// correct: every write through it polls the change feed before it resolves, so the writer's own caches
// (and the keyring, and the credential cache) are invalidated from the very rows its transaction added,
// the same path that carries other processes' writes. Everything else passes straight through.
import type { Store } from '../store/store.js'
import { cachedReadMethods, ReadCaches } from './cached-reads.js'
import type { StoreChangeFeed } from './change-feed.js'

export interface CachingStore {
  store: Store
  caches: ReadCaches
}

type WriteMethod = {
  [K in keyof Store]: Store[K] extends (...args: never[]) => Promise<unknown> ? K : never
}[keyof Store]

/** Writes to tables the feed records; each resolves only once the caches have seen its changes. */
const WRITES = [
  'insertAccount', 'insertAccessKey', 'insertKey', 'updateKey', 'destroyKey', 'addKeyVersion', 'rewrapKeyVersion',
  'saveImportedVersion', 'deleteImportedVersion', 'promotePendingVersion',
  'setKeyRotation', 'startOnDemandRotation', 'rotateKey',
  'insertReplicaKey', 'finishKeyTransition', 'updatePrimaryRegion', 'startReplicaFreeDeletions', 'applyKeySetSync',
  'insertAlias', 'updateAlias', 'deleteAlias', 'putTags', 'deleteTags', 'deleteAccount', 'insertUser', 'deleteUser',
  'insertRole', 'deleteRole', 'addAccessKey', 'setAccessKeyStatus', 'deleteAccessKey', 'putIdentityPolicy',
  'deleteIdentityPolicy', 'putPrincipalTags', 'deletePrincipalTags', 'insertRoleSession', 'createGrant', 'deleteGrant',
  'replaceWrappedSecret', 'importSnapshot',
] as const satisfies readonly WriteMethod[]

function invalidatingWrite<K extends (typeof WRITES)[number]>(inner: Store, feed: StoreChangeFeed, name: K): Store[K] {
  const write = inner[name] as (...args: unknown[]) => Promise<unknown>
  return (async (...args: unknown[]) => {
    try {
      return await write.apply(inner, args)
    } finally {
      // Also after a failed write: it changed nothing (each method is atomic), and polling is harmless.
      await feed.afterLocalWrite()
    }
  }) as Store[K]
}

/** Wraps `inner`; `feed` must read the same store. close() releases the feed (zeroing what its subscribers hold) and closes `inner`. */
export function createCachingStore(inner: Store, feed: StoreChangeFeed): CachingStore {
  const caches = new ReadCaches()
  feed.subscribe(caches)
  const writes = Object.fromEntries(WRITES.map((name) => [name, invalidatingWrite(inner, feed, name)])) as Pick<Store, (typeof WRITES)[number]>
  const store: Store = {
    // Pass-through: settings, listings and admin reads (not on the request path), the audit log, the feed itself.
    getOrInitSetting: (n, v) => inner.getOrInitSetting(n, v),
    getSetting: (n) => inner.getSetting(n),
    listKeys: (a, r, after, limit) => inner.listKeys(a, r, after, limit),
    listKeysDueForDeletion: (now) => inner.listKeysDueForDeletion(now),
    // Multi-Region reads: DescribeKey's configuration, ReplicateKey, the jobs; read through so a set is never stale.
    listRegionalKeys: (publicId) => inner.listRegionalKeys(publicId),
    listKeysInTransition: () => inner.listKeysInTransition(),
    listKeysDueForRotation: (now, limit) => inner.listKeysDueForRotation(now, limit),
    listKeyVersions: (keyId, after, limit) => inner.listKeyVersions(keyId, after, limit),
    listLegacyWrappedVersions: (limit) => inner.listLegacyWrappedVersions(limit),
    // Import bookkeeping reads (DescribeKey of EXTERNAL keys, the import operations, the expiry job): not the hot path.
    listAllKeyVersions: (k) => inner.listAllKeyVersions(k),
    listExpiredImportedVersions: (now, limit) => inner.listExpiredImportedVersions(now, limit),
    getPendingRotationVersion: (k) => inner.getPendingRotationVersion(k),
    listAccounts: () => inner.listAccounts(),
    listUsers: (a) => inner.listUsers(a),
    listRoles: (a) => inner.listRoles(a),
    listAccessKeys: (a, p) => inner.listAccessKeys(a, p),
    getGrant: (id) => inner.getGrant(id),
    listGrants: (k, f, after, limit) => inner.listGrants(k, f, after, limit),
    listRetirableGrants: (p, r, after, limit) => inner.listRetirableGrants(p, r, after, limit),
    appendAudit: (records) => inner.appendAudit(records),
    listAudit: (after, limit) => inner.listAudit(after, limit),
    lookupAudit: (q) => inner.lookupAudit(q),
    auditChainHead: () => inner.auditChainHead(),
    // Leases are coordination, never cached: each call must reach the store.
    takeLease: (n, h, now, ttl) => inner.takeLease(n, h, now, ttl),
    releaseLease: (n, h) => inner.releaseLease(n, h),
    // The peer outbox is read and written only by the operations that enqueue and the delivery job: no cache.
    enqueuePeerMessage: (p, r, k, now, replica) => inner.enqueuePeerMessage(p, r, k, now, replica),
    listDuePeerMessages: (now, limit) => inner.listDuePeerMessages(now, limit),
    listPeerMessages: (p) => inner.listPeerMessages(p),
    completePeerMessage: (p, r, k, seq) => inner.completePeerMessage(p, r, k, seq),
    deferPeerMessage: (p, r, k, seq, due, error) => inner.deferPeerMessage(p, r, k, seq, due, error),
    // Last use is batched by its tracker and read only by GetKeyLastUsage: no cache to keep.
    recordKeyLastUses: (uses) => inner.recordKeyLastUses(uses),
    getKeyLastUse: (keyId) => inner.getKeyLastUse(keyId),
    insertAuditDigest: (d) => inner.insertAuditDigest(d),
    latestAuditDigest: () => inner.latestAuditDigest(),
    listAuditDigests: (after, limit) => inner.listAuditDigests(after, limit),
    pruneAudit: (r, d) => inner.pruneAudit(r, d),
    probeAuditWritable: () => inner.probeAuditWritable(),
    countKeysByState: () => inner.countKeysByState(),
    readChanges: (after, limit) => inner.readChanges(after, limit),
    latestChangeSeq: () => inner.latestChangeSeq(),
    pruneChanges: (before) => inner.pruneChanges(before),
    // Custody: listings and settings are not cached; a snapshot reads the store itself.
    listWrappedSecrets: (k, after, limit) => inner.listWrappedSecrets(k, after, limit),
    replaceSetting: (n, p, v) => inner.replaceSetting(n, p, v),
    exportSnapshot: () => inner.exportSnapshot(),
    async close() {
      await feed.release()
      await inner.close()
    },
    ...cachedReadMethods(inner, feed, caches),
    ...writes,
  }
  return { store, caches }
}
