// Writes a validated seed plan into the store, idempotently: a key that exists with the same id, spec and
// material is left as it is (its description, policy, state, tags and aliases brought to what the file says);
// one with other material or another spec is refused. Material is stored only wrapped under the root key.
import { deriveMaterialId } from '../../keys/material-binding.js'
import { keyArn, type AliasRecord, type KeyRecord, type Tag } from '../../keys/key.js'
import { Keyring } from '../../keys/keyring.js'
import { MAX_ALIASES_PER_KEY, requireCustomerAliasName } from '../../operations/alias-names.js'
import { defaultKeyPolicy, validateKeyPolicy, withKeyPolicy } from '../../operations/key-policy.js'
import { MAX_TAGS_PER_KEY, validateTags } from '../../operations/tags.js'
import { isAliasName } from '../../keys/key-id.js'
import { KmsError } from '../../wire/kms-error.js'
import type { RootKey } from '../../rootkey/root-key.js'
import type { Store } from '../../store/store.js'
import { SeedFileError, type SeedKey, type SeedPlan } from './seed-file.js'

export interface SeedTarget {
  store: Store
  rootKey: RootKey
  region: string
  accountId: string
  now: Date
}

export interface SeedOutcome {
  KeyId: string
  Arn: string
  /** created: new key; updated: existing key whose description, policy, state, tags or aliases changed; unchanged. */
  Result: 'created' | 'updated' | 'unchanged'
  Aliases: string[]
}

interface Checked {
  seed: SeedKey
  existing?: KeyRecord
  policy: string
  bindings: Record<string, string>
  tags: Tag[]
}

/** Validates every key against the store first (nothing is written if any entry is refused), then writes. Throws SeedFileError. */
export async function applySeed(target: SeedTarget, plan: SeedPlan): Promise<SeedOutcome[]> {
  const checked: Checked[] = []
  for (const seed of plan.keys) checked.push(await check(target, seed))
  const keyring = new Keyring(target.rootKey, target.store)
  const outcomes: SeedOutcome[] = []
  for (const c of checked) outcomes.push(await write(target, keyring, c))
  return outcomes
}

async function check(target: SeedTarget, seed: SeedKey): Promise<Checked> {
  const refuse = (why: string) => new SeedFileError(`key ${seed.keyId}: ${why}`)
  const policy = seed.policy ?? defaultKeyPolicy(target.accountId)
  let bindings: Record<string, string>
  let tags: Tag[]
  try {
    bindings = await validateKeyPolicy(target.store, policy)
    tags = validateTags(seed.tags)
    for (const alias of seed.aliases) {
      requireCustomerAliasName(alias)
      if (!isAliasName(alias)) throw refuse(`invalid alias name ${alias}`)
    }
  } catch (e) {
    throw e instanceof KmsError ? refuse(`${e.name}: ${e.message}`) : e
  }
  const existing = await target.store.getKey(seed.keyId)
  if (existing) {
    if (existing.accountId !== target.accountId || existing.region !== target.region) throw refuse(`it exists in another account or region (${keyArn(existing)})`)
    if (existing.keySpec !== seed.keySpec || existing.keyUsage !== seed.keyUsage) throw refuse(`it exists as ${existing.keySpec}/${existing.keyUsage}, not ${seed.keySpec}/${seed.keyUsage}`)
    if (existing.keyState !== 'Enabled' && existing.keyState !== 'Disabled') throw refuse(`it is ${existing.keyState}`)
    const first = await target.store.getKeyVersion(seed.keyId, 1)
    // Compared by material id (a keyed digest), so the stored material is never unwrapped for the check.
    if (!first || first.materialId !== deriveMaterialId(first.materialIdFormat, seed.keyId, seed.material)) throw refuse('it exists with different key material')
  }
  return { seed, existing, policy, bindings, tags }
}

async function write(target: SeedTarget, keyring: Keyring, c: Checked): Promise<SeedOutcome> {
  const { seed } = c
  const { store } = target
  const keyState = seed.enabled ? 'Enabled' : 'Disabled'
  let result: SeedOutcome['Result'] = 'unchanged'
  let key: KeyRecord
  if (!c.existing) {
    key = withKeyPolicy({
      keyId: seed.keyId, accountId: target.accountId, region: target.region, createdAt: target.now, description: seed.description,
      keySpec: seed.keySpec, keyUsage: seed.keyUsage, origin: 'AWS_KMS', keyState, policy: c.policy, currentVersion: 1, multiRegion: seed.keyId.startsWith('mrk-'),
    }, c.policy, c.bindings)
    const version = await keyring.wrapVersion(key, 1, seed.material, target.now)
    await store.insertKey(key, version, c.tags)
    result = 'created'
  } else {
    key = c.existing
    if (key.description !== seed.description || key.policy !== c.policy || key.keyState !== keyState) {
      key = withKeyPolicy({ ...key, description: seed.description, keyState }, c.policy, c.bindings)
      await store.updateKey(key)
      result = 'updated'
    }
    if (await tagsDiffer(store, key.keyId, c.tags)) {
      await store.putTags(key.keyId, c.tags, MAX_TAGS_PER_KEY)
      result = 'updated'
    }
  }
  for (const aliasName of seed.aliases) {
    if (await pointAlias(target, aliasName, key.keyId)) result = result === 'created' ? result : 'updated'
  }
  return { KeyId: key.keyId, Arn: keyArn(key), Result: result, Aliases: seed.aliases }
}

async function tagsDiffer(store: Store, keyId: string, wanted: Tag[]): Promise<boolean> {
  const have = new Map((await store.listTags(keyId)).map((t) => [t.tagKey, t.tagValue]))
  return wanted.some((t) => have.get(t.tagKey) !== t.tagValue)
}

/** Creates the alias, or re-points it at `keyId`; returns whether anything changed. */
async function pointAlias(target: SeedTarget, aliasName: string, keyId: string): Promise<boolean> {
  const current = await target.store.getAlias(target.accountId, target.region, aliasName)
  if (current?.keyId === keyId) return false
  const alias: AliasRecord = { accountId: target.accountId, region: target.region, aliasName, keyId, createdAt: current?.createdAt ?? target.now, updatedAt: target.now }
  if (current) await target.store.updateAlias(alias, MAX_ALIASES_PER_KEY)
  else await target.store.insertAlias(alias, MAX_ALIASES_PER_KEY)
  return true
}
