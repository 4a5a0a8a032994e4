/*
 * Runs one Kratix Pipeline locally. Each container image is resolved to an executable
 * (imageResolver.ts) and run in order, like the Pipeline's init containers, against a temp dir
 * laid out as Kratix mounts it: input/object.yaml, output/, metadata/.
 *
 * Scripts written for Kratix use literal `/kratix/...` paths, so the script text is copied with
 * every `/kratix` path prefix rewritten to the temp dir, then executed (via its shebang, or bash
 * when it has none) from the script's own folder. KRATIX_INPUT/OUTPUT/METADATA and Kratix's
 * KRATIX_* env vars are set too.
 *
 * Scripts run detached, each in its own process group, so stopping the runner (or a run passing the
 * timeout) kills the whole group, `sleep`s and all, and the Ctrl-C meant for the backend never
 * reaches them directly. The runner's bookkeeping is synchronous so that `stop()` can run from a
 * process 'exit' handler.
 */
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../store/types';
import type { PipelineDef } from '../promises/promiseApi';
import { resolveImage } from './imageResolver';
import {
  createWorkspace,
  removeWorkspace,
  type PipelineWorkspace,
} from './pipelineWorkspace';

export interface PipelineRunRequest {
  pipeline: PipelineDef;
  /** The object the pipeline configures, written to input/object.yaml. */
  object: KubeObject;
  /** Extra env (Kratix's KRATIX_* variables). */
  env: Record<string, string>;
  /** Told as each container starts, writes and exits (the Pod's container statuses and logs). */
  hooks?: ContainerHooks;
}

/** What a container does, as it happens. */
export interface ContainerHooks {
  start(container: string): void;
  output(container: string, stream: 'stdout' | 'stderr', chunk: string): void;
  exit(container: string, exitCode: number): void;
}

export interface WorkflowControl {
  suspend?: boolean;
  retryAfter?: string;
  message?: string;
}

export interface PipelineRunResult {
  ok: boolean;
  /** Parsed metadata/workflow-control.yaml (suspend / retryAfter), when the pipeline wrote one. */
  control?: WorkflowControl;
  /** Parsed metadata/status.yaml ({} when absent); only when ok. */
  status?: Record<string, unknown>;
  /** Why the pipeline failed. */
  error?: string;
  failedContainer?: string;
  /** The run was killed for lasting longer than `timeoutMs`. */
  timedOut?: boolean;
  logs: string;
  outputFiles: string[];
  /** What the Work is built from (only when ok): `/kratix/output/` files and destination-selectors.yaml. */
  output?: PipelineOutput;
}

export interface PipelineOutput {
  /** Files under output/, paths relative to it. */
  files: Array<{ filepath: string; content: Buffer }>;
  /** metadata/destination-selectors.yaml, unparsed; undefined when absent. */
  destinationSelectors?: string;
}

