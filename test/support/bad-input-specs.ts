// The data behind src/operations/bad-input.test.ts: for each issue-2 operation, a valid request to mutate and
// which members take keys, aliases, blobs and numbers, with the exact AWS messages that only data can say.
import type { TestKey } from './kms-fixtures.js'

export interface Fixture {
  key: TestKey
  other: TestKey
  aliasName: string
  blob: string
}

export interface BadInputSpec {
  op: string
  valid: (f: Fixture) => Record<string, unknown>
  /** [member, wrongly typed JSON value, SerializationException message] */
  wrongTypes: [string, unknown, string][]
  /** [member, number, ValidationException message] */
  outOfRange?: [string, number, string][]
  /** Members that name a key (unknown key, malformed ARN, malformed alias). */
  keyMembers?: string[]
  /** Members that name an alias (pattern, unknown alias). */
  aliasMembers?: string[]
  /** [blob member, its maximum size in bytes] */
  blobMembers?: [string, number][]
  /** [a string member, its maximum length]: carries the huge body. */
  huge: [string, number]
  /** What an empty body gets: the missing-member message, or success. */
  emptyBody: string | 'success'
}

const STRING = (kind: string) => `${kind} can not be converted to a String`
const INTEGER = (kind: string) => `${kind} can not be converted to an Integer`
const missing = (...paths: string[]) =>
  `${paths.length} validation error${paths.length === 1 ? '' : 's'} detected: ` +
  paths.map((p) => `Value null at '${p}' failed to satisfy constraint: Member must not be null`).join('; ')
const range = (path: string, relation: 'greater' | 'less', bound: number, shown = ` '${relation === 'greater' ? bound - 1 : bound + 1}'`) =>
  `1 validation error detected: Value${shown} at '${path}' failed to satisfy constraint: Member must have value ${relation} than or equal to ${bound}`
const limitRange = (max: number): [string, number, string][] => [['Limit', 0, range('limit', 'greater', 1)], ['Limit', max + 1, range('limit', 'less', max)]]
const keyOnly = (f: Fixture) => ({ KeyId: f.key.keyId })
const NUMBER_OF_BYTES: [string, number, string][] = [
  ['NumberOfBytes', 0, range('numberOfBytes', 'greater', 1)], ['NumberOfBytes', 1025, range('numberOfBytes', 'less', 1024)],
]

