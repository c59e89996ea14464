// Test driver of PipelineExecutionTest: one execution of an ASL definition with aws-local-stepfunctions (Node >= 22),
// every Task state sent as a Lambda Invoke to AWS_ENDPOINT_URL_LAMBDA (the test's own endpoint). Prints one JSON line:
// { status, output | error + cause, states } where states are the states entered, Map iterations included.
//
// usage: node run-execution.mjs <path of aws-local-stepfunctions' main.node.esm.js> <job.json>
//   job.json: { "definition": {...}, "input": {...}, "context": {...}, "waitTimeOverrides": {...}, "retryIntervalOverrides": {...} }
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const { StateMachine } = await import(pathToFileURL(process.argv[2]).href);
const job = JSON.parse(readFileSync(process.argv[3], 'utf8'));

const execution = new StateMachine(job.definition).run(job.input ?? {}, {
  context: job.context,
  overrides: { waitTimeOverrides: job.waitTimeOverrides ?? {}, retryIntervalOverrides: job.retryIntervalOverrides ?? {} },
});
const states = [];
const logs = (async () => {
  for await (const event of execution.eventLogs) {
    if (event.type === 'StateEntered') states.push(event.state.name);
  }
})();

let outcome;
try {
  outcome = { status: 'SUCCEEDED', output: await execution.result };
} catch (e) {
  const cause = e.cause ?? e;
  outcome = { status: 'FAILED', error: cause.name, cause: typeof cause.cause === 'string' ? cause.cause : cause.message };
}
await logs.catch(() => {});
console.log(JSON.stringify({ ...outcome, states }));
