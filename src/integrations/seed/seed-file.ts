// The seed file (YAML or JSON, YAML being a superset): keys with fixed ids and fixed key material, their
// aliases, tags, policies and descriptions. Parsed and fully validated before anything is written.
import { parse } from 'yaml'
import { isKeyId } from '../../keys/key-id.js'
import { keySpecProfile } from '../../operations/key-specs.js'
import { symmetricMaterialBytes } from '../../crypto/data-key.js'
import type { KeySpec, KeyUsageType } from '../../wire/types.generated.js'

export interface SeedKey {
  keyId: string
  keySpec: KeySpec
  keyUsage: KeyUsageType
  description: string
  /** The raw key material: 32 bytes for SYMMETRIC_DEFAULT, the spec's length for HMAC keys. */
  material: Uint8Array
  aliases: string[]
  tags: Array<{ TagKey: string; TagValue: string }>
  /** A key policy document; the default key policy when absent. */
  policy?: string
  enabled: boolean
}

export interface SeedPlan {
  /** The account that owns the keys; the data folder's default account when absent. */
  account?: string
  keys: SeedKey[]
}

/** A seed file that cannot be used; the message names the entry and the field. */
export class SeedFileError extends Error {
  override readonly name = 'SeedFileError'
}

const seedable = new Set<string>(['SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'])

/** Parses and validates seed text. Throws SeedFileError. */
export function parseSeedFile(text: string): SeedPlan {
  let doc: unknown
  try {
    doc = parse(text)
  } catch (e) {
    throw new SeedFileError(`not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`)
  }
  const root = record(doc, 'the seed file')
  const account = root.account === undefined ? undefined : String(root.account)
  if (account !== undefined && !/^\d{12}$/.test(account)) throw new SeedFileError('account must be 12 digits')
  if (!Array.isArray(root.keys) || root.keys.length === 0) throw new SeedFileError('keys must be a non-empty list')
  const keys = root.keys.map((entry, i) => seedKey(record(entry, `keys[${i}]`), `keys[${i}]`))
  const ids = new Set<string>()
  const aliases = new Set<string>()
  for (const key of keys) {
    if (ids.has(key.keyId)) throw new SeedFileError(`key id ${key.keyId} appears twice`)
    ids.add(key.keyId)
    for (const alias of key.aliases) {
      if (aliases.has(alias)) throw new SeedFileError(`alias ${alias} appears twice`)
      aliases.add(alias)
    }
  }
  return { account, keys }
}

function seedKey(entry: Record<string, unknown>, where: string): SeedKey {
  const keyId = text(entry.id, `${where}.id`)
  if (!isKeyId(keyId)) throw new SeedFileError(`${where}.id must be a key id (a lowercase UUID, or mrk- and 32 hex digits): ${keyId}`)
  const keySpec = (entry.spec === undefined ? 'SYMMETRIC_DEFAULT' : text(entry.spec, `${where}.spec`)) as KeySpec
  if (!seedable.has(keySpec)) throw new SeedFileError(`${where}.spec ${keySpec} cannot be seeded; use SYMMETRIC_DEFAULT or HMAC_224/256/384/512`)
  const profile = keySpecProfile(keySpec)
  // An HMAC spec has one usage and no default in AWS's matrix; it is the only choice there is.
  const implied = profile.defaultUsage ?? (profile.usages.length === 1 ? profile.usages[0] : undefined)
  const keyUsage = (entry.usage === undefined ? implied : text(entry.usage, `${where}.usage`)) as KeyUsageType | undefined
  if (keyUsage === undefined) throw new SeedFileError(`${where}.usage is required for ${keySpec}`)
  if (!profile.usages.includes(keyUsage)) throw new SeedFileError(`${where}.usage ${keyUsage} does not fit ${keySpec}`)
  const material = Buffer.from(text(entry.material, `${where}.material`), 'base64')
  const bytes = profile.material.type === 'hmac' ? profile.material.bytes : symmetricMaterialBytes
  if (material.length !== bytes) throw new SeedFileError(`${where}.material must be ${bytes} bytes in base64 for ${keySpec} (it decodes to ${material.length})`)
  return {
    keyId, keySpec, keyUsage, material: new Uint8Array(material),
    description: entry.description === undefined ? '' : text(entry.description, `${where}.description`),
    aliases: list(entry.aliases, `${where}.aliases`).map((a, i) => text(a, `${where}.aliases[${i}]`)),
    tags: Object.entries(entry.tags === undefined ? {} : record(entry.tags, `${where}.tags`)).map(([TagKey, v]) => ({ TagKey, TagValue: String(v) })),
    policy: policyText(entry.policy, `${where}.policy`),
    enabled: entry.enabled === undefined ? true : boolean(entry.enabled, `${where}.enabled`),
  }
}

/** A policy given as a mapping is written as JSON; a string is kept exactly as given. */
function policyText(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string') return value
  return JSON.stringify(record(value, where), null, 2)
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SeedFileError(`${where} must be a mapping`)
  return value as Record<string, unknown>
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new SeedFileError(`${where} must be a list`)
  return value
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new SeedFileError(`${where} must be a non-empty string`)
  return value
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new SeedFileError(`${where} must be true or false`)
  return value
}
