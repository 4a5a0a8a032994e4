/*
 * The temp dir one pipeline run works in, laid out as Kratix mounts it: input/object.yaml, output/,
 * metadata/. Created per run and removed when the run ends, however it ends, so a sandbox that is
 * stopped or crashes mid-run does not leave workspaces behind in the temp folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../../store/types';

/**
 * A new private work folder in the OS temp folder (mkdtemp: an unguessable name, mode 0700). A
 * fixed name there could be created first by another local user, who would then read every
 * Resource's spec and could swap the files a pipeline reads.
 */
export function createPrivateWorkDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-sandbox-'));
}

/** A given work folder, created private (0700) when it does not exist yet. */
export function ensureWorkDir(workDir: string): string {
  fs.mkdirSync(workDir, { recursive: true, mode: 0o700 });
  return workDir;
}

export interface PipelineWorkspace {
  root: string;
  input: string;
  output: string;
  metadata: string;
}

export function createWorkspace(
  workDir: string,
  pipelineName: string,
  object: KubeObject,
): PipelineWorkspace {
  ensureWorkDir(workDir);
  const root = fs.mkdtempSync(path.join(workDir, `${pipelineName}-`));
  const workspace = {
    root,
    input: path.join(root, 'input'),
    output: path.join(root, 'output'),
    metadata: path.join(root, 'metadata'),
  };
  for (const dir of [workspace.input, workspace.output, workspace.metadata])
    fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(workspace.input, 'object.yaml'),
    stringify(object),
  );
  return workspace;
}

/**
 * Synchronous, so it can run from a process 'exit' handler. Retries cover a killed script that was
 * still writing a file while the tree was being removed (ENOTEMPTY).
 */
export function removeWorkspace(workspace: PipelineWorkspace): void {
  fs.rmSync(workspace.root, { recursive: true, force: true, maxRetries: 3 });
}
