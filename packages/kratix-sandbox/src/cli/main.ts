/*
 * `yarn sandbox --kubeconfig <file> [--port N] [--load <dir>]... [--no-seed] [--snapshot <file>]`
 * Starts the sandbox platform standalone, writes a kubeconfig for it, prints its URL and serves until
 * stopped (Ctrl-C), for kubectl, benchmarks and anyone curious.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from '../sandbox';

const usage = `usage: yarn sandbox --kubeconfig <file> [options]
  --kubeconfig <file>   write a kubeconfig for the sandbox here (required)
  --port <n>            listen on this port (default: a free one)
  --host <addr>         listen on this address (default 127.0.0.1)
  --token <t>           bearer token (default: random)
  --load <dir>          also load this folder of Promise/Resource YAML (repeatable)
  --no-seed             start without the default Promises and Resources
  --rbac                enforce Kubernetes RBAC, with the example teams' roles (seed/rbac); the
                        kubeconfig's token stays the admin (system:masters): try kubectl --as
  --pipelines <dir>     folder of local pipeline executables
  --step-delay-ms <n>   minimum duration of each pipeline run (default 1500)
  --pipeline-timeout-seconds <n>
                        kill a pipeline run after this long and report it failed (default 900)
  --work-dir <dir>      where pipeline runs get their temp workspaces (default: a private temp folder)
  --state-store <dir>   the Destinations' state store, a folder per Destination (default: <work dir>/state-store)
  --snapshot <file>     restore state from this file on start, save it on stop`;

async function main() {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      load: { type: 'string', multiple: true },
      'no-seed': { type: 'boolean' },
      rbac: { type: 'boolean' },
      pipelines: { type: 'string' },
      'step-delay-ms': { type: 'string' },
      'pipeline-timeout-seconds': { type: 'string' },
      'work-dir': { type: 'string' },
      'state-store': { type: 'string' },
      snapshot: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (!values.kubeconfig) {
    throw new Error(`--kubeconfig <file> is required\n${usage}`);
  }
  // Paths are taken relative to where the user ran `yarn sandbox`, not the package folder.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const abs = (p: string) => path.resolve(cwd, p);
  const sandbox = await startSandbox({
    kubeconfigPath: abs(values.kubeconfig),
    port: values.port ? Number(values.port) : 0,
    host: values.host,
    token: values.token,
    seed: !values['no-seed'],
    rbac: values.rbac,
    loadDirs: values.load?.map(abs),
    pipelinesDir: values.pipelines ? abs(values.pipelines) : undefined,
    stepDelayMs: values['step-delay-ms']
      ? Number(values['step-delay-ms'])
      : undefined,
    snapshotFile: values.snapshot ? abs(values.snapshot) : undefined,
    pipelineTimeoutSeconds: positiveNumber(
      values['pipeline-timeout-seconds'],
      '--pipeline-timeout-seconds',
    ),
    workDir: values['work-dir'] ? abs(values['work-dir']) : undefined,
    stateStoreDir: values['state-store']
      ? abs(values['state-store'])
      : undefined,
    logger: {
      info: m => console.log(m),
      warn: m => console.warn(m),
      error: m => console.error(m),
      debug: () => {},
    },
  });
  await sandbox.ready;
  console.log(
    `Kratix sandbox platform (not a real cluster) serving at ${sandbox.url}`,
  );
  console.log(`kubeconfig: ${sandbox.kubeconfigPath}`);
  console.log(
    `try: kubectl --kubeconfig ${sandbox.kubeconfigPath} get promises`,
  );

  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function positiveNumber(
  text: string | undefined,
  option: string,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new Error(`${option} must be a positive number, got "${text}"`);
  }
  return value;
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
