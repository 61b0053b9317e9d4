// Strict validation of the peer service's JSON bodies (wire.ts). Every member is checked for type, length and
// format before anything is read from the store, so a malformed message is a ValidationException (400) that
// changes nothing. Messages name the member path and repeat no material, wrapped bytes or policy text.
import { keySpecProfile } from '../operations/key-specs.js'
import { decodePaddedBase64 } from '../wire/decode.js'
import { KmsError } from '../wire/kms-error.js'
import { constraints, echo, validationFailed } from '../wire/messages.js'
import { wireModel } from '../wire/model.generated.js'
import type { KeySpec, KeyUsageType, OriginType, RotationType, Tag } from '../keys/key.js'
import type { ForgetRegionalKey, KeySetSync, ReplicaToCreate, SyncedVersion, TransportWrapped } from './wire.js'

export const MR_KEY_ID = /^mrk-[0-9a-f]{32}$/
const REGION = /^([a-z]+-){2,3}\d+$/
const ACCOUNT_ID = /^\d{12}$/
const HEX64 = /^[0-9a-f]{64}$/
/** More versions than a set could reach in decades of daily rotations: a bound on one message's work. */
const MAX_VERSIONS = 10_000
const MAX_REGIONS = 64
/** The transport wrap of the largest material (an RSA-4096 or ML-DSA private key) is far below this. */
const MAX_SEALED_CHARS = 16_384
/**
 * The latest instant a timestamp may name (9999-12-31T23:59:59.999Z): a larger safe integer is no valid Date
 * (beyond 8.64e15 ms) or has no four-digit-year ISO form, so a row holding it breaks every later read.
 */
const MAX_EPOCH_MS = 253_402_300_799_999

type Json = Record<string, unknown>

function invalid(path: string, constraint: string, shown?: string | null): KmsError {
  return validationFailed([{ path, shown, constraint }])
}

export function peerValidation(message: string): KmsError {
  return new KmsError('ValidationException', message)
}

function object(value: unknown, path: string, known: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, 'Member must be an object')
  const unknown = Object.keys(value).find((k) => !known.includes(k))
  if (unknown !== undefined) throw invalid(`${path}.${echo(unknown)}`, 'Member is not recognized')
  return value as Json
}

function string(o: Json, name: string, path: string, pattern?: RegExp, max = 256): string {
  const v = o[name]
  if (v === undefined || v === null) throw invalid(`${path}.${name}`, constraints.notNull, null)
  if (typeof v !== 'string') throw invalid(`${path}.${name}`, 'Member must be a string')
  if (v.length > max) throw invalid(`${path}.${name}`, constraints.maxLength(max))
  if (pattern && !pattern.test(v)) throw invalid(`${path}.${name}`, constraints.pattern(pattern.source), echo(v))
  return v
}

function optionalString(o: Json, name: string, path: string, max: number): string | undefined {
  return o[name] === undefined ? undefined : string(o, name, path, undefined, max)
}

function oneOf<T extends string>(o: Json, name: string, path: string, values: readonly string[]): T {
  const v = string(o, name, path)
  if (!values.includes(v)) throw invalid(`${path}.${name}`, constraints.enumValues(values), echo(v))
  return v as T
}

function enumOf(shape: string): readonly string[] {
  const def = wireModel.shapes[shape]
  return def?.type === 'string' ? def.enum ?? [] : []
}

function integer(o: Json, name: string, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[name]
  if (v === undefined || v === null) throw invalid(`${path}.${name}`, constraints.notNull, null)
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalid(`${path}.${name}`, 'Member must be an integer')
  if (v < min) throw invalid(`${path}.${name}`, constraints.minValue(min), String(v))
  if (v > max) throw invalid(`${path}.${name}`, constraints.maxValue(max), String(v))
  return v
}

function optionalInteger(o: Json, name: string, path: string, min: number, max?: number): number | undefined {
  return o[name] === undefined ? undefined : integer(o, name, path, min, max)
}

/** An instant in epoch milliseconds that every Date, ISO and epoch-seconds rendering can represent. */
function epochMs(o: Json, name: string, path: string): number {
  return integer(o, name, path, 0, MAX_EPOCH_MS)
}

function boolean(o: Json, name: string, path: string): boolean {
  const v = o[name]
  if (typeof v !== 'boolean') throw invalid(`${path}.${name}`, 'Member must be a boolean')
  return v
}

function array(o: Json, name: string, path: string, max: number): unknown[] {
  const v = o[name]
  if (!Array.isArray(v)) throw invalid(`${path}.${name}`, 'Member must be an array')
  if (v.length > max) throw invalid(`${path}.${name}`, constraints.maxLength(max))
  return v
}

