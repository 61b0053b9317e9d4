// THE table of KMS error messages: every KmsError Trent sends is made here, worded as AWS words it
// (../shared/reference/aws-kms-error-messages.md). Callers pass names and identifiers, never request data that
// the model marks sensitive; caller-supplied strings go through `echo`, which bounds and defangs them.
import { KmsError } from './kms-error.js'

/** The most characters of a caller's value a message repeats (AWS's longest echoed members are far shorter or rarer). */
export const MAX_ECHO_CHARS = 1024

/** Control characters and bidirectional overrides: an echoed value must not rewrite a terminal or a log viewer. */
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu

/**
 * A caller's value as a message may repeat it: unsafe characters written as `\uXXXX`, and at most
 * MAX_ECHO_CHARS code points, the rest shown as `...`. Values within limits and printable come back unchanged.
 */
export function echo(value: string): string {
  const chars = Array.from(value)
  const kept = chars.length > MAX_ECHO_CHARS ? `${chars.slice(0, MAX_ECHO_CHARS).join('')}...` : value
  return kept.replace(UNSAFE_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export const INTERNAL_ERROR_MESSAGE = 'The request was rejected because an internal exception occurred. The request can be retried.'

/** One constraint a request member failed, with the value AWS would quote (undefined: quote none). */
export interface Violation {
  path: string
  /** The value as the message shows it: already echoed or a number; `null` for a missing member; undefined to show none. */
  shown?: string | null
  constraint: string
}

/** The constraint phrases AWS's validation messages use. */
export const constraints = {
  notNull: 'Member must not be null',
  minLength: (n: number) => `Member must have length greater than or equal to ${n}`,
  maxLength: (n: number) => `Member must have length less than or equal to ${n}`,
  minValue: (n: number) => `Member must have value greater than or equal to ${n}`,
  maxValue: (n: number) => `Member must have value less than or equal to ${n}`,
  enumValues: (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(', ')}]`,
  pattern: (pattern: string) => `Member must satisfy regular expression pattern: ${pattern}`,
} as const

function shownPart(v: Violation): string {
  if (v.shown === undefined) return ''
  return v.shown === null ? ' null' : ` '${v.shown}'`
}

/** `1 validation error detected: Value '<v>' at '<path>' failed to satisfy constraint: …`, joined with `; `. */
export function validationFailed(violations: readonly Violation[]): KmsError {
  const n = violations.length
  const parts = violations.map((v) => `Value${shownPart(v)} at '${v.path}' failed to satisfy constraint: ${v.constraint}`)
  return new KmsError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${parts.join('; ')}`)
}

