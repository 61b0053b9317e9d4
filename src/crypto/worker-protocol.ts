// The messages between WorkerPool and a worker that serves tasks with worker-host.ts. A task may name a
// private key: by reference alone when the pool knows the worker holds it, with its material otherwise.

/** A key a task runs with. `name` changes whenever the material could (key id, version, material id). */
export interface KeyReference {
  /** The key id: forget(owner) drops every cached version of it. */
  owner: string
  name: string
  /** Present only when the worker does not hold `name`; its buffer is transferred, and zeroed once parsed. */
  material?: Uint8Array
}

export type PoolRequest =
  | { kind: 'task'; id: number; task: string; args: unknown[]; key?: KeyReference }
  /** Drop (and zero what can be zeroed of) every cached key of `owner`. */
  | { kind: 'forget'; id: number; owner: string }
  /** Report the names (never the material) of the cached keys. */
  | { kind: 'held'; id: number }

export type PoolReply =
  | { kind: 'result'; id: number; ok: true; result: unknown }
  | { kind: 'result'; id: number; ok: false; failure: unknown }
  /** The task named a key by reference that the worker does not hold; the pool resends it with the material. */
  | { kind: 'missing-key'; id: number }
  | { kind: 'control'; id: number; result: unknown }

/** What every pooled worker is started with (its workerData). */
export interface WorkerStartup {
  /** The bound of the worker's key cache; the pool's record of it uses the same bound. */
  maxKeys: number
}
