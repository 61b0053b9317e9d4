// One duplex made of two streams: what is written goes to `head`, what is read comes from `tail` (the caller
// connects the two). Unlike Duplex.from({ writable, readable }), destroy() without an error stays quiet, as
// for any node stream, instead of raising an AbortError that a consumer who simply stopped reading never expects.
import { Duplex } from 'node:stream'

export class JoinedDuplex extends Duplex {
  readonly #head: Duplex
  readonly #tail: Duplex

  constructor(head: Duplex, tail: Duplex) {
    super()
    this.#head = head
    this.#tail = tail
    tail.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) tail.pause()
    })
    tail.once('end', () => this.push(null))
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, done: (e?: Error | null) => void): void {
    if (this.#head.write(chunk, encoding)) done()
    else this.#head.once('drain', () => done())
  }

  override _final(done: (e?: Error | null) => void): void {
    this.#head.end()
    done()
  }

  override _read(): void {
    this.#tail.resume()
  }

  override _destroy(error: Error | null, done: (e?: Error | null) => void): void {
    this.#head.destroy()
    this.#tail.destroy()
    done(error)
  }
}
