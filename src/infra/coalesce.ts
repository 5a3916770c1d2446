/**
 * Group commit for statements: a call made while fewer than `inFlight` runs are going runs at once,
 * alone; calls made while they are all busy wait and then go together, up to `maxBatch`, into the
 * next run. Idle, nothing waits; under load, many calls share one statement and one commit.
 * `run` answers each input at its index; when it fails, every call of that run fails with it.
 */
export function coalesce<In, Out>(run: (inputs: In[]) => Promise<Out[]>, options: { inFlight: number; maxBatch: number }): (input: In) => Promise<Out> {
  const waiting: { input: In; resolve: (output: Out) => void; reject: (error: unknown) => void }[] = [];
  let running = 0;
  const pump = () => {
    while (running < options.inFlight && waiting.length > 0) {
      const batch = waiting.splice(0, options.maxBatch);
      running += 1;
      run(batch.map((call) => call.input))
        .then(
          (outputs) => {
            if (outputs.length !== batch.length) throw new Error(`coalesce: ${outputs.length} answers to ${batch.length} calls`);
            batch.forEach((call, index) => call.resolve(outputs[index]!));
          },
          (error: unknown) => batch.forEach((call) => call.reject(error)),
        )
        .catch((error: unknown) => batch.forEach((call) => call.reject(error)))
        .finally(() => {
          running -= 1;
          pump();
        });
    }
  };
  return (input) =>
    new Promise<Out>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      pump();
    });
}
