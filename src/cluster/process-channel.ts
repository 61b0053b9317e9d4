// node:cluster's IPC channels as the small Channel interface the cluster code (and its tests) use.
import type { Worker } from 'node:cluster'
import type { Channel } from './messages.js'

/** The channel from inside a worker process to the primary. */
export function channelToPrimary<Out, In>(): Channel<Out, In> {
  return {
    send(message) {
      if (!process.send) throw new Error('this process has no IPC channel')
      process.send(message)
    },
    onMessage(listener) {
      process.on('message', (m) => listener(m as In))
    },
    onClose(listener) {
      process.once('disconnect', listener)
    },
    isOpen: () => process.connected === true,
  }
}

/** The primary's channel to one forked worker. */
export function channelToWorker<Out, In>(worker: Worker): Channel<Out, In> {
  return {
    send(message) {
      worker.send(message as never)
    },
    onMessage(listener) {
      worker.on('message', (m: unknown) => listener(m as In))
    },
    onClose(listener) {
      worker.once('disconnect', listener)
    },
    isOpen: () => worker.isConnected(),
  }
}
