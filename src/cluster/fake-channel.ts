// An in-memory pair of Channels standing in for node:cluster IPC in unit tests; messages are delivered on a
// later turn, as over a real pipe, and either end can be broken.
import type { Channel } from './messages.js'

export interface FakeEnd<Out, In> extends Channel<Out, In> {
  /** Every message this end sent. */
  readonly sent: Out[]
  /** Breaks the channel for both ends. */
  breakChannel(): void
}

export function fakeChannelPair<A, B>(): [FakeEnd<A, B>, FakeEnd<B, A>] {
  let open = true
  const listeners: [Array<(m: B) => void>, Array<(m: A) => void>] = [[], []]
  const closers: Array<() => void> = []
  const breakChannel = () => {
    if (!open) return
    open = false
    for (const c of closers.splice(0)) c()
  }
  const end = <Out, In>(mine: Array<(m: In) => void>, theirs: Array<(m: Out) => void>): FakeEnd<Out, In> => {
    const sent: Out[] = []
    return {
      sent,
      send(message) {
        if (!open) throw new Error('channel closed')
        sent.push(message)
        setImmediate(() => { if (open) for (const l of theirs) l(structuredClone(message)) })
      },
      onMessage: (l) => void mine.push(l),
      onClose: (l) => void closers.push(l),
      isOpen: () => open,
      breakChannel,
    }
  }
  return [end<A, B>(listeners[0], listeners[1]), end<B, A>(listeners[1], listeners[0])]
}