function base64(o: Json, name: string, path: string): string {
  const v = string(o, name, path, undefined, MAX_SEALED_CHARS)
  const bytes = decodePaddedBase64(v)
  if (bytes === undefined || bytes.length === 0) throw invalid(`${path}.${name}`, 'Member must be non-empty standard base64')
  return v
}

function regionList(o: Json, name: string, path: string): string[] {
  const list = array(o, name, path, MAX_REGIONS)
  if (list.length === 0) throw invalid(`${path}.${name}`, constraints.minLength(1))
  const regions = list.map((r, i) => {
    if (typeof r !== 'string' || !REGION.test(r)) throw invalid(`${path}.${name}[${i}]`, constraints.pattern(REGION.source), typeof r === 'string' ? echo(r) : undefined)
    return r
  })
  if (new Set(regions).size !== regions.length) throw invalid(`${path}.${name}`, 'Member must not repeat a Region')
  return regions
}

function transportWrapped(value: unknown, path: string): TransportWrapped {
  const o = object(value, path, ['wrappedKey', 'sealed', 'transportKeyId'])
  return { wrappedKey: base64(o, 'wrappedKey', path), sealed: base64(o, 'sealed', path), transportKeyId: string(o, 'transportKeyId', path, HEX64) }
}

function syncedVersion(value: unknown, path: string, origin: OriginType): SyncedVersion {
  const o = object(value, path, ['version', 'materialId', 'materialIdFormat', 'createdAt', 'rotation', 'material', 'imported'])
  const version: SyncedVersion = {
    version: integer(o, 'version', path, 1, 0xffffffff),
    materialId: string(o, 'materialId', path, HEX64),
    // Multi-Region keys were introduced after format 2; a format-1 id could not be verified from the material here.
    materialIdFormat: oneOf(o, 'materialIdFormat', path, ['2']),
    createdAt: epochMs(o, 'createdAt', path),
  }
  if (o.rotation !== undefined) {
    const r = object(o.rotation, `${path}.rotation`, ['type', 'rotatedAt'])
    version.rotation = { type: oneOf<RotationType>(r, 'type', `${path}.rotation`, enumOf('RotationType')), rotatedAt: epochMs(r, 'rotatedAt', `${path}.rotation`) }
  }
  // Generated material travels sealed; imported material never travels (each Region imports its own bytes).
  if (origin === 'EXTERNAL') {
    if (o.material !== undefined) throw invalid(`${path}.material`, 'Member must be absent for imported key material')
    const p = `${path}.imported`
    const i = object(o.imported, p, ['expirationModel', 'validTo', 'description', 'pendingRotation'])
    const expirationModel = oneOf(i, 'expirationModel', p, enumOf('ExpirationModelType'))
    const validTo = optionalInteger(i, 'validTo', p, 0, MAX_EPOCH_MS)
    if ((validTo !== undefined) !== (expirationModel === 'KEY_MATERIAL_EXPIRES')) throw invalid(`${p}.validTo`, 'Member must be present exactly when the material expires')
    const description = optionalString(i, 'description', p, 256)
    version.imported = { expirationModel, pendingRotation: boolean(i, 'pendingRotation', p), ...(validTo === undefined ? {} : { validTo }), ...(description === undefined ? {} : { description }) }
  } else {
    if (o.imported !== undefined) throw invalid(`${path}.imported`, 'Member must be absent for generated key material')
    version.material = transportWrapped(o.material, `${path}.material`)
  }
  return version
}

function replicaToCreate(value: unknown, path: string): ReplicaToCreate {
  const o = object(value, path, ['region', 'description', 'policy', 'tags', 'bypassPolicyLockoutSafetyCheck'])
  const tags: Tag[] = array(o, 'tags', path, 50).map((t, i) => {
    const p = `${path}.tags[${i}]`
    const tag = object(t, p, ['tagKey', 'tagValue'])
    return { tagKey: string(tag, 'tagKey', p, undefined, 128), tagValue: string(tag, 'tagValue', p, undefined, 256) }
  })
  return {
    region: string(o, 'region', path, REGION), description: string(o, 'description', path, undefined, 8192),
    policy: string(o, 'policy', path, undefined, 32768), tags, bypassPolicyLockoutSafetyCheck: boolean(o, 'bypassPolicyLockoutSafetyCheck', path),
  }
}

