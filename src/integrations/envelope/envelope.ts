// Envelope encryption in the AWS Encryption SDK message format, with KMS (Trent, or AWS itself) wrapping the
// data keys: buffers and streams of any size, several wrapping keys, a chosen algorithm suite, data-key caching.
import { PassThrough, Readable, type Duplex } from 'node:stream'
import {
  CommitmentPolicy, KmsKeyringNode, NodeCachingMaterialsManager, buildClient, getLocalCryptographicMaterialsCache,
  type KeyringNode, type NodeMaterialsManager,
} from '@aws-crypto/client-node'
import { algorithmSuiteId, DEFAULT_ALGORITHM_SUITE } from './algorithm-suites.js'
import { toEnvelopeError } from './envelope-error.js'
import { frameAligner } from './frame-aligner.js'
import { checkedDecryptStream, fed, messageInfo, shield, type MessageInfo } from './envelope-streams.js'
import { kmsClientSupplier, type KmsConnection } from './kms-connection.js'
import { DEFAULT_MAX_ENCRYPTED_DATA_KEYS, requireExpectedContext, type EncryptionContext } from './message-checks.js'

export type { MessageInfo } from './envelope-streams.js'

/** Data-key caching for encryption: one GenerateDataKey serves several messages within these limits. */
export interface DataKeyCacheOptions {
  /** How long a data key may be reused, in milliseconds (required: caching without an age bound is refused). */
  maxAgeMs: number
  /** How many messages one data key may encrypt (default 2^32). */
  maxMessages?: number
  /** How many plaintext bytes one data key may encrypt (default 2^53 - 1). */
  maxBytes?: number
  /** Entries held at once (default 100). */
  capacity?: number
}

export interface EnvelopeOptions extends KmsConnection {
  /** Cache data keys for encryption; off unless given. Only messages of known length use it (buffers, or `plaintextLength`). */
  cache?: DataKeyCacheOptions
  /** Refuse messages with more encrypted data keys than this before calling KMS (default 10). */
  maxEncryptedDataKeys?: number
}

export interface EncryptOptions {
  /** The wrapping key(s): id, ARN, alias name or alias ARN. The first generates the data key; each one also wraps it. */
  keyId: string | readonly string[]
  /** Authenticated, unencrypted pairs stored in the message and required to match on decrypt. */
  context?: EncryptionContext
  /** An algorithm suite name from algorithm-suites.ts (default AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384). */
  algorithm?: string
  /** Plaintext bytes per frame (default 4096, the ESDK's). */
  frameLength?: number
  /** The exact plaintext length of a stream, when known: lets the cache serve it, and fails if the stream differs. */
  plaintextLength?: number
}

export interface DecryptOptions {
  /** Only these key ARNs may decrypt the data key (strict mode). Without it, any key the message names (discovery). */
  keyIds?: readonly string[]
  /** Pairs the message's encryption context must contain with exactly these values. */
  expectContext?: EncryptionContext
}

export interface DecryptResult extends MessageInfo {
  plaintext: Buffer
}

/** A stream of plaintext that emits 'message' (MessageInfo) once the header has been read and checked. */
export type DecryptingStream = Duplex

export interface Envelope {
  /** Encrypts a buffer into one ESDK message. Throws EnvelopeError. */
  encrypt(plaintext: Uint8Array | string, options: EncryptOptions): Promise<Buffer>
  /** Encrypts a stream: the returned stream yields the message. Errors are EnvelopeErrors. */
  encrypt(plaintext: Readable, options: EncryptOptions): Readable
  /** Decrypts one message held in memory. Throws EnvelopeError; no plaintext leaves before every check passed. */
  decrypt(ciphertext: Uint8Array, options?: DecryptOptions): Promise<DecryptResult>
  /** Decrypts a stream; plaintext flows only after the header passed the checks. See `decryptStream`. */
  decrypt(ciphertext: Readable, options?: DecryptOptions): Readable
  /** A duplex: write the message in, read plaintext out; emits 'message' with the header's MessageInfo. */
  encryptStream(options: EncryptOptions): Duplex
  decryptStream(options?: DecryptOptions): DecryptingStream
}

/** The ESDK's default frame length (bytes of plaintext per frame). */
const FRAME_LENGTH = 4096

const esdk = (maxEncryptedDataKeys: number) => buildClient({ commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, maxEncryptedDataKeys })

