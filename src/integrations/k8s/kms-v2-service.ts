// The KMS v2 plugin's three calls, answered with one Trent call each: Encrypt wraps kube-apiserver's DEK
// seed with Trent Encrypt, Decrypt unwraps it with Trent Decrypt, Status checks the key and reports key_id.
// No DEK is cached here: kube-apiserver already caches its DEKs (docs/integrations.md, "Kubernetes").
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { status as grpcStatus, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js'
import type { KMS } from '@aws-sdk/client-kms'
import type { DecryptRequest, DecryptResponse, EncryptRequest, EncryptResponse, StatusResponse } from './kms-v2-proto.js'
import { keyArnOf, pluginKeyId } from './plugin-key-id.js'

export interface KmsV2ServiceOptions {
  kms: KMS
  /** The Trent key: id, ARN, alias name or alias ARN. It must be a SYMMETRIC_DEFAULT encryption key. */
  keyId: string
  /** Encryption context bound to every wrapped DEK (must be the same to decrypt). */
  context?: Record<string, string>
  /** How old the key_id that Encrypt reports may be, in ms; Status always asks Trent afresh. Default 60 s. */
  keyIdMaxAgeMs?: number
  /** Reports a failure to the operator (never with plaintext or ciphertext). */
  onError?: (what: string, e: unknown) => void
}

/** kube-apiserver's limit for a plaintext DEK seed is well below Trent Encrypt's 4096 bytes. */
const MAX_PLAINTEXT = 4096

export function kmsV2Service(options: KmsV2ServiceOptions): UntypedServiceImplementation {
  const { kms } = options
  const maxAge = options.keyIdMaxAgeMs ?? 60_000
  let known: { keyId: string; arn: string; at: number } | undefined

  async function describe(): Promise<{ keyId: string; arn: string }> {
    const { KeyMetadata: meta } = await kms.describeKey({ KeyId: options.keyId })
    if (!meta?.Arn) throw new Error('DescribeKey returned no key')
    if (meta.KeySpec !== 'SYMMETRIC_DEFAULT' || meta.KeyUsage !== 'ENCRYPT_DECRYPT') throw new Error(`key ${meta.Arn} is not a symmetric encryption key`)
    if (meta.KeyState !== 'Enabled') throw new Error(`key ${meta.Arn} is ${meta.KeyState}`)
    known = { keyId: pluginKeyId(meta.Arn, meta.CurrentKeyMaterialId), arn: meta.Arn, at: Date.now() }
    return known
  }
  const currentKeyId = async () => (known && Date.now() - known.at < maxAge ? known : await describe()).keyId

  async function status(): Promise<StatusResponse> {
    try {
      const { keyId, arn } = await describe()
      // A real round trip: a key that can be described but not used (permissions, state) is not healthy.
      const probe = randomBytes(32)
      const sealed = await kms.encrypt({ KeyId: arn, Plaintext: probe, EncryptionContext: options.context })
      const opened = await kms.decrypt({ KeyId: arn, CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: options.context })
      if (!opened.Plaintext || !timingSafeEqual(Buffer.from(opened.Plaintext), probe)) throw new Error('the probe did not round-trip')
      return { version: 'v2', healthz: 'ok', key_id: keyId }
    } catch (e) {
      options.onError?.('Status', e)
      return { version: 'v2', healthz: `unhealthy: ${reason(e)}`, key_id: known?.keyId ?? '' }
    }
  }

  async function encrypt(request: EncryptRequest): Promise<EncryptResponse> {
    if (request.plaintext.length === 0 || request.plaintext.length > MAX_PLAINTEXT) throw invalid(`plaintext must be 1 to ${MAX_PLAINTEXT} bytes`)
    const sealed = await kms.encrypt({ KeyId: options.keyId, Plaintext: request.plaintext, EncryptionContext: options.context })
    if (!sealed.CiphertextBlob) throw new Error('Encrypt returned no ciphertext')
    return { ciphertext: Buffer.from(sealed.CiphertextBlob), key_id: await currentKeyId(), annotations: {} }
  }

  async function decrypt(request: DecryptRequest): Promise<DecryptResponse> {
    if (request.ciphertext.length === 0) throw invalid('ciphertext is empty')
    // The key the DEK was wrapped under (named in its key_id), even after the configured alias moved on.
    const keyId = keyArnOf(request.key_id) ?? options.keyId
    const opened = await kms.decrypt({ KeyId: keyId, CiphertextBlob: request.ciphertext, EncryptionContext: options.context })
    if (!opened.Plaintext) throw new Error('Decrypt returned no plaintext')
    return { plaintext: Buffer.from(opened.Plaintext) }
  }

  const unary = <Req, Res>(name: string, body: (request: Req) => Promise<Res>) => (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    body(call.request).then((reply) => callback(null, reply), (e: unknown) => {
      options.onError?.(name, e)
      callback(toGrpcError(e))
    })
  }
  return {
    Status: unary('Status', () => status()),
    Encrypt: unary('Encrypt', encrypt),
    Decrypt: unary('Decrypt', decrypt),
  }
}

class InvalidRequest extends Error {}

function invalid(message: string): InvalidRequest {
  return new InvalidRequest(message)
}

/** The KMS exception name and message (never request bytes); the SDK's own text for a transport failure. */
function reason(e: unknown): string {
  const name = (e as { name?: unknown }).name
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e)
  // The SDK shows an exception that came without a message (InvalidCiphertextException) as `UnknownError`.
  if (typeof name === 'string' && name !== 'Error') return message === 'UnknownError' ? name : `${name}: ${message}`
  return String(message)
}

/** Refusals of the caller's input are INVALID_ARGUMENT; an unreachable Trent UNAVAILABLE; anything else INTERNAL. */
function toGrpcError(e: unknown): { code: number; details: string } {
  const name = (e as { name?: unknown }).name
  const fault = (e as { $fault?: unknown }).$fault
  if (e instanceof InvalidRequest) return { code: grpcStatus.INVALID_ARGUMENT, details: e.message }
  if (name === 'InvalidCiphertextException' || name === 'IncorrectKeyException') return { code: grpcStatus.INVALID_ARGUMENT, details: reason(e) }
  if (fault === 'client') return { code: grpcStatus.FAILED_PRECONDITION, details: reason(e) }
  if ((e as { $metadata?: unknown }).$metadata === undefined) return { code: grpcStatus.UNAVAILABLE, details: reason(e) }
  return { code: grpcStatus.INTERNAL, details: reason(e) }
}
