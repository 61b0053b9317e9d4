// The worker-thread side of WorkerPool: runs named tasks, keeps the private keys they use parsed in a
// bounded cache (so material crosses threads once per worker, not once per call), and answers the pool's
// forget and held requests. The material a message carries is zeroed as soon as it has been parsed.
import { parentPort, workerData } from 'node:worker_threads'
import { KeyLru } from './key-lru.js'
import type { KeyReference, PoolReply, PoolRequest, WorkerStartup } from './worker-protocol.js'

export interface HostedTasks<K> {
  /** Tasks by name. A task whose request names a key receives the parsed key as its first argument. */
  tasks: Record<string, (...args: never[]) => unknown>
  /** Parses material into the form the tasks use; must not keep a reference to `material`, which is zeroed after. */
  parseKey(material: Uint8Array): K
  /** Zeroes what it can of a parsed key that leaves the cache. */
  zeroKey(key: K): void
  /** Tasks whose results are secret (plaintext, private keys): zeroed here once posted (posting copies them). */
  secretResults?: ReadonlySet<string>
  /** Turns a thrown error into the failure payload the pool revives. */
  failureToWire(error: unknown): unknown
}

/** Overwrites the Uint8Arrays of a result (itself, or its own fields). */
function zeroResult(result: unknown): void {
  if (result instanceof Uint8Array) result.fill(0)
  else if (result && typeof result === 'object') for (const value of Object.values(result)) if (value instanceof Uint8Array) value.fill(0)
}

/** The parsed key a request names, or undefined when it names one by reference that this worker lacks. */
function resolveKey<K>(cache: KeyLru<K>, hosted: HostedTasks<K>, ref: KeyReference): K | undefined {
  if (!ref.material) return cache.get(ref.name)
  try {
    const parsed = hosted.parseKey(ref.material)
    cache.put(ref.owner, ref.name, parsed)
    return parsed
  } finally {
    ref.material.fill(0)
  }
}

async function runTask<K>(cache: KeyLru<K>, hosted: HostedTasks<K>, request: Extract<PoolRequest, { kind: 'task' }>): Promise<PoolReply> {
  const run = hosted.tasks[request.task] as ((...args: unknown[]) => unknown) | undefined
  try {
    if (typeof run !== 'function') throw new Error('unknown crypto task')
    let args = request.args
    if (request.key) {
      const key = resolveKey(cache, hosted, request.key)
      if (key === undefined) return { kind: 'missing-key', id: request.id }
      args = [key, ...args]
    }
    return { kind: 'result', id: request.id, ok: true, result: await run(...args) }
  } catch (error) {
    return { kind: 'result', id: request.id, ok: false, failure: hosted.failureToWire(error) }
  }
}

/** Serves `hosted` on this worker's parent port. Call once, from the worker's entry script. */
export function serveTasks<K>(hosted: HostedTasks<K>): void {
  const port = parentPort
  if (!port) throw new Error('serveTasks() runs only in a worker thread')
  const cache = new KeyLru<K>((workerData as WorkerStartup | undefined)?.maxKeys ?? 256, (key) => hosted.zeroKey(key))
  port.on('message', (request: PoolRequest) => {
    if (request.kind === 'forget') {
      cache.forget(request.owner)
      port.postMessage({ kind: 'control', id: request.id, result: undefined } satisfies PoolReply)
    } else if (request.kind === 'held') {
      port.postMessage({ kind: 'control', id: request.id, result: cache.names() } satisfies PoolReply)
    } else {
      void runTask(cache, hosted, request).then((reply) => {
        port.postMessage(reply)
        if (reply.kind === 'result' && reply.ok && hosted.secretResults?.has(request.task)) zeroResult(reply.result)
      })
    }
  })
}
