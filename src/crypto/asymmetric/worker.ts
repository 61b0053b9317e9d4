// Entry point of a crypto worker thread: serves the tasks of tasks.ts through worker-host.ts, which keeps
// the private keys they use parsed in a bounded cache. It never sees a request or a wire name.
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { serveTasks } from '../worker-host.js'
import { failureToWire } from './errors.js'
import { parsePrivateKey, zeroPrivateKey } from './private-key.js'
import { asymmetricTasks, secretResultTasks } from './tasks.js'

/**
 * Linux schedules each thread on its own, so a crypto thread at nice 10 gives way to the event loop when
 * both want a core: symmetric requests stay fast under asymmetric load, and an idle machine still runs the
 * crypto at full speed. /proc/thread-self names this thread; elsewhere the priority is left alone.
 */
function yieldToEventLoop(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, 10)
  } catch {
    // Not Linux, or no /proc: keep the default priority.
  }
}

yieldToEventLoop()

serveTasks({ tasks: asymmetricTasks, parseKey: parsePrivateKey, zeroKey: zeroPrivateKey, secretResults: secretResultTasks, failureToWire })