/** `/kratix` as a path prefix (not `…/kratix-marketplace`, not `syntasso/kratix`). */
const KRATIX_PREFIX = /(?<![\w.\-/])\/kratix(?=\/|$|[\s"'`;)|&])/gm;

export function rewriteKratixPaths(script: string, root: string): string {
  return script.replace(KRATIX_PREFIX, root);
}

export interface PipelineRunnerOptions {
  pipelinesDir: string;
  /** Where per-run workspaces are created (the emulator's private work folder). */
  workDir: string;
  /** A run still going after this long is killed and fails, as a Job past its deadline does. */
  timeoutMs?: number;
  /** More environment for every pipeline script (after the sandbox's own, before Kratix's). */
  env?: Record<string, string>;
  /** Told of each script's process group, so a watchdog can kill it should this process die. */
  onProcessGroup?(pgid: number, alive: boolean): void;
}

/** One run in progress: what `stop()` and the timeout have to clean up. */
interface ActiveRun {
  workspace: PipelineWorkspace;
  child?: ChildProcess;
  timedOut: boolean;
}

export class PipelineRunner {
  private readonly runs = new Set<ActiveRun>();
  private stopped = false;

  constructor(private readonly options: PipelineRunnerOptions) {}

  async run(request: PipelineRunRequest): Promise<PipelineRunResult> {
    const active: ActiveRun = {
      workspace: createWorkspace(
        this.options.workDir,
        request.pipeline.name,
        request.object,
      ),
      timedOut: false,
    };
    this.runs.add(active);
    const { timeoutMs } = this.options;
    const deadline =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            active.timedOut = true;
            if (active.child) killGroup(active.child);
          }, timeoutMs);
    try {
      return await this.runContainers(request, active);
    } finally {
      clearTimeout(deadline);
      this.runs.delete(active);
      removeWorkspace(active.workspace);
    }
  }

  /** Kills every running script's process group and removes its workspace; later runs fail at once. */
  stop(): void {
    this.stopped = true;
    for (const active of this.runs) {
      if (active.child) killGroup(active.child);
      try {
        removeWorkspace(active.workspace);
      } catch {
        // The run's own cleanup tries again once its script has exited.
      }
    }
  }

  private async runContainers(
    request: PipelineRunRequest,
    active: ActiveRun,
  ): Promise<PipelineRunResult> {
    const dirs = active.workspace;
    let logs = '';
    for (const [index, container] of request.pipeline.containers.entries()) {
      const name = container.name ?? `container-${index}`;
      const executable = resolveImage(
        this.options.pipelinesDir,
        container.image,
      );
      if (!executable) {
        const line = `${container.image}: no local executable; step writes nothing\n`;
        logs += `[${name}] ${line}`;
        request.hooks?.start(name);
        request.hooks?.output(name, 'stdout', line);
        request.hooks?.exit(name, 0);
        continue;
      }
      const env: Record<string, string> = {
        ...(process.env as Record<string, string>),
        ...this.options.env,
        ...request.env,
        KRATIX_INPUT: dirs.input,
        KRATIX_OUTPUT: dirs.output,
        KRATIX_METADATA: dirs.metadata,
      };
      for (const e of container.env ?? [])
        if (e?.name) env[e.name] = e.value ?? '';
      const result = await this.exec(
        executable,
        active,
        env,
        name,
        request.hooks,
      );
      logs += result.output.replace(/^/gm, `[${name}] `);
      if (active.timedOut) {
        return {
          ok: false,
          timedOut: true,
          failedContainer: name,
          error: `ran longer than the sandbox's pipeline timeout of ${formatSeconds(
            this.options.timeoutMs ?? 0,
          )} and was killed`,
          logs,
          outputFiles: [],
        };
      }
      if (this.stopped) {
        return { ok: false, error: 'emulator stopped', logs, outputFiles: [] };
      }
      if (result.code !== 0) {
        return {
          ok: false,
          failedContainer: name,
          error: `container ${name} (${container.image}) exited with code ${result.code}`,
          logs,
          outputFiles: [],
        };
      }
    }
    const outputFiles = listFiles(dirs.output);
    const selectorsFile = path.join(
      dirs.metadata,
      'destination-selectors.yaml',
    );
    const output: PipelineOutput = {
      files: outputFiles.map(filepath => ({
        filepath,
        content: fs.readFileSync(path.join(dirs.output, filepath)),
      })),
      destinationSelectors: fs.existsSync(selectorsFile)
        ? fs.readFileSync(selectorsFile, 'utf8')
        : undefined,
    };
    const controlFile = path.join(dirs.metadata, 'workflow-control.yaml');
    let control: WorkflowControl | undefined;
    if (fs.existsSync(controlFile)) {
      try {
        control = parse(fs.readFileSync(controlFile, 'utf8')) ?? {};
      } catch (error) {
        return {
          ok: false,
          error: `failed to unmarshal the workflow control file: ${error}`,
          logs,
          outputFiles,
        };
      }
    }
    const statusFile = path.join(dirs.metadata, 'status.yaml');
    if (!fs.existsSync(statusFile))
      return { ok: true, status: {}, control, logs, outputFiles, output };
    let status: unknown;
    try {
      status = parse(fs.readFileSync(statusFile, 'utf8')) ?? {};
    } catch (error) {
      return {
        ok: false,
        error: `failed to unmarshal incoming status: ${error}`,
        logs,
        outputFiles,
      };
    }
    if (typeof status !== 'object' || Array.isArray(status)) {
      return {
        ok: false,
        error: 'failed to unmarshal incoming status: not a map',
        logs,
        outputFiles,
      };
    }
    return {
      ok: true,
      status: status as Record<string, unknown>,
      control,
      logs,
      outputFiles,
      output,
    };
  }

  private exec(
    executable: string,
    active: ActiveRun,
    env: Record<string, string>,
    name: string,
    hooks?: ContainerHooks,
  ) {
    return new Promise<{ code: number; output: string }>(resolve => {
      if (this.stopped || active.timedOut) {
        resolve({ code: 137, output: '' });
        return;
      }
      hooks?.start(name);
      const root = active.workspace.root;
      const text = fs.readFileSync(executable, 'utf8');
      const binDir = path.join(root, '.bin');
      fs.mkdirSync(binDir, { recursive: true });
      const script = path.join(binDir, path.basename(executable));
      fs.writeFileSync(script, rewriteKratixPaths(text, root), { mode: 0o755 });
      const command = text.startsWith('#!') ? script : 'bash';
      const args = text.startsWith('#!') ? [] : [script];
      let output = '';
      const child = spawn(command, args, {
        cwd: path.dirname(executable),
        env,
        detached: true,
      });
      active.child = child;
      const pgid = child.pid;
      if (pgid) this.options.onProcessGroup?.(pgid, true);
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        output += d;
        hooks?.output(name, 'stdout', d);
      });
      child.stderr.on('data', (d: string) => {
        output += d;
        hooks?.output(name, 'stderr', d);
      });
      let finished = false;
      const done = (code: number) => {
        if (finished) return;
        finished = true;
        active.child = undefined;
        if (pgid) this.options.onProcessGroup?.(pgid, false);
        hooks?.exit(name, code);
        resolve({ code, output });
      };
      child.on('error', error => {
        output += `${error.message}\n`;
        hooks?.output(name, 'stderr', `${error.message}\n`);
        done(127);
      });
      child.on('close', (code, signal) => done(code ?? (signal ? 137 : 1)));
    });
  }
}

function killGroup(child: ChildProcess): void {
  try {
    // detached: the child leads its own process group, so this also stops e.g. a `sleep` it started.
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(entry =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    );
}