/** An envelope bound to one KMS connection (and cache). Create one per application and reuse it. */
export function createEnvelope(options: EnvelopeOptions = {}): Envelope {
  const clientProvider = kmsClientSupplier(options)
  const client = esdk(options.maxEncryptedDataKeys ?? DEFAULT_MAX_ENCRYPTED_DATA_KEYS)
  const cache = options.cache ? validCache(options.cache) : undefined
  const sharedCache = cache ? getLocalCryptographicMaterialsCache(cache.capacity ?? 100) : undefined

  const materials = (keyIds: readonly string[]): KeyringNode | NodeMaterialsManager => {
    const [generatorKeyId, ...rest] = keyIds
    if (generatorKeyId === undefined || generatorKeyId === '') throw new RangeError('encrypting needs at least one wrapping key id')
    const keyring = new KmsKeyringNode({ generatorKeyId, keyIds: rest, clientProvider })
    if (!cache || !sharedCache) return keyring
    return new NodeCachingMaterialsManager({
      backingMaterials: keyring, cache: sharedCache, maxAge: cache.maxAgeMs, maxMessagesEncrypted: cache.maxMessages, maxBytesEncrypted: cache.maxBytes,
      // One partition per wrapping-key list: a data key cached for one set of keys never serves another.
      partition: JSON.stringify(keyIds),
    })
  }
  const decryptingKeyring = (keyIds: readonly string[] | undefined): KeyringNode => keyIds && keyIds.length > 0
    ? new KmsKeyringNode({ keyIds: [...keyIds], clientProvider })
    : new KmsKeyringNode({ discovery: true, clientProvider })

  const encryptStream = (o: EncryptOptions): Duplex => {
    const frameLength = o.frameLength ?? FRAME_LENGTH
    const stream = client.encryptStream(materials(keyList(o.keyId)), {
      encryptionContext: { ...(o.context ?? {}) }, suiteId: algorithmSuiteId(o.algorithm ?? DEFAULT_ALGORITHM_SUITE),
      frameLength, plaintextLength: o.plaintextLength,
    })
    return shield(frameAligner(frameLength, o.plaintextLength), stream, new PassThrough(), 'encrypt')
  }
  const decryptStream = (o: DecryptOptions = {}): DecryptingStream => checkedDecryptStream(client.decryptStream(decryptingKeyring(o.keyIds)), o.expectContext)


  async function encrypt(plaintext: Uint8Array | string, o: EncryptOptions): Promise<Buffer> {
    const bytes = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext
    try {
      const { result } = await client.encrypt(materials(keyList(o.keyId)), bytes, {
        encryptionContext: { ...(o.context ?? {}) }, suiteId: algorithmSuiteId(o.algorithm ?? DEFAULT_ALGORITHM_SUITE),
        frameLength: o.frameLength, plaintextLength: bytes.byteLength,
      })
      return result
    } catch (e) {
      throw e instanceof RangeError ? e : toEnvelopeError(e, 'encrypt')
    }
  }
  async function decrypt(ciphertext: Uint8Array, o: DecryptOptions = {}): Promise<DecryptResult> {
    let opened: Awaited<ReturnType<typeof client.decrypt>>
    try {
      opened = await client.decrypt(decryptingKeyring(o.keyIds), ciphertext)
    } catch (e) {
      throw toEnvelopeError(e, 'decrypt')
    }
    const info = messageInfo(opened.messageHeader)
    try {
      requireExpectedContext(info.context, o.expectContext)
    } catch (e) {
      opened.plaintext.fill(0)
      throw e
    }
    return { ...info, plaintext: opened.plaintext }
  }
  return {
    encrypt: ((plaintext: Uint8Array | string | Readable, o: EncryptOptions) => plaintext instanceof Readable ? fed(plaintext, encryptStream(o)) : encrypt(plaintext, o)) as Envelope['encrypt'],
    decrypt: ((ciphertext: Uint8Array | Readable, o?: DecryptOptions) => ciphertext instanceof Readable ? fed(ciphertext, decryptStream(o)) : decrypt(ciphertext, o)) as Envelope['decrypt'],
    encryptStream,
    decryptStream,
  }
}

function keyList(keyId: string | readonly string[]): readonly string[] {
  return typeof keyId === 'string' ? [keyId] : keyId
}

function validCache(cache: DataKeyCacheOptions): DataKeyCacheOptions {
  const positive = (n: number | undefined, what: string) => {
    if (n !== undefined && !(Number.isSafeInteger(n) && n > 0)) throw new RangeError(`${what} must be a positive whole number`)
  }
  positive(cache.maxAgeMs, 'the cache max age')
  positive(cache.maxMessages, 'the cache message limit')
  positive(cache.maxBytes, 'the cache byte limit')
  positive(cache.capacity, 'the cache capacity')
  return cache
}