function rotationSetting(value: unknown, path: string): KeySetSync['rotation'] {
  const o = object(value, path, ['enabled', 'periodDays', 'nextRotationAt'])
  const enabled = boolean(o, 'enabled', path)
  if (!enabled) {
    if (o.periodDays !== undefined || o.nextRotationAt !== undefined) throw invalid(path, 'Member must name no schedule while rotation is disabled')
    return { enabled }
  }
  return { enabled, periodDays: integer(o, 'periodDays', path, 90, 2560), nextRotationAt: epochMs(o, 'nextRotationAt', path) }
}

/** The body of GetTransportKey: an empty object. */
export function parseGetTransportKey(body: unknown): Record<string, never> {
  object(body, 'input', [])
  return {}
}

export function parseForgetRegionalKey(body: unknown): ForgetRegionalKey {
  const o = object(body, 'input', ['keyId', 'accountId', 'region'])
  return { keyId: string(o, 'keyId', 'input', MR_KEY_ID), accountId: string(o, 'accountId', 'input', ACCOUNT_ID), region: string(o, 'region', 'input', REGION) }
}

/** A KeySetSync, internally consistent: its Regions name the primary, the first Region and the replica; versions ascend. */
export function parseKeySetSync(body: unknown): KeySetSync {
  const path = 'input'
  const o = object(body, path, ['keyId', 'accountId', 'primaryRegion', 'keySpec', 'keyUsage', 'origin', 'createdAt', 'currentVersion',
    'versions', 'rotation', 'regions', 'firstRegion', 'replica'])
  // Multi-Region keys are AWS_KMS or EXTERNAL (AWS refuses the custom key stores for them).
  const origin = oneOf<OriginType>(o, 'origin', path, ['AWS_KMS', 'EXTERNAL'])
  const msg: KeySetSync = {
    keyId: string(o, 'keyId', path, MR_KEY_ID),
    accountId: string(o, 'accountId', path, ACCOUNT_ID),
    primaryRegion: string(o, 'primaryRegion', path, REGION),
    keySpec: oneOf<KeySpec>(o, 'keySpec', path, enumOf('KeySpec')),
    keyUsage: oneOf<KeyUsageType>(o, 'keyUsage', path, enumOf('KeyUsageType')),
    origin,
    createdAt: epochMs(o, 'createdAt', path),
    currentVersion: integer(o, 'currentVersion', path, 0, 0xffffffff),
    versions: array(o, 'versions', path, MAX_VERSIONS).map((v, i) => syncedVersion(v, `${path}.versions[${i}]`, origin)),
    rotation: rotationSetting(o.rotation, `${path}.rotation`),
    regions: regionList(o, 'regions', path),
    // '' when no regional key of the set is stored under the bare id any more (its first Region's key is gone).
    firstRegion: o.firstRegion === '' ? '' : string(o, 'firstRegion', path, REGION),
  }
  if (o.replica !== undefined) msg.replica = replicaToCreate(o.replica, `${path}.replica`)
  // A row whose spec, usage or material the KMS operations cannot serve would fail every later call on it.
  const profile = keySpecProfile(msg.keySpec)
  if (!profile.supported) throw invalid(`${path}.keySpec`, 'Member must be a key spec this deployment implements', msg.keySpec)
  if (!profile.usages.includes(msg.keyUsage)) throw invalid(`${path}.keyUsage`, `Member must be a key usage of ${msg.keySpec}`, msg.keyUsage)
  // Generated material exists from version 1 on (CreateKey makes it); only an imported key may have none yet.
  if (origin === 'AWS_KMS' && msg.currentVersion === 0) throw invalid(`${path}.currentVersion`, constraints.minValue(1), '0')
  msg.versions.forEach((v, i) => {
    if (i > 0 && v.version <= msg.versions[i - 1]!.version) throw invalid(`${path}.versions[${i}].version`, 'Member must be greater than the previous version')
  })
  if (msg.currentVersion > 0 && !msg.versions.some((v) => v.version === msg.currentVersion)) throw invalid(`${path}.currentVersion`, 'Member must name one of the versions', String(msg.currentVersion))
  if (!msg.regions.includes(msg.primaryRegion)) throw invalid(`${path}.primaryRegion`, 'Member must be one of the regions', msg.primaryRegion)
  if (msg.firstRegion !== '' && !msg.regions.includes(msg.firstRegion)) throw invalid(`${path}.firstRegion`, 'Member must be one of the regions or empty', msg.firstRegion)
  if (msg.replica && !msg.regions.includes(msg.replica.region)) throw invalid(`${path}.replica.region`, 'Member must be one of the regions', msg.replica.region)
  return msg
}
