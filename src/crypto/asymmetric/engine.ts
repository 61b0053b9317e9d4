// The asynchronous face of Trent's asymmetric crypto: what operations call through ctx. The worker
// engine runs each task on a small thread pool; the in-thread engine runs the same tasks inline.
import { availableParallelism } from 'node:os'
import { WorkerPool } from '../worker-pool.js'
import { failureFromWire, type WireFailure } from './errors.js'
import { generateOpenSslKeyPair, isMlDsaKind, type KeyPairDer } from './key-pair.js'
import type { OaepHash } from './rsa-oaep.js'
import type { KeyPairKind, SignatureScheme, SignedInput } from './schemes.js'
import { asymmetricTasks, type AsymmetricTaskName, type AsymmetricTasks } from './tasks.js'

export interface AsymmetricEngine {
  generateKeyPair(kind: KeyPairKind): Promise<KeyPairDer>
  /** SubjectPublicKeyInfo DER of a PKCS#8 private key. */
  publicKey(privateKey: Uint8Array): Promise<Uint8Array>
  sign(privateKey: Uint8Array, scheme: SignatureScheme, input: SignedInput): Promise<Uint8Array>
  verify(privateKey: Uint8Array, scheme: SignatureScheme, input: SignedInput, signature: Uint8Array): Promise<boolean>
  encrypt(privateKey: Uint8Array, hash: OaepHash, plaintext: Uint8Array): Promise<Uint8Array>
  decrypt(privateKey: Uint8Array, hash: OaepHash, ciphertext: Uint8Array): Promise<Uint8Array>
  deriveSharedSecret(privateKey: Uint8Array, peerPublicKey: Uint8Array): Promise<Uint8Array>
}

type TaskRunner = <N extends AsymmetricTaskName>(task: N, ...args: Parameters<AsymmetricTasks[N]>) => Promise<ReturnType<AsymmetricTasks[N]>>

function engineOver(run: TaskRunner): AsymmetricEngine {
  return {
    generateKeyPair: (kind) => (isMlDsaKind(kind) ? run('generateMlDsa', kind) : generateOpenSslKeyPair(kind)),
    publicKey: (privateKey) => run('publicKey', privateKey),
    sign: (privateKey, scheme, input) => run('sign', privateKey, scheme, input),
    verify: (privateKey, scheme, input, signature) => run('verify', privateKey, scheme, input, signature),
    encrypt: (privateKey, hash, plaintext) => run('encrypt', privateKey, hash, plaintext),
    decrypt: (privateKey, hash, ciphertext) => run('decrypt', privateKey, hash, ciphertext),
    deriveSharedSecret: (privateKey, peer) => run('deriveSharedSecret', privateKey, peer),
  }
}

/** Runs tasks on the calling thread: for tests and tools, never for the server. */
export function inThreadEngine(): AsymmetricEngine {
  return engineOver(async (task, ...args) => (asymmetricTasks[task] as (...a: unknown[]) => never)(...args))
}

/** Runs tasks on `pool`, whose workers run worker.js. Rejects with WorkerPoolBusyError when it is full. */
export function workerEngine(pool: WorkerPool): AsymmetricEngine {
  return engineOver((task, ...args) => pool.run(task, args) as Promise<never>)
}

export function createAsymmetricPool(options: { size?: number; maxQueued?: number } = {}): WorkerPool {
  return new WorkerPool({
    script: new URL('./worker.js', import.meta.url),
    // One core stays with the event loop; more than four workers only queue for the same cores.
    size: options.size ?? Math.max(1, Math.min(4, availableParallelism() - 1)),
    maxQueued: options.maxQueued ?? 512,
    reviveFailure: (failure) => failureFromWire(failure as WireFailure),
  })
}

let shared: AsymmetricEngine | undefined

/** The process-wide worker engine, created on first use; its idle workers do not keep the process alive. */
export function sharedAsymmetricEngine(): AsymmetricEngine {
  shared ??= workerEngine(createAsymmetricPool())
  return shared
}
