// CreateKey: a new customer managed key with fresh material wrapped under the root key, or (Origin EXTERNAL)
// a key in PendingImport that waits for ImportKeyMaterial.
import { randomUUID } from 'node:crypto'
import { generateSymmetricMaterial } from '../crypto/data-key.js'
import type { KeyRecord } from '../keys/key.js'
import { StoreLimitError } from '../store/store.js'
import { createKeyErrors, lookupErrors, tagAliasErrors } from '../wire/messages.js'
import type { CreateKeyRequest, KeySpec, KeyUsageType } from '../wire/types.generated.js'
import { defaultKeyPolicy, requireLockoutSafe, validateKeyPolicy, withKeyPolicy } from './key-policy.js'
import { toKeyMetadata } from './key-metadata.js'
import { keySpecProfile, type KeySpecProfile } from './key-specs.js'
import { defineOperation, type OperationContext } from './operation.js'
import { validateTags } from './tags.js'

/** AWS's default quota of customer managed keys per account and Region (facts §13); pending deletion counts. */
export const MAX_KEYS_PER_REGION = 100_000

function chooseSpec(input: CreateKeyRequest): KeySpec {
  if (input.KeySpec && input.CustomerMasterKeySpec) {
    throw createKeyErrors.bothSpecs()
  }
  return input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT'
}

function chooseUsage(spec: KeySpec, requested: KeyUsageType | undefined): KeyUsageType {
  const profile = keySpecProfile(spec)
  if (spec === 'SM2') throw createKeyErrors.specNotInRegion('KeySpec', spec)
  if (!profile.supported) throw createKeyErrors.specNotServed(spec)
  const usage = requested ?? profile.defaultUsage
  if (usage === undefined) throw createKeyErrors.usageRequired()
  if (!profile.usages.includes(usage)) {
    throw createKeyErrors.usageIncompatible(usage, spec)
  }
  return usage
}

/** Fresh material for version 1: an AES key, an HMAC key, or a PKCS#8 private key (made off the event loop). */
async function generateMaterial(ctx: OperationContext, profile: KeySpecProfile): Promise<Uint8Array> {
  const material = profile.material
  if (material.type === 'symmetric') return generateSymmetricMaterial(ctx.random)
  if (material.type === 'hmac') return new Uint8Array(ctx.random(material.bytes))
  if (material.type === 'none') throw new Error('no material exists for an unsupported key spec')
  return (await ctx.asymmetric.generateKeyPair(material.kind)).privateKey
}

function newKeyId(multiRegion: boolean): string {
  return multiRegion ? `mrk-${randomUUID().replaceAll('-', '')}` : randomUUID()
}

function checkUnsupportedOptions(input: CreateKeyRequest): void {
  if (input.CustomKeyStoreId !== undefined) {
    throw lookupErrors.customKeyStoreNotFound()
  }
  if (input.XksKeyId !== undefined) throw createKeyErrors.xksKeyIdWithoutStore()
  const origin = input.Origin ?? 'AWS_KMS'
  if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') throw createKeyErrors.originNotServed(origin)
}

async function run(ctx: OperationContext, input: CreateKeyRequest) {
  const keySpec = chooseSpec(input)
  const keyUsage = chooseUsage(keySpec, input.KeyUsage)
  checkUnsupportedOptions(input)
  const tags = validateTags(input.Tags)
  const policy = input.Policy ?? defaultKeyPolicy(ctx.principal.accountId)
  // Defaults count as requested (KeySpec, KeyUsage, MultiRegion, Origin describe the key being made), but
  // an omitted BypassPolicyLockoutSafetyCheck stays absent, as AWS's Null example for it relies on.
  await ctx.authorize(null, 'kms:CreateKey', {
    'kms:KeySpec': keySpec, 'kms:KeyUsage': keyUsage, 'kms:MultiRegion': input.MultiRegion ?? false, 'kms:KeyOrigin': input.Origin ?? 'AWS_KMS',
    'kms:BypassPolicyLockoutSafetyCheck': input.BypassPolicyLockoutSafetyCheck, requestTags: tags,
  })
  const bindings = await validateKeyPolicy(ctx.store, policy)
  if (tags.length > 0) await ctx.authorize(null, 'kms:TagResource', { requestTags: tags })
  const now = ctx.clock.now()
  const external = input.Origin === 'EXTERNAL'
  const key: KeyRecord = withKeyPolicy({
    keyId: newKeyId(input.MultiRegion ?? false), accountId: ctx.principal.accountId, region: ctx.region, createdAt: now,
    description: input.Description ?? '', keySpec, keyUsage, origin: external ? 'EXTERNAL' : 'AWS_KMS', keyState: external ? 'PendingImport' : 'Enabled', policy,
    // An EXTERNAL key has no material (version 0 names none) until ImportKeyMaterial brings version 1.
    currentVersion: external ? 0 : 1, multiRegion: input.MultiRegion ?? false,
  }, policy, bindings)
  if (input.Policy !== undefined) await requireLockoutSafe(ctx, key, input.BypassPolicyLockoutSafetyCheck, tags)
  const version = external ? null : await ctx.keyring.wrapVersion(key, 1, await generateMaterial(ctx, keySpecProfile(keySpec)), now)
  try {
    await ctx.store.insertKey(key, version, tags, MAX_KEYS_PER_REGION)
  } catch (e) {
    if (e instanceof StoreLimitError) throw tagAliasErrors.keyLimit(MAX_KEYS_PER_REGION)
    throw e
  }
  ctx.noteResource(key)
  return { KeyMetadata: toKeyMetadata(key, version ?? undefined) }
}

export const createKey = defineOperation({
  name: 'CreateKey',
  auditInput: ['Description', 'KeyUsage', 'KeySpec', 'CustomerMasterKeySpec', 'Origin', 'BypassPolicyLockoutSafetyCheck', 'Tags', 'MultiRegion'],
  auditOutput: ['KeyMetadata'],
  readOnly: false,
  keyScoped: false,
  run,
})