/** Protocol-level refusals (before an operation runs). */
export const protocolErrors = {
  internal: () => new KmsError('KMSInternalException', INTERNAL_ERROR_MESSAGE),
  requestTooLarge: (maxBytes: number) => new KmsError('ValidationException', `Request body exceeds the maximum size of ${maxBytes} bytes.`),
  unknownOperation: () => new KmsError('UnknownOperationException', 'The requested operation is not recognized by the service.'),
  notServed: (operation: string) => new KmsError('UnsupportedOperationException', `${operation} is not supported by this Trent server.`),
  bodyNotJson: () => new KmsError('SerializationException', 'Request body is not valid JSON.'),
  bodyNotObject: () => new KmsError('SerializationException', 'Request body must be a JSON object.'),
  typeMismatch: (jsonKind: string, expected: string) => new KmsError('SerializationException', `${jsonKind} can not be converted to ${expected}`),
  badBase64: (path: string) => new KmsError('SerializationException', `Base64 encoded value at '${path}' is not valid`),
  throttled: () => new KmsError('ThrottlingException', 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.'),
  invalidGrantToken: () => new KmsError('InvalidGrantTokenException', 'The request was rejected because the specified grant token is not valid.'),
} as const

/** Naming and finding keys, aliases, grants and policies. */
export const lookupErrors = {
  invalidKeyId: (value: string) => new KmsError('NotFoundException', `Invalid keyId '${echo(value)}'`),
  keyNotFound: (keyArn: string) => new KmsError('NotFoundException', `Key '${echo(keyArn)}' does not exist`),
  otherRegion: (region: string) => new KmsError('NotFoundException', `Invalid arn ${echo(region)}`),
  invalidArn: () => new KmsError('InvalidArnException', 'Invalid arn'),
  aliasArnNotAllowed: () => new KmsError('InvalidArnException', 'An alias ARN is not valid for this operation; use a key ID or key ARN'),
  aliasNotFound: (aliasArn: string) => new KmsError('NotFoundException', `Alias ${echo(aliasArn)} is not found.`),
  policyNotFound: () => new KmsError('NotFoundException', 'No such policy exists'),
  grantNotFound: (grantId: string) => new KmsError('NotFoundException', `Grant ID ${echo(grantId)} not found`),
  invalidGrantId: () => new KmsError('InvalidGrantIdException', 'The request was rejected because the specified GrantId is not valid.'),
  invalidMarker: () => new KmsError('InvalidMarkerException', 'The request was rejected because the marker that specifies where pagination should next begin is not valid.'),
  customKeyStoreNotFound: () => new KmsError('CustomKeyStoreNotFoundException', 'The request was rejected because KMS cannot find a custom key store with the specified key store ID.'),
} as const

/** Key state, usage, spec and algorithm. `keyArn` is always the key's full ARN. */
export const keyErrors = {
  disabled: (keyArn: string) => new KmsError('DisabledException', `${keyArn} is disabled.`),
  /** An operation the key's origin does not allow (automatic rotation of an EXTERNAL key, import into an AWS_KMS one). */
  originNotValid: (keyArn: string, origin: string) =>
    new KmsError('UnsupportedOperationException', `${keyArn} origin is ${origin} which is not valid for this operation.`),
  /** `wording` is the state phrase, e.g. `is pending import.` */
  invalidState: (keyArn: string, wording: string) => new KmsError('KMSInvalidStateException', `${keyArn} ${wording}`),
  notPendingDeletion: (keyArn: string) => new KmsError('KMSInvalidStateException', `${keyArn} is not pending deletion.`),
  wrongUsage: (keyArn: string, usage: string, operation: string) =>
    new KmsError('InvalidKeyUsageException', `${keyArn} key usage is ${usage} which is not valid for ${operation}.`),
  wrongSpec: (keyArn: string, spec: string, operation: string) =>
    new KmsError('InvalidKeyUsageException', `${keyArn} key spec is ${spec} which is not valid for ${operation}.`),
  incompatibleAlgorithm: (algorithm: string, spec: string) =>
    new KmsError('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${spec}.`),
  noPublicKey: (keyArn: string, spec: string) => new KmsError('UnsupportedOperationException', `${keyArn} key spec is ${spec}, which has no public key.`),
  incorrectKey: () => new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.'),
  /** AWS sends these three with no message at all. */
  invalidCiphertext: () => new KmsError('InvalidCiphertextException'),
  invalidSignature: () => new KmsError('KMSInvalidSignatureException'),
  invalidMac: () => new KmsError('KMSInvalidMacException'),
  /** DeriveSharedSecret with a PublicKey that is not a point of the curve: a bare ValidationException. */
  invalidPeerPublicKey: () => new KmsError('ValidationException'),
  dryRun: () => new KmsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.'),
  /** Rotation and import operations on a key in a custom key store (an Unavailable key): AWS sends no message. */
  customKeyStoreUnsupported: () => new KmsError('UnsupportedOperationException'),
} as const

/** Key rotation (EnableKeyRotation, RotateKeyOnDemand, ListKeyRotations …). */
export const rotationErrors = {
  /** A key type that cannot rotate (asymmetric, HMAC): AWS sends this with no message at all. */
  keyTypeCannotRotate: () => new KmsError('UnsupportedOperationException'),
  noMaterialPendingRotation: (keyArn: string) =>
    new KmsError('KMSInvalidStateException', `No available key material pending rotation for the key: ${keyArn}.`),
  onDemandLimit: (keyArn: string) => new KmsError('LimitExceededException',
    `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${keyArn}`),
  /** AWS's wording of these two is not recorded; they say what AWS documents (docs/architecture-notes.md). */
  automaticRotationImminent: (keyArn: string) => new KmsError('ConflictException',
    `An automatic rotation of ${keyArn} is in progress or due within 20 minutes. Try the on-demand rotation again later.`),
  rotationInProgress: (keyArn: string) => new KmsError('ConflictException',
    `An on-demand rotation of ${keyArn} is already in progress. Try again once it has completed.`),
} as const

/** CreateKey's choices of spec, usage and origin. */
export const createKeyErrors = {
  bothSpecs: () => new KmsError('ValidationException', 'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec parameter is deprecated. Use KeySpec parameter instead.'),
  specNotInRegion: (member: string, spec: string) => new KmsError('UnsupportedOperationException', `${member} ${spec} is not supported in this Region.`),
  specNotServed: (spec: string) => new KmsError('UnsupportedOperationException', `KeySpec ${spec} is not supported by this Trent server.`),
  usageRequired: () => new KmsError('ValidationException', 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.'),
  usageIncompatible: (usage: string, spec: string) => new KmsError('ValidationException', `KeyUsage ${usage} is not compatible with KeySpec ${spec}`),
  xksKeyIdWithoutStore: () => new KmsError('ValidationException', 'XksKeyId is valid only for keys in an external key store.'),
  originNotServed: (origin: string) => new KmsError('UnsupportedOperationException', `Origin ${origin} is not supported by this Trent server.`),
} as const

/** Imported key material: GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial (and RotateKeyOnDemand's origin rules). */
export const importErrors = {
  wrappingNotInRegion: (member: 'WrappingKeySpec' | 'WrappingAlgorithm', value: string) =>
    new KmsError('UnsupportedOperationException', `${member} ${value} is not supported in this Region.`),
  /** Trent's wording: AWS documents only that RSAES_PKCS1_V1_5 is refused since 2023-10-10. */
  pkcs1Retired: () => new KmsError('ValidationException', 'The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported. Use an RSAES_OAEP or RSA_AES_KEY_WRAP wrapping algorithm.'),
  validToRequired: () => new KmsError('ValidationException', 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES'),
  validToForbidden: () => new KmsError('ValidationException', 'A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE'),
  validToNotFuture: () => new KmsError('ValidationException', 'The validTo date must be in the future.'),
  validToTooFar: (maxDays: number) => new KmsError('ValidationException', `The validTo date must be at most ${maxDays} days from now.`),
  symmetricOnly: (member: string) => new KmsError('ValidationException', `${member} is valid only for symmetric encryption KMS keys.`),
  materialIdWithNewMaterial: () => new KmsError('ValidationException', 'You cannot specify a KeyMaterialId with ImportType set to NEW_KEY_MATERIAL.'),
  expiredToken: () => new KmsError('ExpiredImportTokenException', 'The request was rejected because the specified import token is expired. Use GetParametersForImport to get a new import token and public key, use the new public key to encrypt the key material, and then try the request again.'),
  invalidToken: () => new KmsError('InvalidImportTokenException', 'The request was rejected because the provided import token is invalid or is associated with a different KMS key.'),
  incorrectMaterial: () => new KmsError('IncorrectKeyMaterialException', 'The request was rejected because the key material in the request is, expired, invalid, or does not meet expectations. For example, it is not the same key material that was previously imported or KMS expected new key material but the key material being imported is already associated with the KMS key.'),
  otherMaterialPendingRotation: (newId: string, keyId: string, pendingId: string) =>
    new KmsError('KMSInvalidStateException', `New key material (id: ${newId}) cannot be imported into KMS key ${keyId}, because another key material (id: ${pendingId}) is pending rotation.`),
  materialNotFound: (materialId: string) => new KmsError('NotFoundException', `Key material ${echo(materialId)} is not associated with this KMS key.`),
} as const

/** Request members an operation checks beyond the model's constraints. */
export const requestErrors = {
  numberOfBytesRequired: () => new KmsError('ValidationException', 'NumberOfBytes is required.'),
  bytesOrKeySpec: () => new KmsError('ValidationException', 'Please specify either number of bytes or key spec.'),
  recipientNotServed: () => new KmsError('UnsupportedOperationException', 'Recipient attestation is not supported by this Trent server.'),
  rsaPlaintextTooLong: (algorithm: string, spec: string, maxBytes: number) =>
    new KmsError('ValidationException', `Algorithm ${algorithm} and key spec ${spec} cannot encrypt data larger than ${maxBytes} bytes.`),
  digestLength: (algorithm: string) => new KmsError('ValidationException', `Digest is invalid length for algorithm ${algorithm}.`),
  externalMuLength: (algorithm: string) => new KmsError('ValidationException', `External mu is invalid length for algorithm ${algorithm}; it must be 64 bytes.`),
  messageTypeIncompatible: (messageType: string, what: string) => new KmsError('ValidationException', `Message type ${messageType} is incompatible with ${what}.`),
  contextWithKeyPair: (keyArn: string) => new KmsError('ValidationException', `EncryptionContext is not supported with asymmetric KMS key ${keyArn}.`),
  contextNotUnicode: () => new KmsError('ValidationException', 'The encryption context must contain well-formed Unicode strings.'),
  ciphertextRequired: () => validationFailed([{ path: 'ciphertextBlob', shown: null, constraint: constraints.notNull }]),
  dryRunModifiersWithoutDryRun: () => new KmsError('ValidationException', 'DryRunModifiers can be specified only when DryRun is true.'),
  requiredWithIgnoreCiphertext: (member: string) => new KmsError('ValidationException', `${member} is required when DryRunModifiers includes IGNORE_CIPHERTEXT.`),
  /** A number outside what the operation allows, quoted as AWS quotes numbers. */
  numberOutOfRange: (path: string, value: number, constraint: string) => validationFailed([{ path, shown: String(value), constraint }]),
  missingMember: (path: string) => validationFailed([{ path, shown: null, constraint: constraints.notNull }]),
} as const

/** Tags and aliases. */
export const tagAliasErrors = {
  reservedTag: () => new KmsError('TagException', 'Tags beginning with aws: are reserved'),
  duplicateTagKeys: () => new KmsError('TagException', 'Duplicate tag keys'),
  tooManyTags: () => new KmsError('TagException', 'Too many tags'),
  tagCharacters: () => new KmsError('TagException', 'Tag keys and values may contain only Unicode letters, digits, white space, and _ . : / = + - @'),
  tagLimit: (max: number) => new KmsError('LimitExceededException', `A KMS key can have at most ${max} tags.`),
  aliasPrefix: () => new KmsError('ValidationException', 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html'),
  aliasReserved: () => new KmsError('InvalidAliasNameException', 'Alias must not begin with "alias/aws/". These aliases are reserved for AWS managed keys.'),
  aliasExists: (aliasArn: string) => new KmsError('AlreadyExistsException', `An alias with the name ${echo(aliasArn)} already exists`),
  keyLimit: (max: number) => new KmsError('LimitExceededException', `An account can have at most ${max} KMS keys in a Region.`),
  aliasLimit: (max: number) => new KmsError('LimitExceededException', `A KMS key can have at most ${max} aliases.`),
  aliasTargetMismatch: () => new KmsError('ValidationException', 'The new target key must be the same type (symmetric, asymmetric or HMAC) and have the same key usage as the current target key.'),
} as const

/** Grants (CreateGrant, RetireGrant, ListRetirableGrants). */
export const grantErrors = {
  servicePrincipals: () => new KmsError('UnsupportedOperationException', 'Service principals are not supported by this Trent server.'),
  oneGrantee: () => new KmsError('ValidationException', 'You must specify exactly one of GranteePrincipal or GranteeServicePrincipal.'),
  notAPrincipal: (member: string, arn: string) => new KmsError('ValidationException', `${member} ${echo(arn)} is not a valid principal.`),
  noOperations: () => new KmsError('ValidationException', 'You must specify at least one grant operation.'),
  grantLimit: (max: number) => new KmsError('LimitExceededException', `A KMS key can have at most ${max} grants.`),
  operationsUnfit: (operations: readonly string[], spec: string, usage: string) =>
    new KmsError('ValidationException', `Grant operations [${operations.join(', ')}] are not valid for a KMS key with KeySpec ${spec} and KeyUsage ${usage}.`),
  contextConstraintsSymmetricOnly: () => new KmsError('ValidationException', 'Encryption context grant constraints are valid only for symmetric encryption KMS keys.'),
  tooManyConstraintPairs: (member: string, max: number) => new KmsError('ValidationException', `${member} can contain at most ${max} encryption context pairs.`),
  constraintValueTooLong: (member: string, max: number) => new KmsError('ValidationException', `Each ${member} value can be at most ${max} characters.`),
  sourceArnConstraint: () => new KmsError('UnsupportedOperationException', 'SourceArn grant constraints are for AWS service principals, which this Trent server does not support.'),
  grantIdMismatch: () => new KmsError('ValidationException', 'The GrantId does not match the grant that the GrantToken names.'),
  tokenOrKeyAndId: () => new KmsError('ValidationException', 'You must specify either a GrantToken, or a KeyId and a GrantId.'),
} as const

/** Key policies: the grammar's findings (key-policy.ts, policy/parse.ts) are the detail. */
export const policyErrors = {
  malformed: (detail: string) => new KmsError('MalformedPolicyDocumentException', detail),
} as const
