// Serves the KMS v2 plugin API on a unix socket, the only transport kube-apiserver uses for KMS plugins.
import { chmodSync, lstatSync, rmSync } from 'node:fs'
import { Server, ServerCredentials } from '@grpc/grpc-js'
import { loadKmsV2Service } from './kms-v2-proto.js'
import { kmsV2Service, type KmsV2ServiceOptions } from './kms-v2-service.js'

export interface RunningPlugin {
  socketPath: string
  /** Stops taking calls, lets calls in flight finish (forcing after 5 s), and removes the socket. */
  stop(): Promise<void>
}

/**
 * Binds `socketPath` (replacing a stale socket left by an earlier run, refusing any other kind of file) and
 * makes it reachable only by this user (0600): whoever can connect can have DEKs unwrapped.
 */
export async function startKmsV2Plugin(socketPath: string, options: KmsV2ServiceOptions): Promise<RunningPlugin> {
  removeStaleSocket(socketPath)
  const server = new Server()
  server.addService(loadKmsV2Service().service, kmsV2Service(options))
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(`unix://${socketPath}`, ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve()))
  })
  chmodSync(socketPath, 0o600)
  return {
    socketPath,
    stop: () => new Promise<void>((resolve) => {
      const force = setTimeout(() => server.forceShutdown(), 5000)
      server.tryShutdown(() => {
        clearTimeout(force)
        rmSync(socketPath, { force: true })
        resolve()
      })
    }),
  }
}

function removeStaleSocket(path: string): void {
  let stat
  try {
    stat = lstatSync(path)
  } catch {
    return
  }
  if (!stat.isSocket()) throw new RangeError(`${path} exists and is not a socket; refusing to replace it`)
  rmSync(path)
}
