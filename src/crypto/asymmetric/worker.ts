// Entry point of a crypto worker thread: runs named tasks from tasks.ts and posts back the result or
// a structured failure. It never sees a request, a key id or a wire name.
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort } from 'node:worker_threads'
import { failureToWire } from './errors.js'
import { asymmetricTasks, type AsymmetricTaskName } from './tasks.js'

interface Request {
  id: number
  task: AsymmetricTaskName
  args: unknown[]
}

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

parentPort?.on('message', (request: Request) => {
  try {
    const run = asymmetricTasks[request.task] as (...args: unknown[]) => unknown
    if (typeof run !== 'function') throw new Error('unknown crypto task')
    parentPort!.postMessage({ id: request.id, ok: true, result: run(...request.args) })
  } catch (error) {
    parentPort!.postMessage({ id: request.id, ok: false, failure: failureToWire(error) })
  }
})
