// A worker script for the WorkerPool tests, served by the real worker host: echoes, fails, sleeps, busies
// itself, exits the thread, or returns the bytes of the key a job names (its "parse" is a plain copy; 0xff… fails).
import { serveTasks } from '../../src/crypto/worker-host.js'

interface TestKey {
  bytes: Uint8Array
}

serveTasks<TestKey>({
  tasks: {
    echo: (value: unknown) => value,
    fail: (message: unknown) => {
      throw new Error(String(message))
    },
    sleep: (value: unknown, ms?: number) => new Promise((resolve) => setTimeout(() => resolve(value), Number(ms ?? 50))),
    // Busy for the given milliseconds; answers with its wall-clock start and end.
    span: (ms: number) => {
      const start = Date.now()
      while (Date.now() - start < ms) { /* hold the thread */ }
      return [start, Date.now()]
    },
    exit: () => process.exit(3),
    keyBytes: (key: TestKey) => key.bytes,
    keyedSleep: (key: TestKey, ms: number) => new Promise((resolve) => setTimeout(() => resolve(key.bytes.length), ms)),
  },
  parseKey: (material) => {
    if (material[0] === 0xff) throw new Error('unparsable test key')
    return { bytes: Uint8Array.from(material) }
  },
  zeroKey: (key) => key.bytes.fill(0),
  failureToWire: (error) => ({ message: error instanceof Error ? error.message : String(error) }),
})
