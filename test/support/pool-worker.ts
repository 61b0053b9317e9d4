// A worker script for the WorkerPool tests: echoes, fails, sleeps, or exits the thread on request.
import { parentPort } from 'node:worker_threads'

parentPort?.on('message', (request: { id: number; task: string; args: unknown[] }) => {
  if (request.task === 'exit') process.exit(3)
  if (request.task === 'fail') {
    parentPort!.postMessage({ id: request.id, ok: false, failure: { message: String(request.args[0]) } })
    return
  }
  const reply = () => parentPort!.postMessage({ id: request.id, ok: true, result: request.args[0] })
  if (request.task === 'sleep') setTimeout(reply, Number(request.args[1] ?? 50))
  else if (request.task === 'span') {
    // Busy for the given milliseconds; answers with its wall-clock start and end.
    const start = Date.now()
    while (Date.now() - start < Number(request.args[0])) { /* hold the thread */ }
    parentPort!.postMessage({ id: request.id, ok: true, result: [start, Date.now()] })
  } else reply()
})
