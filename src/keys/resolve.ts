// Resolves a KeyId parameter (key id, key ARN, alias name or alias ARN) to a stored key.
import type { KmsError } from '../wire/kms-error.js'
import { lookupErrors } from '../wire/messages.js'
import type { Store } from '../store/store.js'
import { aliasArn, keyArn, type KeyRecord } from './key.js'
import { parseKeyReference } from './key-id.js'
import { getRegionalKey, publicKeyId } from './regional-key.js'

export interface ResolveScope {
  store: Store
  /** The caller's account: bare key ids and alias names are looked up there. */
  accountId: string
  region: string
}

export interface ResolvedKey {
  key: KeyRecord
  /** The alias the caller named, if any (kms:RequestAlias). */
  requestAlias?: string
}

function notFound(accountId: string, region: string, keyId: string): KmsError {
  return keyNotFound({ region, accountId, keyId })
}

/** AWS's NotFoundException for a key id or key ARN that names no key: `Key '<key ARN>' does not exist`. */
export function keyNotFound(key: { region: string; accountId: string; keyId: string }): KmsError {
  return lookupErrors.keyNotFound(keyArn(key))
}

async function findKey(scope: ResolveScope, accountId: string, region: string, keyId: string): Promise<KeyRecord> {
  if (region !== scope.region) throw lookupErrors.otherRegion(region)
  const key = await getRegionalKey(scope.store, keyId, region)
  if (!key || key.accountId !== accountId) throw notFound(accountId, region, keyId)
  return key
}

async function findByAlias(scope: ResolveScope, accountId: string, region: string, aliasName: string): Promise<ResolvedKey> {
  if (region !== scope.region) throw lookupErrors.otherRegion(region)
  const alias = await scope.store.getAlias(accountId, region, aliasName)
  if (!alias) throw lookupErrors.aliasNotFound(aliasArn({ region, accountId, aliasName }))
  // An alias holds the storage id of a key in its own Region.
  const key = await scope.store.getKey(alias.keyId)
  if (!key || key.accountId !== accountId || key.region !== region) throw notFound(accountId, region, publicKeyId(alias.keyId))
  return { key, requestAlias: aliasName }
}

/**
 * Finds the key a KeyId parameter names. `allowAlias` is false for management operations, which AWS lets
 * name a key only by key id or key ARN. Throws NotFoundException (`Invalid keyId '<value>'`, `Invalid arn <region>`, `Key '<arn>' does not exist`) or InvalidArnException.
 */
export async function resolveKey(scope: ResolveScope, value: string, allowAlias: boolean): Promise<ResolvedKey> {
  const ref = parseKeyReference(value)
  switch (ref.kind) {
    case 'keyId': return { key: await findKey(scope, scope.accountId, scope.region, ref.keyId) }
    case 'keyArn': return { key: await findKey(scope, ref.accountId, ref.region, ref.keyId) }
    case 'aliasName':
      if (!allowAlias) break
      return findByAlias(scope, scope.accountId, scope.region, ref.aliasName)
    case 'aliasArn':
      if (!allowAlias) throw lookupErrors.aliasArnNotAllowed()
      return findByAlias(scope, ref.accountId, ref.region, ref.aliasName)
    case 'invalidArn': throw lookupErrors.invalidArn()
    case 'invalid': break
  }
  throw lookupErrors.invalidKeyId(value)
}
