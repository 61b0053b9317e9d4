// Resolves a KeyId parameter (key id, key ARN, alias name or alias ARN) to a stored key.
import { KmsError } from '../wire/kms-error.js'
import type { Store } from '../store/store.js'
import { aliasArn, keyArn, type KeyRecord } from './key.js'
import { parseKeyReference } from './key-id.js'

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
  return new KmsError('NotFoundException', `Key '${keyArn(key)}' does not exist`)
}

async function findKey(scope: ResolveScope, accountId: string, region: string, keyId: string): Promise<KeyRecord> {
  const key = region === scope.region ? await scope.store.getKey(keyId) : undefined
  if (!key || key.accountId !== accountId || key.region !== region) throw notFound(accountId, region, keyId)
  return key
}

async function findByAlias(scope: ResolveScope, accountId: string, region: string, aliasName: string): Promise<ResolvedKey> {
  const alias = region === scope.region ? await scope.store.getAlias(accountId, region, aliasName) : undefined
  if (!alias) throw new KmsError('NotFoundException', `Alias ${aliasArn({ region, accountId, aliasName })} is not found.`)
  return { key: await findKey(scope, accountId, region, alias.keyId), requestAlias: aliasName }
}

/**
 * Finds the key a KeyId parameter names. `allowAlias` is false for management operations, which AWS lets
 * name a key only by key id or key ARN. Throws NotFoundException or InvalidArnException.
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
      if (!allowAlias) throw new KmsError('InvalidArnException', 'An alias ARN is not valid for this operation; use a key ID or key ARN')
      return findByAlias(scope, ref.accountId, ref.region, ref.aliasName)
    case 'invalidArn': throw new KmsError('InvalidArnException', 'Invalid arn')
    case 'invalid': break
  }
  throw new KmsError('NotFoundException', 'Invalid keyId')
}