export const badInputSpecs: BadInputSpec[] = [
  { op: 'CreateKey', valid: () => ({ Description: 'd' }), wrongTypes: [['Description', 5, STRING('NUMBER_VALUE')], ['Tags', 'x', 'STRING_VALUE can not be converted to a List']],
    huge: ['Description', 8192], emptyBody: 'success' },
  { op: 'DescribeKey', valid: keyOnly, wrongTypes: [['KeyId', 5, STRING('NUMBER_VALUE')]], keyMembers: ['KeyId'], huge: ['KeyId', 2048], emptyBody: missing('keyId') },
  { op: 'ListKeys', valid: () => ({ Limit: 10 }), wrongTypes: [['Limit', '10', INTEGER('STRING_VALUE')]], outOfRange: limitRange(1000), huge: ['Marker', 1024], emptyBody: 'success' },
  { op: 'EnableKey', valid: keyOnly, wrongTypes: [['KeyId', {}, STRING('START_OBJECT')]], keyMembers: ['KeyId'], huge: ['KeyId', 2048], emptyBody: missing('keyId') },
  { op: 'DisableKey', valid: keyOnly, wrongTypes: [['KeyId', true, STRING('BOOLEAN_VALUE')]],
    keyMembers: ['KeyId'], huge: ['KeyId', 2048], emptyBody: missing('keyId') },
  { op: 'UpdateKeyDescription', valid: (f) => ({ KeyId: f.key.keyId, Description: 'new' }), wrongTypes: [['Description', true, STRING('BOOLEAN_VALUE')]],
    keyMembers: ['KeyId'], huge: ['Description', 8192], emptyBody: missing('keyId', 'description') },
  { op: 'ScheduleKeyDeletion', valid: (f) => ({ KeyId: f.key.keyId, PendingWindowInDays: 7 }), wrongTypes: [['PendingWindowInDays', '7', INTEGER('STRING_VALUE')]],
    outOfRange: [
      ['PendingWindowInDays', 6, range('pendingWindowInDays', 'greater', 7, " '6'")], ['PendingWindowInDays', 31, range('pendingWindowInDays', 'less', 30, " '31'")],
      ['PendingWindowInDays', 0, range('pendingWindowInDays', 'greater', 1)], ['PendingWindowInDays', 366, range('pendingWindowInDays', 'less', 365)],
    ],
    keyMembers: ['KeyId'], huge: ['KeyId', 2048], emptyBody: missing('keyId') },
  { op: 'CancelKeyDeletion', valid: keyOnly, wrongTypes: [['KeyId', [], STRING('START_ARRAY')]], keyMembers: ['KeyId'], huge: ['KeyId', 2048], emptyBody: missing('keyId') },
  { op: 'Encrypt', valid: (f) => ({ KeyId: f.key.keyId, Plaintext: 'eA==' }), wrongTypes: [['Plaintext', 5, 'NUMBER_VALUE can not be converted to a ByteBuffer'], ['EncryptionContext', 'x', 'STRING_VALUE can not be converted to a Map']],
    keyMembers: ['KeyId'], blobMembers: [['Plaintext', 4096]], huge: ['KeyId', 2048], emptyBody: missing('keyId', 'plaintext') },
  { op: 'Decrypt', valid: (f) => ({ CiphertextBlob: f.blob }), wrongTypes: [['EncryptionContext', ['a'], 'START_ARRAY can not be converted to a Map'], ['DryRun', 'yes', 'STRING_VALUE can not be converted to a Boolean']],
    keyMembers: ['KeyId'], blobMembers: [['CiphertextBlob', 6144]], huge: ['KeyId', 2048], emptyBody: missing('ciphertextBlob') },
  { op: 'ReEncrypt', valid: (f) => ({ CiphertextBlob: f.blob, DestinationKeyId: f.other.keyId }), wrongTypes: [['DestinationKeyId', 1, STRING('NUMBER_VALUE')]],
    keyMembers: ['DestinationKeyId', 'SourceKeyId'], blobMembers: [['CiphertextBlob', 6144]], huge: ['DestinationKeyId', 2048], emptyBody: missing('destinationKeyId') },
  { op: 'GenerateDataKey', valid: (f) => ({ KeyId: f.key.keyId, NumberOfBytes: 32 }), wrongTypes: [['NumberOfBytes', '32', INTEGER('STRING_VALUE')]], outOfRange: NUMBER_OF_BYTES,
    keyMembers: ['KeyId'], huge: ['KeyId', 2048], emptyBody: missing('keyId') },
  { op: 'GenerateDataKeyWithoutPlaintext', valid: (f) => ({ KeyId: f.key.keyId, NumberOfBytes: 32 }), wrongTypes: [['NumberOfBytes', 3.5, INTEGER('NUMBER_VALUE')]],
    outOfRange: NUMBER_OF_BYTES, keyMembers: ['KeyId'], huge: ['KeyId', 2048], emptyBody: missing('keyId') },
  { op: 'GenerateRandom', valid: () => ({ NumberOfBytes: 16 }), wrongTypes: [['NumberOfBytes', '16', INTEGER('STRING_VALUE')]], outOfRange: NUMBER_OF_BYTES,
    huge: ['CustomKeyStoreId', 64], emptyBody: 'NumberOfBytes is required.' },
  { op: 'CreateAlias', valid: (f) => ({ AliasName: 'alias/brand-new', TargetKeyId: f.key.keyId }), wrongTypes: [['AliasName', 5, STRING('NUMBER_VALUE')]],
    keyMembers: ['TargetKeyId'], aliasMembers: ['AliasName'], huge: ['TargetKeyId', 2048], emptyBody: missing('aliasName', 'targetKeyId') },
  { op: 'UpdateAlias', valid: (f) => ({ AliasName: f.aliasName, TargetKeyId: f.other.keyId }), wrongTypes: [['TargetKeyId', false, STRING('BOOLEAN_VALUE')]],
    keyMembers: ['TargetKeyId'], aliasMembers: ['AliasName'], huge: ['AliasName', 256], emptyBody: missing('aliasName', 'targetKeyId') },
  { op: 'DeleteAlias', valid: (f) => ({ AliasName: f.aliasName }), wrongTypes: [['AliasName', ['alias/x'], STRING('START_ARRAY')]],
    aliasMembers: ['AliasName'], huge: ['AliasName', 256], emptyBody: missing('aliasName') },
  { op: 'ListAliases', valid: () => ({ Limit: 10 }), wrongTypes: [['Limit', true, INTEGER('BOOLEAN_VALUE')]], outOfRange: limitRange(100),
    keyMembers: ['KeyId'], huge: ['Marker', 1024], emptyBody: 'success' },
  { op: 'TagResource', valid: (f) => ({ KeyId: f.key.keyId, Tags: [{ TagKey: 'c', TagValue: 'd' }] }), wrongTypes: [['Tags', 'c=d', 'STRING_VALUE can not be converted to a List'],
    ['Tags', [{ TagKey: 'c', TagValue: 1 }], STRING('NUMBER_VALUE')]], keyMembers: ['KeyId'], huge: ['KeyId', 2048], emptyBody: missing('keyId', 'tags') },
  { op: 'UntagResource', valid: (f) => ({ KeyId: f.key.keyId, TagKeys: ['a'] }), wrongTypes: [['TagKeys', [1], STRING('NUMBER_VALUE')]],
    keyMembers: ['KeyId'], huge: ['KeyId', 2048], emptyBody: missing('keyId', 'tagKeys') },
  { op: 'ListResourceTags', valid: keyOnly, wrongTypes: [['Limit', '5', INTEGER('STRING_VALUE')]], outOfRange: limitRange(50),
    keyMembers: ['KeyId'], huge: ['Marker', 1024], emptyBody: missing('keyId') },
  { op: 'GetKeyPolicy', valid: (f) => ({ KeyId: f.key.keyId, PolicyName: 'default' }), wrongTypes: [['PolicyName', 1, STRING('NUMBER_VALUE')]],
    keyMembers: ['KeyId'], huge: ['PolicyName', 128], emptyBody: missing('keyId') },
  { op: 'PutKeyPolicy', valid: (f) => ({ KeyId: f.key.keyId, Policy: '{"Statement":[]}' }), wrongTypes: [['Policy', {}, STRING('START_OBJECT')], ['BypassPolicyLockoutSafetyCheck', 0, 'NUMBER_VALUE can not be converted to a Boolean']],
    keyMembers: ['KeyId'], huge: ['Policy', 131072], emptyBody: missing('keyId', 'policy') },
  { op: 'ListKeyPolicies', valid: keyOnly, wrongTypes: [['Limit', 1.5, INTEGER('NUMBER_VALUE')]], outOfRange: limitRange(1000),
    keyMembers: ['KeyId'], huge: ['Marker', 1024], emptyBody: missing('keyId') },
]
