// node:cluster's IPC channels as the small Channel interface the cluster code (and its tests) use.
import type { Worker } from 'node:cluster'
import type { Channel } from './messages.js'

/** The channel from inside a worker process to the primary. */
export function channelToPrimary<Out, In>(): Channel<Out, In> {
  return {
    send(message) {
      if (!process.send) throw new Error('this process has no IPC channel')
      // A primary gone mid-send closes the channel, and the worker stops on 'disconnect'; no 'error' event.
      process.send(message, undefined, {}, () => undefined)
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
      // With a callback a failed send (EPIPE: the worker died a moment ago) is reported here instead of as an
      // 'error' event, which nobody listens for and which would end the primary. The worker's exit is handled
      // where it is restarted; what was sent to it is moot.
      worker.send(message as never, undefined, () => undefined)
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
