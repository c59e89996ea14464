// Runs one execution of an ASL definition with aws-local-stepfunctions (needs Node >= 22) and prints
// the outcome as one JSON line on stdout. Task states become Lambda Invoke calls to
// AWS_ENDPOINT_URL_LAMBDA (our local endpoint), which dispatches by resource ARN.
//
// usage: node run-state-machine.mjs <job.json>
//   job.json: { "definition": {...}, "input": {...}, "context": { "Execution": { "Name", "StartTime", ... } },
//               "waitTimeOverrides": { "<Wait state>": ms }, "retryIntervalOverrides": { "<state>": ms } }
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (!process.env.AWS_ENDPOINT_URL_LAMBDA) {
  console.log(JSON.stringify({ status: 'ERROR', error: 'DriverError', cause: 'AWS_ENDPOINT_URL_LAMBDA is not set' }));
  process.exit(2);
}

const machine = new StateMachine(job.definition);
const execution = machine.run(job.input ?? {}, {
  context: job.context,
  overrides: {
    waitTimeOverrides: job.waitTimeOverrides ?? {},
    retryIntervalOverrides: job.retryIntervalOverrides ?? {},
  },
});

// Top-level states in the order they were entered, and every state failure (Map iterations included).
// Each state entered and each Map iteration's start and end is also a {"progress": ...} line, as it happens,
// so the caller can show a long run as it goes.
const states = [];
const failures = [];
const progress = (p) => console.log(JSON.stringify({ progress: p }));
const logs = (async () => {
  for await (const event of execution.eventLogs) {
    if (event.type === 'StateEntered') {
      if (event.index === undefined) states.push(event.state.name);
      progress({ type: event.type, state: event.state.name, index: event.index ?? null });
    }
    if (event.type.startsWith('MapIteration')) {
      progress({ type: event.type, state: event.parentState.name, index: event.index });
    }
    if (event.type === 'StateFailed') {
      const where = event.index === undefined ? event.state.name : `${event.state.name}[${event.index}]`;
      failures.push(`${where}: ${event.Error}: ${typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause)}`);
    }
  }
})();

let outcome;
try {
  const output = await execution.result;
  outcome = { status: 'SUCCEEDED', output };
} catch (e) {
  // ExecutionError wraps the error that ended the run (a Fail state's Error/Cause, or an uncaught task error).
  const cause = e.cause ?? e;
  outcome = { status: 'FAILED', error: cause.name, cause: typeof cause.cause === 'string' ? cause.cause : cause.message };
}
await logs.catch(() => {});
console.log(JSON.stringify({ ...outcome, states, failures }));
