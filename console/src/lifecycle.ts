// Lets a view register what to stop (timers, polls) when the user navigates away from it.
let leaveView: (() => void) | undefined

/** Registers `stop` to run when the current view is left. */
export function onLeave(stop: () => void): void {
  leaveView = stop
}

/** Runs and forgets the registered stop, if any. */
export function leaveCurrentView(): void {
  const stop = leaveView
  leaveView = undefined
  stop?.()
}
