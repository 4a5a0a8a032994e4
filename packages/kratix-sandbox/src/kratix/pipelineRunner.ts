/*
 * Runs one Kratix Pipeline locally. Each container image is resolved to an executable
 * (imageResolver.ts) and run in order, like the Pipeline's init containers, against a temp dir
 * laid out as Kratix mounts it: input/object.yaml, output/, metadata/.
 *
 * Scripts written for Kratix use literal `/kratix/...` paths, so the script text is copied with
 * every `/kratix` path prefix rewritten to the temp dir, then executed (via its shebang, or bash
 * when it has none) from the script's own folder. KRATIX_INPUT/OUTPUT/METADATA and Kratix's
 * KRATIX_* env vars are set too.
 */
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { KubeObject } from '../store/types';
import type { PipelineDef } from './promiseApi';
import { resolveImage } from './imageResolver';

export interface PipelineRunRequest {
  pipeline: PipelineDef;
  /** The object the pipeline configures, written to input/object.yaml. */
  object: KubeObject;
  /** Extra env (Kratix's KRATIX_* variables). */
  env: Record<string, string>;
}

export interface PipelineRunResult {
  ok: boolean;
  /** Parsed metadata/status.yaml ({} when absent); only when ok. */
  status?: Record<string, unknown>;
  /** Why the pipeline failed. */
  error?: string;
  failedContainer?: string;
  logs: string;
  outputFiles: string[];
}

/** `/kratix` as a path prefix (not `…/kratix-marketplace`, not `syntasso/kratix`). */
const KRATIX_PREFIX = /(?<![\w.\-/])\/kratix(?=\/|$|[\s"'`;)|&])/gm;

export function rewriteKratixPaths(script: string, root: string): string {
  return script.replace(KRATIX_PREFIX, root);
}

export class PipelineRunner {
  private readonly children = new Set<ChildProcess>();
  private stopped = false;

  constructor(
    private readonly options: { pipelinesDir: string; workDir?: string },
  ) {}

  async run(request: PipelineRunRequest): Promise<PipelineRunResult> {
    const base =
      this.options.workDir ?? path.join(os.tmpdir(), 'kratix-sandbox');
    fs.mkdirSync(base, { recursive: true });
    const root = fs.mkdtempSync(path.join(base, `${request.pipeline.name}-`));
    const dirs = {
      input: path.join(root, 'input'),
      output: path.join(root, 'output'),
      metadata: path.join(root, 'metadata'),
    };
    Object.values(dirs).forEach(d => fs.mkdirSync(d, { recursive: true }));
    fs.writeFileSync(
      path.join(dirs.input, 'object.yaml'),
      stringify(request.object),
    );
    let logs = '';
    try {
      for (const [index, container] of request.pipeline.containers.entries()) {
        const name = container.name ?? `container-${index}`;
        const executable = resolveImage(
          this.options.pipelinesDir,
          container.image,
        );
        if (!executable) {
          logs += `[${name}] ${container.image}: no local executable; step writes nothing\n`;
          continue;
        }
        const env: Record<string, string> = {
          ...(process.env as Record<string, string>),
          ...request.env,
          KRATIX_INPUT: dirs.input,
          KRATIX_OUTPUT: dirs.output,
          KRATIX_METADATA: dirs.metadata,
        };
        for (const e of container.env ?? [])
          if (e?.name) env[e.name] = e.value ?? '';
        const result = await this.exec(executable, root, env);
        logs += result.output.replace(/^/gm, `[${name}] `);
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
      const statusFile = path.join(dirs.metadata, 'status.yaml');
      if (!fs.existsSync(statusFile))
        return { ok: true, status: {}, logs, outputFiles };
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
        logs,
        outputFiles,
      };
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }

  /** Kills running scripts; later runs fail immediately. */
  stop(): void {
    this.stopped = true;
    for (const child of this.children) killTree(child);
  }

  private exec(executable: string, root: string, env: Record<string, string>) {
    return new Promise<{ code: number; output: string }>(resolve => {
      if (this.stopped) {
        resolve({ code: 137, output: 'emulator stopped\n' });
        return;
      }
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
      this.children.add(child);
      child.stdout.on('data', d => (output += d));
      child.stderr.on('data', d => (output += d));
      const done = (code: number) => {
        this.children.delete(child);
        resolve({ code, output });
      };
      child.on('error', error => {
        output += `${error.message}\n`;
        done(127);
      });
      child.on('close', (code, signal) => done(code ?? (signal ? 137 : 1)));
    });
  }
}

function killTree(child: ChildProcess): void {
  try {
    // detached: the child leads its own process group, so this also stops e.g. a `sleep` it started.
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
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
