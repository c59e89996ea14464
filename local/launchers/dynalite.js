// Starts dynalite's own command line (same flags), with one difference: a client that disconnects in the
// middle of a request no longer stops the emulator. dynalite 4.0.0 rethrows the request's "aborted" error
// from an event handler (architect/dynalite#183), so one consumer killed with SIGKILL mid-write - as the
// crash tests and Ctrl-C do - took DynamoDB down for every other client. Any other uncaught error still
// ends the process with its stack trace, as before.
'use strict'

process.on('uncaughtException', function (err) {
  if (err && err.code === 'ECONNRESET' && err.message === 'aborted') {
    console.error('[recsys] a client disconnected in the middle of a request; its request is dropped, dynalite goes on')
    return
  }
  console.error(err && err.stack ? err.stack : err)
  process.exit(1)
})

require('dynalite/cli.js')
