// The asynchronous face of Trent's asymmetric crypto: what operations call through ctx. The worker
// engine runs each task on a small thread pool whose workers keep the keys they have parsed; the
// in-thread engine runs the same tasks inline, parsing the key for each call.
import { availableParallelism } from 'node:os'
import { KeyLru } from '../key-lru.js'
import { WorkerPool } from '../worker-pool.js'
import { failureFromWire, type WireFailure } from './errors.js'
import { generateOpenSslKeyPair, isMlDsaKind, type KeyPairDer } from './key-pair.js'
import { parsePrivateKey, zeroPrivateKey, type PrivateKey } from './private-key.js'
import type { OaepHash } from './rsa-oaep.js'
import type { KeyPairKind, SignatureScheme, SignedInput } from './schemes.js'
import { asymmetricTasks, type AsymmetricTaskName } from './tasks.js'

/**
 * A stored private key as operations hand it to the engine. `name` must change whenever the material
 * could (Trent uses key id, version and material id), so a cached parse is never used for other bytes.
 * `material` (PKCS#8 DER) must stay intact until the call settles; the engine copies it at most once per
 * worker and never keeps it.
 */
export interface PrivateKeyRef {
  /** The key id: forget(keyId) drops every version. */
  owner: string
  name: string
  material: Uint8Array
}

export interface AsymmetricEngine {
  generateKeyPair(kind: KeyPairKind): Promise<KeyPairDer>
  /** SubjectPublicKeyInfo DER of the private key. */
  publicKey(key: PrivateKeyRef): Promise<Uint8Array>
  sign(key: PrivateKeyRef, scheme: SignatureScheme, input: SignedInput): Promise<Uint8Array>
  verify(key: PrivateKeyRef, scheme: SignatureScheme, input: SignedInput, signature: Uint8Array): Promise<boolean>
  encrypt(key: PrivateKeyRef, hash: OaepHash, plaintext: Uint8Array): Promise<Uint8Array>
  decrypt(key: PrivateKeyRef, hash: OaepHash, ciphertext: Uint8Array): Promise<Uint8Array>
  deriveSharedSecret(key: PrivateKeyRef, peerPublicKey: Uint8Array): Promise<Uint8Array>
  /** Drops every parsed key of `owner` wherever the engine keeps one (zeroing what can be); resolves once done. */
  forget(owner: string): Promise<void>
  /** The names (never the material) of the keys each worker holds parsed: for tests and diagnostics. */
  heldKeys(): Promise<string[][]>
}

type TaskRunner = (task: AsymmetricTaskName, key: PrivateKeyRef | undefined, args: unknown[]) => Promise<never>

function engineOver(run: TaskRunner, rest: Pick<AsymmetricEngine, 'forget' | 'heldKeys'>): AsymmetricEngine {
  return {
    generateKeyPair: (kind) => (isMlDsaKind(kind) ? run('generateMlDsa', undefined, [kind]) : generateOpenSslKeyPair(kind)),
    publicKey: (key) => run('publicKey', key, []),
    sign: (key, scheme, input) => run('sign', key, [scheme, input]),
    verify: (key, scheme, input, signature) => run('verify', key, [scheme, input, signature]),
    encrypt: (key, hash, plaintext) => run('encrypt', key, [hash, plaintext]),
    decrypt: (key, hash, ciphertext) => run('decrypt', key, [hash, ciphertext]),
    deriveSharedSecret: (key, peer) => run('deriveSharedSecret', key, [peer]),
    ...rest,
  }
}

/** Runs tasks on the calling thread, parsing the key per call and zeroing the parse after: for tests and tools, never for the server. */
export function inThreadEngine(): AsymmetricEngine {
  const run: TaskRunner = async (task, key, args) => {
    const parsed = key && parsePrivateKey(key.material)
    try {
      return (asymmetricTasks[task] as (...a: unknown[]) => never)(...(parsed ? [parsed, ...args] : args))
    } finally {
      if (parsed) zeroPrivateKey(parsed)
    }
  }
  return engineOver(run, { forget: async () => {}, heldKeys: async () => [] })
}

/** Runs tasks on `pool`, whose workers run worker.js. Rejects with WorkerPoolBusyError when it is full. */
export function workerEngine(pool: WorkerPool): AsymmetricEngine {
  return engineOver((task, key, args) => pool.run(task, args, key) as Promise<never>, {
    forget: (owner) => pool.forget(owner),
    heldKeys: () => pool.heldKeys(),
  })
}

/**
 * Keys whose signatures cost about as much as an AES request (OpenSSL ECDSA P-256 over a message: ~25 µs
 * measured, against ~370 µs to parse the key): signing them on the event loop is cheaper than the round trip
 * to a worker, which on a two-core machine is one thread that every Sign queues for.
 */
function signsInline(key: PrivateKey): boolean {
  return key.family === 'openssl' && key.keyObject.asymmetricKeyType === 'ec' && key.keyObject.asymmetricKeyDetails?.namedCurve === 'prime256v1'
}

/**
 * The server's engine: Sign and Verify of a MESSAGE with a P-256 key run on the calling thread with the key
 * parsed once and kept (bounded, zeroed on eviction, dropped by forget like the workers' copies); everything
 * else (RSA, the larger and the @noble curves, digests, ML-DSA, decryption) goes to the pool.
 */
export function hybridEngine(pool: WorkerPool, maxInlineKeys = 256): AsymmetricEngine {
  const inline = new KeyLru<PrivateKey>(maxInlineKeys, zeroPrivateKey)
  // Names already parsed and found not to be for this thread: not parsed again on every call.
  const elsewhere = new KeyLru<true>(maxInlineKeys * 4)
  const parsedHere = (key: PrivateKeyRef): PrivateKey | undefined => {
    const held = inline.get(key.name)
    if (held || elsewhere.get(key.name)) return held
    const parsed = parsePrivateKey(key.material)
    if (signsInline(parsed)) {
      inline.put(key.owner, key.name, parsed)
      return parsed
    }
    zeroPrivateKey(parsed)
    elsewhere.put(key.owner, key.name, true)
    return undefined
  }
  const run: TaskRunner = async (task, key, args) => {
    if (key && (task === 'sign' || task === 'verify') && (args[1] as SignedInput).form === 'message') {
      const parsed = parsedHere(key)
      if (parsed) return (asymmetricTasks[task] as (...a: unknown[]) => never)(parsed, ...args)
    }
    return pool.run(task, args, key) as Promise<never>
  }
  return engineOver(run, {
    async forget(owner) {
      inline.forget(owner)
      elsewhere.forget(owner)
      await pool.forget(owner)
    },
    heldKeys: async () => [...(await pool.heldKeys()), inline.names()],
  })
}

export function createAsymmetricPool(options: { size?: number; maxQueued?: number; maxKeysPerWorker?: number } = {}): WorkerPool {
  return new WorkerPool({
    script: new URL('./worker.js', import.meta.url),
    // One core stays with the event loop; more than four workers only queue for the same cores.
    size: options.size ?? Math.max(1, Math.min(4, availableParallelism() - 1)),
    maxQueued: options.maxQueued ?? 512,
    maxKeysPerWorker: options.maxKeysPerWorker ?? 256,
    reviveFailure: (failure) => failureFromWire(failure as WireFailure),
  })
}

let shared: AsymmetricEngine | undefined

/** The process-wide engine (hybridEngine), created on first use; its idle workers do not keep the process alive. */
export function sharedAsymmetricEngine(): AsymmetricEngine {
  shared ??= hybridEngine(createAsymmetricPool())
  return shared
}
